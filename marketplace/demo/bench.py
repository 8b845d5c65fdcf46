"""Page timings on the demo data: `python -m marketplace.demo.bench` (or `make bench-web`).

Builds a throw-away SQLite database with the reference and demo data, signs in as the demo
users and times the pages people use most through the WSGI test client (no network, so the
figures are server time: routing, queries, matching and template rendering).
"""

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from marketplace import create_app
from marketplace.auth.models import User
from marketplace.demo.seed import DEMO_PASSWORD, seed_demo
from marketplace.employers.models import EmployerOrganisation, OrganisationMember, Vacancy
from marketplace.extensions import db
from marketplace.incentives.models import Claim, ClaimStatus
from marketplace.matches.index import build_index
from marketplace.reference.services import load_reference_data

ROUNDS = 50


def _timed(client, path) -> dict:
    client.get(path)  # warm-up: index build, template compilation
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[int(0.95 * len(samples)) - 1], 1),
            "bytes": len(response.data)}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'b.db'}",
                          "SECRET_KEY": "bench", "MAIL_OUTBOX_DIR": folder,
                          "WTF_CSRF_ENABLED": False,
                          "LOGIN_RATE_LIMIT": "10000 per minute",
                          "LOGIN_IDENTIFIER_RATE_LIMIT": "10000 per minute"})
        with app.app_context():
            upgrade()
            load_reference_data()
            seed_demo()
            db.session.commit()
            start = time.perf_counter()
            index = build_index()
            build_ms = (time.perf_counter() - start) * 1000
            vacancy_id = db.session.scalar(
                select(Vacancy.id).join(OrganisationMember, OrganisationMember.organisation_id
                                        == Vacancy.organisation_id)
                .join(User).where(User.email == "employer1@demo.kz").order_by(Vacancy.id))
            sizes = {"candidates": index.n_candidates, "vacancies": index.n_vacancies}
            # A Karaganda job seeker with a hire, for the case page.
            profile_id = db.session.scalar(
                select(Claim).join(EmployerOrganisation)
                .where(EmployerOrganisation.contact_email == "employer1@demo.kz")
                .order_by(Claim.id)).employment.application.profile_id
            # The paying demo claim of employer1 (Karaganda), for the claim pages.
            claim_id = db.session.scalar(
                select(Claim.id).join(EmployerOrganisation)
                .where(EmployerOrganisation.contact_email == "employer1@demo.kz",
                       Claim.status == ClaimStatus.ACTIVE))
        results = {"index_build_ms": round(build_ms, 1), "index": sizes, "pages": {}}
        client = app.test_client()
        results["pages"]["/jobs"] = _timed(client, "/jobs")
        results["pages"]["/jobs?q=..."] = _timed(client, "/jobs?q=%D1%81%D0%B2%D0%B0%D1%80")
        for login, path in (("+77010000001", "/candidate/recommendations"),
                            ("employer1@demo.kz",
                             f"/employer/vacancies/{vacancy_id}/candidates"),
                            ("employer1@demo.kz", "/employer/claims"),
                            ("employer1@demo.kz", f"/employer/claims/{claim_id}"),
                            ("staff.karaganda@demo.kz", "/staff/claims"),
                            ("staff.karaganda@demo.kz", f"/staff/claims/{claim_id}"),
                            ("staff.karaganda@demo.kz", "/staff/"),
                            ("staff.karaganda@demo.kz", "/staff/caseload"),
                            ("staff.karaganda@demo.kz", f"/staff/candidates/{profile_id}"),
                            ("staff.karaganda@demo.kz", "/staff/dashboard/"),
                            ("admin@demo.kz", "/staff/dashboard/")):
            client.post("/login", data={"identifier": login, "password": DEMO_PASSWORD})
            name = path.replace(str(vacancy_id), "<id>").replace(f"/{claim_id}", "/<id>")
            name = name.replace(f"/{profile_id}", "/<id>")
            name = f"{name} (admin)" if login.startswith("admin") else name
            results["pages"][name] = _timed(client, path)
            client.post("/logout")
        json.dump(results, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
