"""Court bans and supervision conditions: encrypted at rest, audited when staff view them, and
hard filters in both rankings. Employers never learn why a candidate is absent."""

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import Schedule, Vacancy
from marketplace.extensions import db
from marketplace.reference.models import Occupation
from marketplace.restrictions import services
from marketplace.restrictions.models import CandidateRestriction, RestrictionKind
from marketplace.restrictions.services import InvalidRestriction
from tests.factories import make_candidate, make_vacancy


def _occupation():
    return db.session.scalar(select(Occupation).where(Occupation.level == "occupation",
                                                      Occupation.sector_id.is_not(None))
                             .order_by(Occupation.code))


@pytest.fixture
def staff(app, make_user):
    return make_user("staff")


def _record(app, profile_id, staff_id, fn, **kwargs):
    with app.app_context():
        profile = db.session.get(CandidateProfile, profile_id)
        restriction = fn(profile, actor=db.session.get(User, staff_id), **kwargs)
        db.session.commit()
        return restriction.id


def test_restriction_is_ciphertext_in_the_database(app, make_user, staff, skill_codes):
    _, profile_id = make_candidate(app, make_user, skill_codes)
    with app.app_context():
        code = _occupation().code
    _record(app, profile_id, staff.id, services.record_court_ban, occupations=[code])
    with app.app_context():
        raw = db.session.execute(text("SELECT data FROM candidate_restriction")).scalar_one()
        assert code.encode() not in bytes(raw)
        assert db.session.scalar(select(CandidateRestriction)).data["occupations"] == [code]


def test_staff_view_is_audited_without_the_content(app, make_user, staff, skill_codes):
    _, profile_id = make_candidate(app, make_user, skill_codes)
    _record(app, profile_id, staff.id, services.record_curfew, start="22:00", end="06:00")
    with app.app_context():
        rows = services.view_restrictions(db.session.get(CandidateProfile, profile_id),
                                          viewer=db.session.get(User, staff.id))
        db.session.commit()
        assert [r.kind for r in rows] == [RestrictionKind.CURFEW]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action ==
                                                           "restriction:view"))
        assert event.actor_id == staff.id and "22:00" not in str(event.details)


@pytest.mark.parametrize("kwargs, message", [
    ({"start": "25:00", "end": "06:00"}, "Enter the curfew as two different times"),
    ({"start": "22:00", "end": "22:00"}, "Enter the curfew as two different times"),
    ({"start": "22:00", "end": "06:00", "until": date.today() - timedelta(days=1)},
     "The end date is in the past."),
])
def test_invalid_curfew_is_refused_and_nothing_is_written(app, make_user, staff, skill_codes,
                                                           kwargs, message):
    _, profile_id = make_candidate(app, make_user, skill_codes)
    with app.app_context(), force_locale("en"):
        with pytest.raises(InvalidRestriction, match=message):
            services.record_curfew(db.session.get(CandidateProfile, profile_id),
                                   actor=db.session.get(User, staff.id), **kwargs)
        db.session.rollback()
        assert db.session.scalar(select(CandidateRestriction)) is None


def test_unknown_occupation_code_is_refused(app, make_user, staff, skill_codes):
    _, profile_id = make_candidate(app, make_user, skill_codes)
    with app.app_context(), force_locale("en"), pytest.raises(InvalidRestriction,
                                                              match="Unknown code"):
        services.record_court_ban(db.session.get(CandidateProfile, profile_id),
                                  occupations=["no-such-job"],
                                  actor=db.session.get(User, staff.id))


def _ban_vacancy_occupation(app, vacancy_id, profile_id, staff_id, until=None):
    with app.app_context():
        occupation = _occupation()
        db.session.get(Vacancy, vacancy_id).occupation = occupation
        db.session.commit()
        code = occupation.code
    _record(app, profile_id, staff_id, services.record_court_ban, occupations=[code],
            until=until)


def test_court_ban_hides_the_job_both_ways_and_the_candidate_is_told(
        app, client, make_user, login, staff, skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes, title="Запрещённая работа")
    candidate, profile_id = make_candidate(app, make_user, skill_codes)
    _ban_vacancy_occupation(app, vacancy_id, profile_id, staff.id)
    login(candidate)
    page = client.get("/candidate/recommendations").get_data(as_text=True)
    assert "Запрещённая работа" not in page
    assert "1 vacancy is not open to you because of a restriction" in page
    assert "Your case manager" in page
    client.post("/logout")
    login(employer)
    page = client.get(f"/employer/vacancies/{vacancy_id}/candidates").get_data(as_text=True)
    assert "Сварщик" not in page, "the banned candidate is simply absent"
    assert "restriction" not in page.lower() and "ban" not in page.lower()


def test_a_ban_that_has_ended_filters_nothing(app, client, make_user, login, staff, skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes, title="Снова доступная")
    candidate, profile_id = make_candidate(app, make_user, skill_codes)
    _ban_vacancy_occupation(app, vacancy_id, profile_id, staff.id, until=date.today())
    with app.app_context():
        from marketplace.matches.index import current_index
        from marketplace.restrictions.services import matching_restrictions

        restrictions = matching_restrictions([profile_id])[profile_id]
        tomorrow = date.today() + timedelta(days=1)
        index = current_index()
        assert index.rank_candidates(vacancy_id, today=date.today()).total == 0
        assert index.rank_candidates(vacancy_id, today=tomorrow).total == 1
        assert restrictions.bans[0].until == date.today()


def test_curfew_hides_night_shifts_only(app, client, make_user, login, staff, skill_codes):
    employer = make_user("employer")
    night_id = make_vacancy(app, employer, skill_codes, title="Ночной сторож склада")
    make_vacancy(app, employer, skill_codes, title="Дневная работа")
    with app.app_context():
        db.session.get(Vacancy, night_id).schedule = Schedule.NIGHT
        db.session.commit()
    candidate, profile_id = make_candidate(app, make_user, skill_codes)
    _record(app, profile_id, staff.id, services.record_curfew, start="22:00", end="06:00")
    login(candidate)
    page = client.get("/candidate/recommendations").get_data(as_text=True)
    assert "Дневная работа" in page and "Ночной сторож склада" not in page


def test_lifting_a_restriction_reopens_the_job(app, client, make_user, login, staff,
                                               skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes, title="Работа после снятия")
    candidate, profile_id = make_candidate(app, make_user, skill_codes)
    _ban_vacancy_occupation(app, vacancy_id, profile_id, staff.id)
    login(candidate)
    assert "Работа после снятия" not in client.get("/candidate/recommendations").get_data(
        as_text=True)
    with app.app_context():
        restriction = db.session.scalar(select(CandidateRestriction))
        services.lift(restriction, actor=db.session.get(User, staff.id))
        db.session.commit()
    assert "Работа после снятия" in client.get("/candidate/recommendations").get_data(
        as_text=True)


def test_search_hides_and_apply_refuses_a_job_the_candidate_is_banned_from(
        app, client, make_user, login, staff, skill_codes):
    employer = make_user("employer")
    vacancy_id = make_vacancy(app, employer, skill_codes, title="Кассир в банке")
    make_vacancy(app, employer, skill_codes, title="Грузчик на склад")
    candidate, profile_id = make_candidate(app, make_user, skill_codes)
    _ban_vacancy_occupation(app, vacancy_id, profile_id, staff.id)
    login(candidate)
    page = client.get("/jobs").get_data(as_text=True)
    assert "Грузчик на склад" in page and "Кассир в банке" not in page
    assert "1 vacancy is not open to you because of a restriction" in page
    detail = client.get(f"/jobs/{vacancy_id}").get_data(as_text=True)
    assert "not open to you because of a restriction" in detail
    refused = client.post(f"/jobs/{vacancy_id}/apply", data={"note": ""},
                          follow_redirects=True).get_data(as_text=True)
    assert "not open to you because of a restriction" in refused
    with app.app_context():
        from marketplace.hiring.models import Application

        assert db.session.scalar(select(Application)) is None
    client.post("/logout")
    assert "Кассир в банке" in client.get("/jobs").get_data(as_text=True), "others still see it"


def test_the_daily_refresh_lets_an_ended_curfew_stop_filtering(app, client, make_user, login,
                                                               staff, skill_codes):
    """A curfew's end date is applied when the profile is indexed; `flask matching-refresh`
    makes every worker rebuild so the day after it ends the job is shown again."""
    from unittest import mock

    employer = make_user("employer")
    night_id = make_vacancy(app, employer, skill_codes, title="Ночная смена на складе")
    with app.app_context():
        db.session.get(Vacancy, night_id).schedule = Schedule.NIGHT
        db.session.commit()
    candidate, profile_id = make_candidate(app, make_user, skill_codes)
    _record(app, profile_id, staff.id, services.record_curfew, start="22:00", end="06:00",
            until=date.today())
    with app.app_context():
        from marketplace.matches.index import current_index

        assert current_index().rank_candidates(night_id).total == 0
    tomorrow = date.today() + timedelta(days=1)
    with mock.patch("marketplace.restrictions.services.date") as fake_date:
        fake_date.today.return_value = tomorrow
        fake_date.fromisoformat = date.fromisoformat
        result = app.test_cli_runner().invoke(args=["matching-refresh"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            assert current_index().rank_candidates(night_id).total == 1
