"""The audit log viewer: filters by actor, object, action and dates; staff see their region only;
bad dates are explained and ignored; every search is itself recorded."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.models import ReleaseRecord
from marketplace.extensions import db
from marketplace.restrictions.models import CandidateRestriction, RestrictionKind


def _event(app, marker, *, action="test:thing", actor=None, object_type="system",
           object_id=None, when=None, **details):
    """One event, written directly so each test controls every column; `marker` is unique text
    in its details by which the page's rows are recognised."""
    with app.app_context():
        event = AuditEvent(action=action, actor_id=actor.id if actor else None,
                           object_type=object_type,
                           object_id=None if object_id is None else str(object_id),
                           details={"marker": marker, **details})
        if when is not None:
            event.created_at = when
        db.session.add(event)
        db.session.commit()
        return event.id


def _profile_id(app, user):
    with app.app_context():
        return db.session.scalar(select(CandidateProfile.id).where(
            CandidateProfile.user_id == user.id))


def _has(html, marker):
    """Whether the page lists the event with this marker."""
    return f"marker:</span> {marker}</li>" in html


def _page(client, **params):
    response = client.get("/staff/audit", query_string=params)
    return response.status_code, response.get_data(as_text=True)


@pytest.fixture
def staff(make_user):
    return make_user("staff", full_name="Алия Сейтқали", email="aliya@jc.kz")


@pytest.fixture
def colleague(make_user):
    return make_user("staff", full_name="Бауыржан Омаров", email="baur@jc.kz")


@pytest.fixture
def admin(make_user):
    return make_user("admin", full_name="Бас Әкімші")


def test_actor_filter_by_name_email_or_account_number(app, client, login, staff, colleague,
                                                      admin):
    _event(app, "by-aliya", actor=staff)
    _event(app, "by-baur", actor=colleague)
    login(admin)

    for actor in ("Алия", "алия", "aliya@JC", str(staff.id)):
        status, html = _page(client, actor=actor)
        assert status == 200
        assert _has(html, "by-aliya"), actor
        assert not _has(html, "by-baur"), actor
    for nobody in ("²", "99999999999", "50%"):  # odd input finds no one, never a 500
        status, html = _page(client, actor=nobody)
        assert status == 200
        assert "No events match." in html


def test_object_filter_by_type_and_number(app, client, login, admin):
    _event(app, "profile-7", object_type="candidate_profile", object_id=7)
    _event(app, "profile-8", object_type="candidate_profile", object_id=8)
    _event(app, "claim-7", object_type="claim", object_id=7)
    login(admin)

    _, html = _page(client, object_type="candidate_profile", object_id="7")
    assert _has(html, "profile-7")
    assert not _has(html, "profile-8") and not _has(html, "claim-7")

    _, html = _page(client, object_type="candidate_profile")
    assert _has(html, "profile-7") and _has(html, "profile-8") and not _has(html, "claim-7")


def test_action_filter_by_area_and_by_beginning_of_action(app, client, login, admin):
    _event(app, "approve", action="claim:approve")
    _event(app, "reject", action="claim:reject")
    _event(app, "vacancy", action="vacancy:hide")
    login(admin)

    status, html = _page(client)
    assert status == 200
    assert '<option value="claim">claim:…</option>' in html  # areas come from the log itself

    _, html = _page(client, area="claim")
    assert _has(html, "approve") and _has(html, "reject") and not _has(html, "vacancy")

    _, html = _page(client, action="claim:app")
    assert _has(html, "approve") and not _has(html, "reject")

    # A LIKE wildcard typed by the user is an ordinary character.
    _, html = _page(client, action="claim%")
    assert "No events match." in html


def test_date_range_includes_the_whole_last_day(app, client, login, admin):
    _event(app, "before", when=datetime(2025, 1, 9, 23, 59, tzinfo=UTC))
    _event(app, "first-day", when=datetime(2025, 1, 10, 0, 0, tzinfo=UTC))
    _event(app, "last-day", when=datetime(2025, 1, 20, 23, 59, tzinfo=UTC))
    _event(app, "after", when=datetime(2025, 1, 21, 0, 0, tzinfo=UTC))
    login(admin)

    status, html = _page(client, date_from="2025-01-10", date_to="2025-01-20")
    assert status == 200
    assert _has(html, "first-day") and _has(html, "last-day")
    assert not _has(html, "before") and not _has(html, "after")


@pytest.mark.parametrize("params, message", [
    ({"date_from": "10.01.2025"}, "Enter a date, e.g. 2025-06-30. This date was ignored."),
    ({"date_to": "2025-02-30"}, "Enter a date, e.g. 2025-06-30. This date was ignored."),
    ({"date_from": "2025-02-01", "date_to": "2025-01-01"},
     "The end date is before the start date. The dates were ignored."),
])
def test_bad_dates_are_explained_and_ignored(app, client, login, admin, params, message):
    _event(app, "old", when=datetime(2020, 5, 1, tzinfo=UTC))
    login(admin)

    status, html = _page(client, **params)
    assert status == 422
    assert message in html
    assert _has(html, "old")  # the search ran without the refused dates


def test_staff_see_their_regions_staff_and_candidates_only(app, client, login, make_user,
                                                           staff, colleague, admin):
    other_staff = make_user("staff", region_code="KZ-KAR")
    here = _profile_id(app, make_user("candidate"))
    there = _profile_id(app, make_user("candidate", region_code="KZ-KAR"))
    with app.app_context():
        restriction = CandidateRestriction(profile_id=here, kind=RestrictionKind.CURFEW,
                                           data={"start": "22:00", "end": "06:00",
                                                 "until": None})
        release = ReleaseRecord(profile_id=there, release_date=date(2025, 3, 1),
                                details={"institution": "x", "document": "y"},
                                verified_by_id=other_staff.id)
        db.session.add_all([restriction, release])
        db.session.commit()
        restriction_id, release_id = restriction.id, release.id

    _event(app, "colleague-did", actor=colleague)
    _event(app, "about-our-candidate", actor=admin, object_type="candidate_profile",
           object_id=here)
    _event(app, "about-our-restriction", actor=other_staff,
           object_type="candidate_restriction", object_id=restriction_id)
    _event(app, "other-staff-did", actor=other_staff)
    _event(app, "about-their-candidate", actor=admin, object_type="candidate_profile",
           object_id=there)
    _event(app, "about-their-release", actor=admin, object_type="release_record",
           object_id=release_id)
    _event(app, "admin-did", actor=admin, object_type="user", object_id=admin.id)
    mine = {"colleague-did", "about-our-candidate", "about-our-restriction"}
    others = {"other-staff-did", "about-their-candidate", "about-their-release", "admin-did"}

    login(staff)
    _, html = _page(client)
    assert all(_has(html, marker) for marker in mine)
    assert not any(_has(html, marker) for marker in others)

    # A filter cannot widen the scope.
    _, html = _page(client, actor=str(other_staff.id))
    assert not _has(html, "other-staff-did")

    client.post("/logout")
    login(make_user("staff", region_code="KZ-KAR"))
    _, html = _page(client)
    # Karaganda sees what its own officer did, even to an Astana candidate's restriction.
    assert {marker for marker in mine | others if _has(html, marker)} == {
        "other-staff-did", "about-their-candidate", "about-their-release",
        "about-our-restriction"}

    client.post("/logout")
    login(admin)
    _, html = _page(client)
    assert all(_has(html, marker) for marker in mine | others)


def test_the_search_is_recorded_with_its_filters_and_never_lists_itself(app, client, login,
                                                                        staff):
    login(staff)
    status, html = _page(client, actor="Бауыржан", area="user", date_from="2025-01-01")
    assert status == 200
    with app.app_context():
        searches = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "audit:search")).all()
    assert len(searches) == 1
    assert searches[0].actor_id == staff.id
    assert searches[0].details["filters"] == {"actor": "Бауыржан", "area": "user",
                                              "date_from": "2025-01-01"}
    assert "audit:search" not in html  # recorded after the query ran

    _, html = _page(client)
    assert "audit:search" in html  # the first search, seen by the next one


def test_details_are_shown_as_key_value_pairs(app, client, login, admin):
    _event(app, "pairs", action="programme:update", changes={"name_ru": ["Старое", "Новое"]},
           amount="250000.00")
    login(admin)

    _, html = _page(client, action="programme:update")
    assert "amount:</span> 250000.00" in html
    assert "changes:</span> {&#34;name_ru&#34;: [&#34;Старое&#34;, &#34;Новое&#34;]}" in html


def test_newest_first_fifty_a_page(app, client, login, admin):
    for n in range(55):
        _event(app, f"n{n:02d}", when=datetime(2024, 1, 1, 0, n, tzinfo=UTC))
    login(admin)

    status, first = _page(client, action="test:")
    assert status == 200 and len(first.encode()) < 100_000
    _, second = _page(client, action="test:", page=2)
    assert first.index("n54") < first.index("n53")
    assert _has(first, "n05") and not _has(first, "n04")
    assert _has(second, "n04") and _has(second, "n00") and not _has(second, "n05")
    assert "Page 2 of 2" in second
