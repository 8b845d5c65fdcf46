"""Employer organisation rules."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.auth.services import create_user
from marketplace.employers.models import EmployerOrganisation, MemberRole, OrganisationMember
from marketplace.errors import DuplicateIdentifier
from marketplace.extensions import db


def ensure_bin_free(bin_: str) -> None:
    if db.session.scalar(select(EmployerOrganisation.id).where(EmployerOrganisation.bin == bin_)):
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
