"""Organisations: details, members and invitations, and job-centre verification."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.db_types import utcnow
from marketplace.demo.seed import demo_bin
from marketplace.employers.models import (
    EmployerOrganisation,
    MemberRole,
    OrganisationInvite,
    OrganisationMember,
    VerificationStatus,
)
from marketplace.employers.verification import (
    ORGANISATION_ACTIONS,
    ORGANISATION_TRANSITIONS,
    InvalidOrganisationTransition,
    next_status,
)
from marketplace.extensions import db
from marketplace.mail import read_outbox
from marketplace.reference.models import Region, Sector


def org_of(app, user):
    with app.app_context():
        return db.session.scalar(select(OrganisationMember.organisation_id)
                                 .where(OrganisationMember.user_id == user.id))


def organisation(app, org_id):
    with app.app_context():
        org = db.session.get(EmployerOrganisation, org_id)
        db.session.expunge(org)
        return org


def audit_actions(app):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.mark.parametrize("status", list(VerificationStatus))
@pytest.mark.parametrize("action", ORGANISATION_ACTIONS)
def test_every_status_and_action_pair(status, action):
    expected = ORGANISATION_TRANSITIONS.get((status, action))
    if expected is None:
        with pytest.raises(InvalidOrganisationTransition):
            next_status(status, action)
    else:
        assert next_status(status, action) is expected


def test_transition_table_is_the_documented_one():
    assert ORGANISATION_TRANSITIONS == {
        (VerificationStatus.PENDING, "verify"): VerificationStatus.VERIFIED,
        (VerificationStatus.PENDING, "reject"): VerificationStatus.REJECTED,
        (VerificationStatus.REJECTED, "resubmit"): VerificationStatus.PENDING,
        (VerificationStatus.VERIFIED, "reverify"): VerificationStatus.PENDING,
    }


# --- verification -------------------------------------------------------------------------------

def test_queue_shows_own_region_pending_oldest_first_with_age(app, client, make_user, login):
    older, newer = make_user("employer"), make_user("employer")
    elsewhere = make_user("employer", region_code="KZ-SHY")
    with app.app_context():
        db.session.get(EmployerOrganisation, org_of(app, older)).submitted_at = \
            utcnow() - timedelta(days=5, hours=1)
        db.session.commit()
    login(make_user("staff"))
    page = client.get("/staff/organisations").get_data(as_text=True)
    older_name = organisation(app, org_of(app, older)).name
    newer_name = organisation(app, org_of(app, newer)).name
    assert page.index(older_name) < page.index(newer_name)
    assert "5 days" in page and "0 days" in page
    assert organisation(app, org_of(app, elsewhere)).name not in page
    assert client.get(f"/staff/organisations/{org_of(app, elsewhere)}").status_code == 404
    assert client.get("/staff/organisations?status=bogus").status_code == 200
    client.post("/logout")
    login(make_user("admin"))
    page = client.get("/staff/organisations").get_data(as_text=True)
    assert organisation(app, org_of(app, elsewhere)).name in page


def test_staff_verify_once(app, client, make_user, login):
    owner = make_user("employer")
    org_id = org_of(app, owner)
    staff = make_user("staff")
    login(staff)
    review = client.get(f"/staff/organisations/{org_id}")
    assert review.status_code == 200 and "Verify" in review.get_data(as_text=True)
    assert client.post(f"/staff/organisations/{org_id}/verify").status_code == 302
    org = organisation(app, org_id)
    assert org.status is VerificationStatus.VERIFIED and org.verified_by_id == staff.id
    assert org.verified_at is not None
    again = client.post(f"/staff/organisations/{org_id}/verify", follow_redirects=True)
    assert "Only an organisation waiting for verification can be verified." in again.get_data(
        as_text=True)
    assert audit_actions(app).count("organisation:verify") == 1


def test_reject_needs_a_reason_and_the_owner_can_resubmit(app, client, make_user, login):
    owner = make_user("employer")
    org_id = org_of(app, owner)
    login(make_user("staff"))
    empty = client.post(f"/staff/organisations/{org_id}/reject", data={"reason": " "})
    assert empty.status_code == 422 and "This field is required." in empty.get_data(as_text=True)
    long = client.post(f"/staff/organisations/{org_id}/reject", data={"reason": "я" * 2001})
    assert long.status_code == 422
    assert organisation(app, org_id).status is VerificationStatus.PENDING
    client.post(f"/staff/organisations/{org_id}/reject",
                data={"reason": "БИН не найден в реестре"})
    assert organisation(app, org_id).status is VerificationStatus.REJECTED
    client.post("/logout")
    login(owner)
    assert "БИН не найден в реестре" in client.get("/employer/").get_data(as_text=True)
    before = organisation(app, org_id).submitted_at
    edit = client.get(f"/employer/organisations/{org_id}/edit").get_data(as_text=True)
    assert "Save and send for verification" in edit
    response = client.post(f"/employer/organisations/{org_id}/edit", data=_org_form(
        app, name="ТОО «Исправлено»", bin=demo_bin(901)), follow_redirects=True)
    assert "sent to the job centre for verification again" in response.get_data(as_text=True)
    org = organisation(app, org_id)
    assert org.status is VerificationStatus.PENDING and org.submitted_at > before
    assert org.bin == demo_bin(901) and org.name == "ТОО «Исправлено»"
    actions = [a for a in audit_actions(app) if a.startswith("organisation:")]
    assert actions[-3:] == ["organisation:reject", "organisation:update",
                            "organisation:resubmit"]


# --- details ------------------------------------------------------------------------------------

def _org_form(app, **overrides):
    with app.app_context():
        region = db.session.scalar(select(Region.id).where(Region.code == "KZ-KAR"))
        sector = db.session.scalar(select(Sector.id).order_by(Sector.id))
    data = {"name": "ТОО «Новое имя»", "bin": demo_bin(900), "region": region,
            "sector": sector, "address": "Караганда, ул. Ерубаева, 1",
            "contact_phone": "8 701 111 22 33", "contact_email": "HR@Example.kz",
            "fair_chance_pledge": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_owner_edits_details_and_the_pledge(app, client, make_user, login):
    owner = make_user("employer")
    org_id = org_of(app, owner)
    login(owner)
    response = client.post(f"/employer/organisations/{org_id}/edit", data=_org_form(app))
    assert response.status_code == 302
    org = organisation(app, org_id)
    assert org.fair_chance_pledge and org.contact_phone == "+77011112233"
    assert org.contact_email == "hr@example.kz" and org.bin == demo_bin(900)
    assert org.status is VerificationStatus.PENDING


def test_bin_is_frozen_after_verification(app, client, make_user, login):
    owner = make_user("employer")
    org_id = org_of(app, owner)
    old_bin = organisation(app, org_id).bin
    with app.app_context():
        db.session.get(EmployerOrganisation, org_id).status = VerificationStatus.VERIFIED
        db.session.commit()
    login(owner)
    assert 'name="bin"' not in client.get(f"/employer/organisations/{org_id}/edit").get_data(
        as_text=True)
    client.post(f"/employer/organisations/{org_id}/edit", data=_org_form(app))
    org = organisation(app, org_id)
    assert org.bin == old_bin and org.name == "ТОО «Новое имя»"
    assert org.status is VerificationStatus.PENDING, "a new name is checked again"


@pytest.mark.parametrize("overrides, message", [
    ({"name": ""}, "This field is required."),
    ({"name": "Я" * 201}, "Field cannot be longer than 200 characters."),
    ({"bin": "123"}, "This BIN is not valid"),
    ({"contact_phone": "12345"}, "Enter a Kazakhstan mobile number"),
    ({"contact_email": "not-an-email"}, "Invalid email address."),
    ({"address": "А" * 301}, "Field cannot be longer than 300 characters."),
    ({"region": "abc"}, "Invalid Choice: could not coerce."),
    ({"sector": "999999"}, "Not a valid choice."),
    ({"name": "Нул\x00ь"}, "Contains characters that cannot be saved."),
])
def test_invalid_organisation_details_change_nothing(app, client, make_user, login, overrides,
                                                     message):
    owner = make_user("employer")
    org_id = org_of(app, owner)
    before = organisation(app, org_id)
    login(owner)
    response = client.post(f"/employer/organisations/{org_id}/edit",
                           data=_org_form(app, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    after = organisation(app, org_id)
    assert (after.name, after.bin, after.fair_chance_pledge) == (before.name, before.bin, False)


def test_bin_of_another_organisation_is_refused(app, client, make_user, login):
    owner, other = make_user("employer"), make_user("employer")
    login(owner)
    taken = organisation(app, org_of(app, other)).bin
    response = client.post(f"/employer/organisations/{org_of(app, owner)}/edit",
                           data=_org_form(app, bin=taken))
    assert response.status_code == 422
    assert "This organisation is already registered." in response.get_data(as_text=True)


# --- members and invitations --------------------------------------------------------------------

def _invite(client, org_id, email="colleague@example.kz"):
    return client.post(f"/employer/organisations/{org_id}/invites", data={"email": email})


def _link():
    return re.search(r"http://\S+/employer/invites/\S+", read_outbox()[-1]["body"]).group(0)


def test_owner_invites_a_colleague_who_registers(app, client, make_user, login):
    owner = make_user("employer")
    org_id = org_of(app, owner)
    login(owner)
    assert _invite(client, org_id, "Colleague@Example.kz").status_code == 302
    assert _invite(client, org_id).status_code == 422, "a double submit sends nothing new"
    with app.app_context():
        assert read_outbox()[0]["to"] == "colleague@example.kz" and len(read_outbox()) == 1
        invite = db.session.scalar(select(OrganisationInvite))
        token = _link().rsplit("/", 1)[1]
        assert token not in invite.token_hash and len(invite.token_hash) == 64
        assert timedelta(days=6, hours=23) < invite.expires_at - invite.created_at \
            <= timedelta(days=7)
        link = _link()
    page = client.get(f"/employer/organisations/{org_id}").get_data(as_text=True)
    assert "colleague@example.kz" in page and "Invitations waiting" in page
    client.post("/logout")
    path = link.split("localhost", 1)[-1]
    form = client.get(path)
    assert form.status_code == 200 and 'value="colleague@example.kz"' in form.get_data(
        as_text=True)
    bad = client.post(path, data={"full_name": "Коллега", "email": "colleague@example.kz",
                                  "password": "short", "confirm": "short", "consent": "y"})
    assert bad.status_code == 422 and "8 to 128 characters" in bad.get_data(as_text=True)
    response = client.post(path, data={"full_name": "Коллега Айгерим",
                                       "email": "colleague@example.kz", "phone": "",
                                       "password": "long-enough-1", "confirm": "long-enough-1",
                                       "consent": "y"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "colleague@example.kz"))
        membership = db.session.scalar(select(OrganisationMember).where(
            OrganisationMember.user_id == user.id))
        assert membership.organisation_id == org_id and membership.role is MemberRole.MEMBER
        assert user.role.value == "employer"
    assert "Коллега Айгерим" in client.get("/employer/").get_data(as_text=True)
    client.post("/logout")
    reused = client.get(path)
    assert reused.status_code == 404 and "already been used" in reused.get_data(as_text=True)


def test_signed_in_employer_accepts_and_others_cannot(app, client, make_user, login):
    owner, colleague = make_user("employer"), make_user("employer")
    org_id = org_of(app, owner)
    login(owner)
    _invite(client, org_id, "someone@example.kz")
    with app.app_context():
        path = _link().split("localhost", 1)[-1]
    client.post("/logout")
    login(make_user("candidate"))
    assert client.get(path).status_code == 403
    client.post("/logout")
    login(colleague)
    assert "Join the organisation" in client.get(path).get_data(as_text=True)
    assert client.post(path).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(OrganisationMember.id)).where(
            OrganisationMember.organisation_id == org_id)) == 2
    assert client.post(path).status_code == 404, "single use"


def test_expired_cancelled_and_forged_links_are_refused(app, client, make_user, login):
    owner = make_user("employer")
    org_id = org_of(app, owner)
    login(owner)
    _invite(client, org_id, "late@example.kz")
    with app.app_context():
        late = _link().split("localhost", 1)[-1]
        db.session.scalar(select(OrganisationInvite)).expires_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    _invite(client, org_id, "cancelled@example.kz")
    with app.app_context():
        cancelled = _link().split("localhost", 1)[-1]
        invite_id = db.session.scalar(select(OrganisationInvite.id).where(
            OrganisationInvite.email == "cancelled@example.kz"))
    client.post(f"/employer/organisations/{org_id}/invites/{invite_id}/cancel")
    assert _invite(client, org_id, "cancelled@example.kz").status_code == 302, "may resend"
    client.post("/logout")
    assert "has expired" in client.get(late).get_data(as_text=True)
    assert client.get(cancelled).status_code == 404
    assert client.get(late[:-3] + "xyz").status_code == 404


def test_invite_rules(app, client, make_user, login):
    owner = make_user("employer", email="owner@example.kz")
    org_id = org_of(app, owner)
    login(owner)
    for email, message in (("not-an-email", "Invalid email address."),
                           ("", "This field is required."),
                           ("owner@example.kz", "already a member")):
        response = _invite(client, org_id, email)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(OrganisationInvite.id))) == 0


def test_owner_removes_a_member_but_not_themselves(app, client, make_user, login):
    owner, colleague = make_user("employer"), make_user("employer")
    org_id = org_of(app, owner)
    with app.app_context():
        db.session.add(OrganisationMember(organisation_id=org_id, user_id=colleague.id,
                                          role=MemberRole.MEMBER))
        db.session.commit()
        ids = dict(db.session.execute(select(OrganisationMember.user_id, OrganisationMember.id)
                                      .where(OrganisationMember.organisation_id == org_id)).all())
    login(colleague)
    assert client.get(f"/employer/organisations/{org_id}").status_code == 200
    assert client.get(f"/employer/organisations/{org_id}/edit").status_code == 403
    assert client.post(f"/employer/organisations/{org_id}/members/{ids[owner.id]}/remove"
                       ).status_code == 403
    assert _invite(client, org_id).status_code == 403
    client.post("/logout")
    login(owner)
    himself = client.post(f"/employer/organisations/{org_id}/members/{ids[owner.id]}/remove",
                          follow_redirects=True)
    assert "You cannot remove yourself" in himself.get_data(as_text=True)
    client.post(f"/employer/organisations/{org_id}/members/{ids[colleague.id]}/remove")
    with app.app_context():
        assert db.session.get(OrganisationMember, ids[colleague.id]) is None
        assert db.session.get(OrganisationMember, ids[owner.id]) is not None
    assert "organisation:remove_member" in audit_actions(app)


def test_outsiders_get_404(app, client, make_user, login):
    owner, outsider = make_user("employer"), make_user("employer")
    org_id = org_of(app, owner)
    login(outsider)
    for path in ("", "/edit", "/vacancies/new"):
        assert client.get(f"/employer/organisations/{org_id}{path}").status_code == 404
    assert _invite(client, org_id).status_code == 404


def test_renaming_a_verified_organisation_sends_it_back_for_verification(app, make_user):
    from marketplace.auth.models import User
    from marketplace.employers.models import EmployerOrganisation, OrganisationMember
    from marketplace.employers.services import update_organisation

    owner = make_user("employer")
    with app.app_context():
        organisation = db.session.scalar(select(EmployerOrganisation).join(OrganisationMember)
                                         .where(OrganisationMember.user_id == owner.id))
        organisation.status = VerificationStatus.VERIFIED
        db.session.commit()
        actor = db.session.get(User, owner.id)
        update_organisation(organisation, actor=actor, address="ул. Новая, 1")
        assert organisation.status is VerificationStatus.VERIFIED, "an address is not identity"
        update_organisation(organisation, actor=actor, name="ТОО «Другое имя»")
        assert organisation.status is VerificationStatus.PENDING
        assert organisation.verified_at is None


def test_the_owner_is_told_of_the_decision_in_their_notifications(app, client, make_user,
                                                                    login):
    from marketplace.notifications.models import Notification

    verified_owner, rejected_owner = make_user("employer"), make_user("employer")
    login(make_user("staff"))
    client.post(f"/staff/organisations/{org_of(app, verified_owner)}/verify")
    client.post(f"/staff/organisations/{org_of(app, rejected_owner)}/reject",
                data={"reason": "БИН не найден в реестре"})
    with app.app_context():
        kinds = {n.user_id: (n.kind, n.params) for n in db.session.scalars(
            select(Notification))}
    assert kinds[verified_owner.id][0] == "organisation_verified"
    assert kinds[rejected_owner.id] == ("organisation_rejected", {
        "organisation": organisation(app, org_of(app, rejected_owner)).name,
        "reason": "БИН не найден в реестре"})
    client.post("/logout")
    login(rejected_owner)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "did not verify" in page and "БИН не найден в реестре" in page
