"""Employer organisation rules: registration, details, members and invitations."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.auth.services import create_user
from marketplace.db_types import utcnow
from marketplace.employers.models import (
    EmployerOrganisation,
    MemberRole,
    OrganisationInvite,
    OrganisationMember,
    VerificationStatus,
)
from marketplace.employers.verification import resubmit_organisation, reverify_organisation
from marketplace.errors import DomainError, DuplicateIdentifier, InvalidToken
from marketplace.extensions import db

INVITE_DAYS = 7


class AlreadyMember(DomainError):
    pass


class InviteAlreadyPending(DomainError):
    pass


class CannotRemoveMember(DomainError):
    pass


def ensure_bin_free(bin_: str, *, except_organisation: EmployerOrganisation | None = None) -> None:
    owner = db.session.scalar(select(EmployerOrganisation).where(EmployerOrganisation.bin == bin_))
    if owner is not None and owner is not except_organisation:
        raise DuplicateIdentifier(_l("This organisation is already registered. Ask its owner "
                                     "to invite you."), field="bin")


def register_employer(*, full_name: str, password: str, organisation_name: str, bin_: str,
                      region, sector=None, email=None, phone=None, locale=None) -> User:
    """Create the owner account and its organisation, pending staff verification.

    Raises DuplicateAccount or DuplicateIdentifier; nothing is written then.
    """
    ensure_bin_free(bin_)
    user = create_user(role=Role.EMPLOYER, full_name=full_name, password=password,
                       email=email, phone=phone, locale=locale)
    organisation = EmployerOrganisation(bin=bin_, name=organisation_name, region=region,
                                        sector=sector, contact_email=email, contact_phone=phone)
    organisation.memberships.append(OrganisationMember(user=user, role=MemberRole.OWNER))
    db.session.add(organisation)
    db.session.flush()
    record("organisation:register", organisation, actor=user, bin=bin_)
    return user


def organisations_of(user: User) -> list[EmployerOrganisation]:
    return list(db.session.scalars(
        select(EmployerOrganisation)
        .join(OrganisationMember)
        .where(OrganisationMember.user_id == user.id)
        .order_by(EmployerOrganisation.name)
    ))


def vacancy_of_member(user: User, vacancy_id: int):
    """The vacancy if `user` belongs to its organisation, else None (the view answers 404)."""
    from marketplace.employers.models import Vacancy

    return db.session.scalar(
        select(Vacancy).join(OrganisationMember,
                             OrganisationMember.organisation_id == Vacancy.organisation_id)
        .where(Vacancy.id == vacancy_id, OrganisationMember.user_id == user.id))


def membership_of(user: User, organisation_id: int) -> OrganisationMember | None:
    """The user's membership of this organisation, or None (the view answers 404)."""
    return db.session.scalar(select(OrganisationMember).where(
        OrganisationMember.organisation_id == organisation_id,
        OrganisationMember.user_id == user.id))


def update_organisation(organisation: EmployerOrganisation, *, actor: User,
                        **fields) -> EmployerOrganisation:
    """Save the owner's edits. The BIN can change only before verification; a rejected
    organisation, or a verified one whose name or region changed, goes back to the
    verification queue. Raises DuplicateIdentifier."""
    identity_changed = any(name in fields and fields[name] != getattr(organisation, name)
                           for name in ("name", "region"))
    if "bin" in fields:
        if organisation.status is VerificationStatus.VERIFIED:
            fields.pop("bin")
        else:
            ensure_bin_free(fields["bin"], except_organisation=organisation)
    for name, value in fields.items():
        setattr(organisation, name, value)
    db.session.flush()
    record("organisation:update", organisation, actor=actor, fields=sorted(fields))
    if organisation.status is VerificationStatus.REJECTED:
        resubmit_organisation(organisation, actor=actor)
    elif organisation.status is VerificationStatus.VERIFIED and identity_changed:
        reverify_organisation(organisation, actor=actor)
    return organisation


# --- invitations ------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_days() -> int:
    return int(current_app.config.get("ORGANISATION_INVITE_DAYS", INVITE_DAYS))


def pending_invites(organisation: EmployerOrganisation) -> list[OrganisationInvite]:
    now = utcnow()
    rows = db.session.scalars(select(OrganisationInvite).where(
        OrganisationInvite.organisation_id == organisation.id).order_by(OrganisationInvite.id))
    return [invite for invite in rows if invite.usable(now)]


def invite_member(organisation: EmployerOrganisation, *, email: str,
                  actor: User) -> tuple[OrganisationInvite, str]:
    """A new invitation and its secret token (only its hash is stored; the caller mails the
    link). Raises AlreadyMember, or InviteAlreadyPending while an earlier one is still valid —
    so a double-submitted form does not send two."""
    email = email.strip().lower()
    member = db.session.scalar(
        select(OrganisationMember).join(User, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == organisation.id, User.email == email))
    if member is not None:
        raise AlreadyMember(_l("This person is already a member of the organisation."),
                            field="email")
    if any(invite.email == email for invite in pending_invites(organisation)):
        raise InviteAlreadyPending(_l("An invitation to this address is already waiting. "
                                      "Cancel it first to send a new one."), field="email")
    token = secrets.token_urlsafe(32)
    invite = OrganisationInvite(organisation=organisation, email=email,
                                token_hash=_token_hash(token), invited_by_id=actor.id,
                                expires_at=utcnow() + timedelta(days=invite_days()))
    db.session.add(invite)
    db.session.flush()
    record("organisation:invite", organisation, actor=actor, invite=invite.id, email=email)
    return invite, token


def cancel_invite(invite: OrganisationInvite, *, actor: User) -> None:
    if not invite.usable(utcnow()):
        raise InvalidToken(_l("This invitation has already been used or has expired."))
    invite.cancelled_at = utcnow()
    db.session.flush()
    record("organisation:invite_cancel", invite.organisation, actor=actor, invite=invite.id)


def invite_for_token(token: str) -> OrganisationInvite:
    """The usable invitation for this link; raises InvalidToken (unknown, used, cancelled or
    expired)."""
    invite = db.session.scalar(select(OrganisationInvite).where(
        OrganisationInvite.token_hash == _token_hash(token or "")))
    if invite is None or invite.cancelled_at is not None:
        raise InvalidToken(_l("This invitation link is not valid. Ask the owner of the "
                              "organisation for a new one."))
    if invite.accepted_at is not None:
        raise InvalidToken(_l("This invitation has already been used. Sign in to continue."))
    if not invite.usable(utcnow()):
        raise InvalidToken(_l("This invitation has expired. Ask the owner of the organisation "
                              "for a new one."))
    return invite


def _join(invite: OrganisationInvite, user: User) -> OrganisationMember:
    if membership_of(user, invite.organisation_id) is not None:
        raise AlreadyMember(_l("You are already a member of this organisation."))
    membership = OrganisationMember(organisation=invite.organisation, user=user,
                                    role=MemberRole.MEMBER)
    db.session.add(membership)
    invite.accepted_at = utcnow()
    invite.accepted_by_id = user.id
    db.session.flush()
    record("organisation:join", invite.organisation, actor=user, invite=invite.id)
    return membership


def accept_invite(token: str, *, user: User) -> OrganisationMember:
    """A signed-in employer joins. Raises InvalidToken or AlreadyMember."""
    return _join(invite_for_token(token), user)


def register_by_invite(token: str, *, full_name: str, password: str, email: str | None,
                       phone: str | None, locale: str | None = None) -> User:
    """A new employer account that joins the inviting organisation. Raises InvalidToken or
    DuplicateAccount; nothing is written then."""
    invite = invite_for_token(token)
    user = create_user(role=Role.EMPLOYER, full_name=full_name, password=password,
                       email=email, phone=phone, locale=locale)
    _join(invite, user)
    return user


def remove_member(membership: OrganisationMember, *, actor: User) -> None:
    """The owner removes a colleague. Raises CannotRemoveMember for the owner themselves."""
    if membership.user_id == actor.id or membership.role is MemberRole.OWNER:
        raise CannotRemoveMember(_l("You cannot remove yourself from the organisation."))
    organisation = membership.organisation
    organisation.memberships.remove(membership)
    db.session.flush()
    record("organisation:remove_member", organisation, actor=actor,
           member=membership.user_id)
