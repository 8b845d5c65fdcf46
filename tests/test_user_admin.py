"""An administrator's page for one account: staff ↔ admin, a staff member's region, and
deactivation; never for oneself; every change audited."""

from html import unescape

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import Role, User
from marketplace.extensions import db
from marketplace.reference.models import Region
from tests.conftest import PASSWORD


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


def _region_id(app, code):
    with app.app_context():
        return db.session.scalar(select(Region.id).where(Region.code == code))


def _account(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.role, user.region.code if user.region else None, user.active


def _events(app, action):
    with app.app_context():
        return [(e.actor_id, e.object_id, e.details) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def test_admin_moves_a_staff_member_to_another_region(app, client, make_user, admin):
    staff = make_user("staff")
    page = client.get(f"/admin/users/{staff.id}")
    assert page.status_code == 200
    response = client.post(f"/admin/users/{staff.id}", data={
        "role": "staff", "region": _region_id(app, "KZ-KAR"), "active": "y"})
    assert response.status_code == 302
    assert _account(app, staff.id) == (Role.STAFF, "KZ-KAR", True)
    assert _events(app, "user:region_change") == [
        (admin.id, str(staff.id), {"from_region": "KZ-AST", "to_region": "KZ-KAR"})]
    assert _events(app, "user:role_change") == []


def test_promoting_staff_to_admin_drops_the_region(app, client, make_user, admin):
    staff = make_user("staff")
    client.post(f"/admin/users/{staff.id}", data={
        "role": "admin", "region": _region_id(app, "KZ-AST"), "active": "y"})
    assert _account(app, staff.id) == (Role.ADMIN, None, True)
    assert _events(app, "user:role_change") == [
        (admin.id, str(staff.id), {"from_role": "staff", "to_role": "admin"})]


def test_an_admin_made_staff_needs_a_region(app, client, make_user, admin):
    other = make_user("admin")
    response = client.post(f"/admin/users/{other.id}",
                           data={"role": "staff", "region": "0", "active": "y"})
    assert response.status_code == 422
    assert "Choose the region of the staff member" in unescape(response.get_data(as_text=True))
    assert _account(app, other.id) == (Role.ADMIN, None, True)

    client.post(f"/admin/users/{other.id}", data={
        "role": "staff", "region": _region_id(app, "KZ-SHY"), "active": "y"})
    assert _account(app, other.id) == (Role.STAFF, "KZ-SHY", True)


def test_a_deactivated_account_cannot_sign_in_until_reactivated(app, client, make_user,
                                                                 admin):
    staff = make_user("staff")
    region = _region_id(app, "KZ-AST")
    client.post(f"/admin/users/{staff.id}", data={"role": "staff", "region": region})
    assert _account(app, staff.id)[2] is False
    assert [e[1] for e in _events(app, "user:deactivate")] == [str(staff.id)]

    other_browser = app.test_client()
    response = other_browser.post("/login", data={"identifier": staff.login,
                                                  "password": PASSWORD})
    assert response.status_code != 302

    client.post(f"/admin/users/{staff.id}",
                data={"role": "staff", "region": region, "active": "y"})
    assert _account(app, staff.id)[2] is True
    assert len(_events(app, "user:activate")) == 1
    response = other_browser.post("/login", data={"identifier": staff.login,
                                                  "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"role": "admin"}, "You cannot deactivate your own account."),
    ({"role": "staff", "active": "y"}, "You cannot take away your own administrator role."),
])
def test_an_admin_cannot_deactivate_or_demote_themselves(app, client, admin, data, message):
    response = client.post(f"/admin/users/{admin.id}",
                           data={"region": _region_id(app, "KZ-AST"), **data})
    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))
    assert _account(app, admin.id) == (Role.ADMIN, None, True)
    assert _events(app, "user:deactivate") == _events(app, "user:role_change") == []


@pytest.mark.parametrize("role", ["candidate", "employer"])
def test_candidates_and_employers_keep_their_role(app, client, make_user, admin, role):
    user = make_user(role)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "The role of candidates and employers cannot be changed." in page
    assert 'name="role"' not in page

    # A forged role is ignored; deactivation still works.
    client.post(f"/admin/users/{user.id}", data={"role": "admin"})
    assert _account(app, user.id) == (Role(role), None, False)
    assert _events(app, "user:role_change") == []


def test_a_forged_role_for_staff_is_refused(app, client, make_user, admin):
    staff = make_user("staff")
    response = client.post(f"/admin/users/{staff.id}", data={
        "role": "candidate", "region": _region_id(app, "KZ-AST"), "active": "y"})
    assert response.status_code == 422
    assert "Not a valid choice." in response.get_data(as_text=True)
    assert _account(app, staff.id) == (Role.STAFF, "KZ-AST", True)
