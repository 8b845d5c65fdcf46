"""The web side of matching: the change log, the per-process index, the two ranked pages and
training weights from outcomes."""


import pytest
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import (
    VacancyStatus,
    VerificationStatus,
)
from marketplace.extensions import db
from marketplace.matches.index import current_index, forget_index
from marketplace.matches.models import MatchChange, MatchingWeights, MatchOutcome, Outcome
from tests.factories import make_candidate, make_vacancy, skill_by_code


def test_committed_changes_are_logged_and_rolled_back_ones_are_not(app, make_user, skill_codes):
    _, profile_id = make_candidate(app, make_user, skill_codes)
    with app.app_context():
        logged = set(db.session.execute(select(MatchChange.entity, MatchChange.entity_id)).all())
        assert ("candidate", profile_id) in logged
        before = db.session.scalar(select(func.count(MatchChange.id)))
        db.session.get(CandidateProfile, profile_id).summary = "изменено"
        db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(func.count(MatchChange.id))) == before


def test_employer_sees_discoverable_candidates_ranked_and_anonymised(
        app, client, make_user, login, skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    strong, _ = make_candidate(app, make_user, skill_codes, title="Сильный сварщик")
    make_candidate(app, make_user, skill_codes[:1], title="Ученик")
    make_candidate(app, make_user, skill_codes, discoverable=False, title="Скрытый сварщик")
    login(employer)
    page = client.get(f"/employer/vacancies/{vacancy_id}/candidates").get_data(as_text=True)
    assert "Candidate no. 1: Сильный сварщик" in page and "Candidate no. 2: Ученик" in page
    assert "Скрытый сварщик" not in page, "no consent, not shown"
    assert "/invite/" not in page, "the invite form carries an opaque token, not an id"
    assert strong.login not in page and "Жасырын Есім" not in page, "no names or phones"
    assert "Required skills present:" in page and "Required skills missing:" in page
    assert "How the score is made up" in page


def test_another_organisations_vacancy_is_a_404(app, client, make_user, login, skill_codes):
    owner, outsider = make_user("employer"), make_user("employer")
    vacancy_id = make_vacancy(app, owner, skill_codes)
    login(outsider)
    assert client.get(f"/employer/vacancies/{vacancy_id}/candidates").status_code == 404


def test_revoking_consent_removes_the_candidate_from_rankings(
        app, client, make_user, login, skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    candidate, profile_id = make_candidate(app, make_user, skill_codes, title="Согласный")
    login(employer)
    url = f"/employer/vacancies/{vacancy_id}/candidates"
    assert "Согласный" in client.get(url).get_data(as_text=True)
    with app.app_context():
        db.session.get(CandidateProfile, profile_id).discoverable = False
        db.session.commit()
    assert "Согласный" not in client.get(url).get_data(as_text=True)


def test_a_draft_vacancy_shows_no_ranking(app, client, make_user, login, skill_codes):
    from marketplace.employers.models import VacancyStatus

    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes, status=VacancyStatus.DRAFT)
    make_candidate(app, make_user, skill_codes, title="Любой сварщик")
    login(employer)
    page = client.get(f"/employer/vacancies/{vacancy_id}/candidates").get_data(as_text=True)
    assert "Любой сварщик" not in page
    assert "shown once the vacancy is published" in page


def test_candidate_gets_public_vacancies_with_reasons_in_kazakh(
        app, client, make_user, login, skill_codes):
    employer, unverified = make_user("employer"), make_user("employer")
    open_id = make_vacancy(app, employer, skill_codes, title="Дәнекерлеуші")
    make_vacancy(app, employer, skill_codes, status=VacancyStatus.DRAFT, title="Черновик")
    make_vacancy(app, unverified, skill_codes, org_status=VerificationStatus.PENDING,
                 title="Непроверенная")
    candidate, _ = make_candidate(app, make_user, skill_codes[:2], discoverable=False)
    login(candidate)
    page = client.get("/candidate/recommendations",
                      headers={"Accept-Language": "kk"}).get_data(as_text=True)
    assert "Дәнекерлеуші" in page and f'id="vac-{open_id}"' in page
    assert "Черновик" not in page and "Непроверенная" not in page
    with app.app_context():
        missing = skill_by_code(skill_codes[2])
        assert missing.name_kk in page, "missing skill named in Kazakh"


def test_skill_gap_advice_names_the_skill_that_opens_vacancies(
        app, client, make_user, login, skill_codes):
    employer = make_user("employer")
    make_vacancy(app, employer, skill_codes)
    make_vacancy(app, employer, skill_codes, title="Второй")
    candidate, _ = make_candidate(app, make_user, skill_codes[:2])
    login(candidate)
    page = client.get("/candidate/recommendations").get_data(as_text=True)
    with app.app_context():
        name = skill_by_code(skill_codes[2]).name_en
    assert f"Learn {name}:" in page and "2 more vacancies" in page


def test_empty_profile_is_told_it_is_incomplete(client, make_user, login, app, skill_codes):
    make_vacancy(app, make_user("employer"), skill_codes)
    login(make_user("candidate"))
    page = client.get("/candidate/recommendations").get_data(as_text=True)
    assert "Your profile has little information" in page


def test_a_second_worker_sees_the_same_changes(app, database_url, make_user, skill_codes):
    """Two app objects stand for two gunicorn workers, each with its own index."""
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    worker = create_app({"TESTING": True, "SECRET_KEY": "x",
                         "SQLALCHEMY_DATABASE_URI": database_url})
    try:
        with worker.app_context():
            assert current_index().rank_candidates(vacancy_id).total == 0
        make_candidate(app, make_user, skill_codes)
        with app.app_context():
            assert current_index().rank_candidates(vacancy_id).total == 1
        with worker.app_context():
            assert current_index().rank_candidates(vacancy_id).total == 1, "replayed the log"
            forget_index()
    finally:
        with worker.app_context():
            db.engine.dispose()


def _record_outcomes(app, make_user, skill_codes, count):
    employer = make_user("employer")
    vacancies = [make_vacancy(app, employer, skill_codes) for _ in range(count // 5)]
    for n in range(count):
        good = n % 2 == 0
        _, profile_id = make_candidate(app, make_user, skill_codes if good else skill_codes[:1],
                                       title="Сварщик" if good else "")
        with app.app_context():
            db.session.add(MatchOutcome(vacancy_id=vacancies[n % len(vacancies)],
                                        candidate_id=profile_id,
                                        outcome=Outcome.HIRED if good
                                        else Outcome.REJECTED_AFTER_INTERVIEW))
            db.session.commit()


def test_training_refuses_with_too_few_outcomes(app, make_user, skill_codes):
    _record_outcomes(app, make_user, skill_codes, 5)
    result = app.test_cli_runner().invoke(args=["matching-train", "--min-outcomes", "50"])
    assert result.exit_code == 0, result.output
    assert "Outcomes: 5 (minimum 50)." in result.output
    assert "Not trained (too_few_examples)" in result.output
    with app.app_context():
        run = db.session.scalar(select(MatchingWeights))
        assert run.adopted is False


def test_training_reports_ndcg_for_current_and_new_weights(app, make_user, skill_codes):
    _record_outcomes(app, make_user, skill_codes, 40)
    result = app.test_cli_runner().invoke(args=["matching-train", "--min-outcomes", "20"])
    assert result.exit_code == 0, result.output
    assert "NDCG@10 on held-out outcomes: current" in result.output
    with app.app_context():
        run = db.session.scalar(select(MatchingWeights))
        assert run.current_ndcg is not None and run.new_ndcg is not None
        assert run.adopted == (run.new_ndcg > run.current_ndcg)
        if run.adopted:
            assert current_index().weights == pytest.approx(run.weights)


def test_a_verified_certificate_lifts_the_candidate(app, make_user, skill_codes):
    from datetime import date

    from marketplace.auth.models import User
    from marketplace.certificates import services as certificates
    from tests.factories import skill_by_code

    employer, staff = make_user("employer"), make_user("staff", region_code="KZ-AST")
    vacancy_id = make_vacancy(app, employer, skill_codes)
    _, plain_id = make_candidate(app, make_user, skill_codes)
    candidate, certified_id = make_candidate(app, make_user, skill_codes)
    with app.app_context():
        profile = db.session.get(CandidateProfile, certified_id)
        certificate = certificates.add_certificate(
            profile, title="Сварщик 3 разряда", issuer="Колледж при учреждении",
            issued_on=date(2025, 5, 1), expires_on=None,
            skill_ids=[skill_by_code(code).id for code in skill_codes],
            actor=db.session.get(User, candidate.id))
        certificates.verify(certificate, staff=db.session.get(User, staff.id))
        db.session.commit()
        page = current_index().rank_candidates(vacancy_id)
        scores = {m.id: m.score for m in page.items}
        assert scores[certified_id] > scores[plain_id]
        matched = next(m for m in page.items if m.id == certified_id).explanation
        assert all(entry["certified"] for entry in matched["matched_required"])
