import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_matching_imports_neither_flask_nor_sqlalchemy():
    code = (
        "import matching, matching.cli, matching.bench, matching.evaluate, sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules, "
        "sorted(m for m in sys.modules if 'flask' in m or 'sqlalchemy' in m)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_web_or_db_import_in_source():
    for path in (ROOT / "matching").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("import flask", "from flask", "sqlalchemy", "marketplace"):
            assert forbidden not in text, f"{path} mentions {forbidden}"


def test_candidate_has_no_protected_fields():
    from dataclasses import fields

    from matching import Candidate

    names = {f.name for f in fields(Candidate)}
    protected = {"sex", "gender", "age", "birth_date", "date_of_birth", "ethnicity",
                 "nationality", "religion", "disability", "family_status", "marital_status"}
    assert names.isdisjoint(protected)
