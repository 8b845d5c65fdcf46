"""Pages send the same number of SQL statements whatever the number of rows they list (no query
per row), as indico's `count_queries` tests do: each page is rendered for a region with one of
everything and again for a region with twenty of everything (tests/busy_region.py)."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.extensions import db
from marketplace.staff.services import work_queues
from tests.busy_region import busy_region
from tests.querycount import assert_constant_queries

SMALL, LARGE = 1, 20

# The most statements each important page may send (the rest only has to stay constant): a
# page that needs more has started loading something per row or per section again.
CEILINGS = {
    "staff home": 15, "case page": 23, "caseload": 4, "check-ins due": 4, "staff claims": 11,
    "employer claims": 5, "skills (admin)": 6, "audit log (staff)": 9,
}


def _pages(world) -> list[tuple[str, str, str]]:
    """(name, who signs in, path) of every list page."""
    return [
        ("candidate home", "candidate", "/candidate/"),
        ("candidate applications", "candidate", "/candidate/applications"),
        ("candidate certificates", "candidate", "/candidate/certificates"),
        ("notifications (candidate)", "candidate", "/notifications/"),
        ("staff home", "staff", "/staff/"),
        ("caseload", "staff", "/staff/caseload"),
        ("check-ins due", "staff", "/staff/check-ins"),
        ("case page", "staff", f"/staff/candidates/{world.busy_profile_id}"),
        ("staff claims", "staff", "/staff/claims"),
        ("audit log (staff)", "staff", "/staff/audit"),
        ("certificates queue", "staff", "/staff/certificates"),
        ("organisations queue", "staff", "/staff/organisations"),
        ("vacancy reports", "staff", "/staff/vacancy-reports"),
        ("exports", "staff", "/exports/"),
        ("region budget", "staff", "/staff/budget"),
        ("notifications (staff)", "staff", "/notifications/"),
        ("employer claims", "employer", "/employer/claims"),
        ("employer home", "employer", "/employer/"),
        ("pipeline", "employer", f"/employer/vacancies/{world.crowded_vacancy_id}/applications"),
        ("notifications (employer)", "employer", "/notifications/"),
        ("skills (admin)", "admin", "/admin/reference/skills"),
        ("occupations (admin)", "admin", "/admin/reference/occupations"),
        ("accounts (admin)", "admin", "/admin/"),
        ("programmes (admin)", "admin", "/admin/programmes/"),
        ("audit log (admin)", "admin", "/staff/audit"),
    ]


@pytest.fixture
def statements(app, make_user, client, login, count_queries):
    """statements(n, start) → {page name: counter} for a fresh world of n rows of everything."""
    def measure(n: int, start: int) -> dict:
        world = busy_region(app, make_user, n, start=start)
        found, signed_in = {}, None
        for name, role, path in _pages(world):
            if role != signed_in:
                client.post("/logout")
                login(getattr(world, role))
                signed_in = role
            with count_queries() as counter:
                response = client.get(path)
            assert response.status_code == 200, (name, path, response.status_code)
            found[name] = counter
        return found

    return measure


def test_list_pages_send_as_many_statements_for_twenty_rows_as_for_one(statements):
    small, large = statements(SMALL, 0), statements(LARGE, 100)
    for name in small:
        assert_constant_queries({SMALL: small[name], LARGE: large[name]}, name)
    for name, ceiling in CEILINGS.items():
        assert small[name].count <= ceiling, f"{name}: {small[name].report()}"


def test_staff_home_counts_in_sql_and_shows_the_oldest_items(app, make_user, client, login,
                                                             count_queries):
    small = busy_region(app, make_user, SMALL, start=0)
    login(small.staff)
    with count_queries() as one:
        client.get("/staff/")
    large = busy_region(app, make_user, LARGE, start=100)  # same region: 21 of each
    with count_queries() as many:
        page = client.get("/staff/").get_data(as_text=True)
    assert_constant_queries({SMALL: one, SMALL + LARGE: many}, "staff home")
    assert "Кандидат 0" in page and "ТОО «Очередь 0»" in page
    with app.app_context():
        queues = {q.key: q for q in work_queues(large.region_id, date.today())}
        oldest_people = [item.label for item in queues["verify_people"].first]
    # Each queue holds the items of both worlds (the busy candidates add their own
    # certificates, hires and tasks), shows the five oldest and knows how long the oldest has
    # waited: the second world's busy candidate registered 22 days ago.
    assert queues["claims"].count == queues["months"].count == SMALL + LARGE
    assert queues["reports"].count == queues["offers"].count == SMALL + LARGE
    assert queues["certificates"].count == 2 * (SMALL + LARGE)
    assert queues["verify_people"].count == SMALL + LARGE + 2
    assert all(len(q.first) == 5 for q in queues.values())
    assert queues["verify_people"].oldest_days == LARGE + 2
    assert oldest_people == [f"Занятой {LARGE + 1}", *(f"Кандидат {i}" for i in (19, 18, 17, 16))]


def _waiting(page: str, key: str) -> int:
    return int(re.search(rf'id="queue-{key}".*?counter-big">(\d+)<', page, re.S).group(1))


def test_the_staff_home_is_kept_until_something_audited_happens(app, make_user, client, login,
                                                                count_queries):
    from marketplace.cases import services as cases
    from marketplace.staff.kept import forget_kept

    world = busy_region(app, make_user, 3)
    login(world.staff)
    app.config["STAFF_HOME_CACHE_SECONDS"] = 60
    forget_kept()
    try:
        with count_queries() as computed:
            first = client.get("/staff/").get_data(as_text=True)
        with count_queries() as kept:
            assert client.get("/staff/").get_data(as_text=True) == first
        # Kept: the page asks only who is signed in, their notifications, their region and
        # whether anything was audited since.
        assert kept.count <= 4 < computed.count, kept.report()
        assert _waiting(first, "verify_people") == 4  # three candidates and the busy one
        with app.app_context():
            staff = db.session.get(User, world.staff.id)
            profile = db.session.scalar(select(CandidateProfile).join(User).where(
                User.full_name == "Кандидат 2"))
            cases.record_release(profile, release_date=date(2025, 1, 10), institution="ИК-1",
                                 document="Справка", actor=staff)
            db.session.commit()
        after = client.get("/staff/").get_data(as_text=True)
        assert _waiting(after, "verify_people") == 3, "the release was audited: counted again"
    finally:
        app.config["STAFF_HOME_CACHE_SECONDS"] = 0
        forget_kept()
