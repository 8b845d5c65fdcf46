"""The command line: rank, recommend, malformed input, bench and evaluate."""

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

CANDIDATES = [
    {"id": 1, "title": "Сварщик", "summary": "Опыт 5 лет", "region": "KZ-ALA",
     "skills": [{"name": "сварка", "certified": True}], "experience_years": 5},
    {"id": "c2", "title": "Аспаз", "summary": "Асханада істедім", "region": "KZ-AST",
     "skills": [{"name": "тамақ пісіру", "certified": False}], "experience_years": 2},
    {"id": "c3", "title": "", "summary": "", "skills": [{"name": ""}], "region": None},
    {"id": "c4", "title": "Welder", "skills": [{"name": "welding"}], "region": "KZ-ALA",
     "restrictions": {"curfew": ["22:00", "06:00"], "territory": ["KZ-ALA"]}},
]
VACANCIES = [
    {"id": "v1", "title": "Электросварщик", "description": "Сварка металлоконструкций",
     "required_skills": ["дәнекерлеу"], "optional_skills": ["неизвестный навык"],
     "region": "KZ-ALA", "schedule": "day"},
    {"id": "v2", "title": "Повар", "description": "", "required_skills": ["cooking"],
     "optional_skills": [], "region": "KZ-AST"},
    {"id": 3, "title": "Night welder", "required_skills": ["welding"], "schedule": "night",
     "region": "KZ-ALA"},
]
TAXONOMY_LIST = [
    {"id": "welding", "names": ["сварка", "дәнекерлеу", "welding"]},
    {"code": "cooking", "names": ["cooking", "тамақ пісіру", "приготовление блюд"]},
]
TAXONOMY_APP = [
    {"code": "welding", "name_kk": "дәнекерлеу", "name_ru": "сварка", "name_en": "welding",
     "synonyms": {"kk": [], "ru": ["электросварка"], "en": []}},
    {"code": "cooking", "name_kk": "тамақ пісіру", "name_ru": "приготовление блюд",
     "name_en": "cooking", "synonyms": {"kk": ["аспаздық"], "ru": [], "en": []}},
]


def write_jsonl(path, rows, extra_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args):
    return subprocess.run([sys.executable, "-m", "matching", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def files(tmp_path):
    return {
        "candidates": write_jsonl(tmp_path / "c.jsonl", CANDIDATES),
        "vacancies": write_jsonl(tmp_path / "v.jsonl", VACANCIES),
        "out": tmp_path / "out.jsonl",
        "list": tmp_path / "tax_list.json",
        "app": tmp_path / "tax_app.json",
    }


@pytest.mark.parametrize("taxonomy_format", ["list", "app"])
def test_rank(files, taxonomy_format):
    taxonomy = TAXONOMY_LIST if taxonomy_format == "list" else TAXONOMY_APP
    files[taxonomy_format].write_text(json.dumps(taxonomy, ensure_ascii=False), "utf-8")
    result = run("rank", "--candidates", files["candidates"], "--vacancies", files["vacancies"],
                 "--top-k", 2, "--out", files["out"], "--taxonomy", files[taxonomy_format],
                 "--today", "2025-06-01")
    assert result.returncode == 0, result.stderr
    lines = read_jsonl(files["out"])
    assert [line["vacancy_id"] for line in lines] == ["v1", "v2", 3]
    v1 = lines[0]["ranking"]
    assert len(v1) == 2 and v1[0]["candidate_id"] == 1
    assert v1[0]["explanation"]["matched_required"][0]["via"] == "synonym"
    assert v1[0]["score"] >= v1[1]["score"]
    assert lines[1]["ranking"][0]["candidate_id"] == "c2"
    assert "c4" not in [r["candidate_id"] for r in lines[2]["ranking"]]  # curfew vs night job


def test_recommend(files):
    result = run("recommend", "--candidates", files["candidates"], "--vacancies",
                 files["vacancies"], "--top-k", 5, "--out", files["out"])
    assert result.returncode == 0, result.stderr
    lines = {line["candidate_id"]: line["ranking"] for line in read_jsonl(files["out"])}
    assert set(lines) == {1, "c2", "c3", "c4"}
    assert lines[1][0]["vacancy_id"] in ("v1", 3)
    assert lines["c3"] == []  # blank profile: nothing scores above zero
    assert 3 not in [r["vacancy_id"] for r in lines["c4"]]
    assert all(set(r) == {"vacancy_id", "score", "explanation"} for r in lines[1])


@pytest.mark.parametrize(
    "bad_line", ['{"id": 9, "title": ', '{"id": 9, "skills": "сварка"}', '[1, 2]',
                 '{"title": "no id"}', '{"id": 9, "experience_years": "five"}'],
)
def test_malformed_line_fails_with_line_number(files, bad_line):
    write_jsonl(files["candidates"], CANDIDATES[:2], [bad_line] + [json.dumps(CANDIDATES[2])])
    result = run("rank", "--candidates", files["candidates"], "--vacancies", files["vacancies"],
                 "--top-k", 3, "--out", files["out"])
    assert result.returncode == 2
    assert f"{files['candidates']}:3" in result.stderr

    skipped = run("rank", "--candidates", files["candidates"], "--vacancies", files["vacancies"],
                  "--top-k", 3, "--out", files["out"], "--skip-bad")
    assert skipped.returncode == 0, skipped.stderr
    assert "skipped 1 malformed line" in skipped.stderr
    assert len(read_jsonl(files["out"])) == len(VACANCIES)


def test_missing_file_is_reported(files, tmp_path):
    result = run("rank", "--candidates", tmp_path / "nope.jsonl", "--vacancies",
                 files["vacancies"], "--top-k", 3, "--out", files["out"])
    assert result.returncode == 2 and "nope.jsonl" in result.stderr


def test_bench_smoke():
    result = run("bench", "--candidates", 300, "--vacancies", 200, "--queries", 5)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["candidates"] == 300 and report["build_s"] >= 0
    for key in ("rank_candidates_top20", "recommend_vacancies_top20"):
        assert 0 < report[key]["p50_ms"] <= report[key]["p95_ms"]
    assert report["peak_rss_mb"] > 0


def test_evaluate_engine_beats_baseline():
    result = run("evaluate")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for part in ("synthetic", "hand_labelled"):
        engine, baseline = report[part]["engine"], report[part]["baseline_tfidf"]
        assert engine["ndcg@10"] > baseline["ndcg@10"]
        assert engine["mrr"] >= baseline["mrr"]
    assert report["synthetic"]["engine"]["ndcg@10"] > report["synthetic"]["baseline_tfidf"][
        "ndcg@10"] + 0.05
