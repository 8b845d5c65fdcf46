"""Hires: the employer records one, the candidate confirms it, and only then is it an
employment record (subsidy claims build on confirmed employments). Ending one records when
and why."""

from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.db_types import utcnow
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ContractType,
    Employment,
    EmploymentStatus,
    OfferResponse,
)
from marketplace.hiring.offers import withdrawal_of
from marketplace.hiring.services import (
    HiringRuleBroken,
    application_links,
    is_member,
    move,
    organisation_users,
)
from marketplace.hiring.signals import employment_confirmed, employment_ended
from marketplace.hiring.transitions import EMPLOYMENT_TRANSITIONS, next_state
from marketplace.notifications.services import notify, notify_all
from marketplace.uploads.services import save_upload


def release_date_of(profile_id: int) -> date | None:
    """The release date the job centre recorded, if any (read by machine, never shown)."""
    from marketplace.cases.models import ReleaseRecord  # cases builds on hiring

    return db.session.scalar(select(ReleaseRecord.release_date).where(
        ReleaseRecord.profile_id == profile_id))


def record_hire(application: Application, *, start_date: date, monthly_wage: Decimal,
                hours_per_week: int, contract_type: ContractType, contract_upload=None,
                actor: User, today: date | None = None) -> Employment:
    """Raises HiringRuleBroken unless the candidate accepted the offer and the terms are sane,
    or UploadRejected for a bad contract scan (then nothing is written)."""
    if application.offer_response is not OfferResponse.ACCEPTED:
        raise HiringRuleBroken(_l("A hire can be recorded only after the candidate accepted "
                                  "the offer."))
    pending = withdrawal_of(application)
    if pending is not None and pending.outcome is None:
        raise HiringRuleBroken(_l("Decide on the offer withdrawal first."))
    latest = (today or date.today()) + timedelta(days=current_app.config["HIRE_MAX_DAYS_AHEAD"])
    if start_date > latest:
        raise HiringRuleBroken(_l("The start date is too far in the future."), field="start_date")
    released = release_date_of(application.profile_id)
    if released is not None and start_date < released:
        # Said without the date: the employer must not learn when the person was released.
        raise HiringRuleBroken(_l("The start date is before the candidate could start work. "
                                  "Check the date with the candidate or the job centre."),
                               field="start_date")
    if monthly_wage <= 0:
        raise HiringRuleBroken(_l("The wage must be positive."), field="monthly_wage")
    contract_file = (save_upload(contract_upload, owner=actor)
                     if contract_upload is not None and contract_upload.filename else None)
    employment = Employment(application=application, start_date=start_date,
                            monthly_wage=monthly_wage, hours_per_week=hours_per_week,
                            contract_type=contract_type, contract_file=contract_file,
                            recorded_by_id=actor.id)
    db.session.add(employment)
    move(application, "hire", actor=actor)
    db.session.flush()
    record("employment:record", employment, actor=actor, application_id=application.id,
           contract_file_id=contract_file.id if contract_file else None)
    notify(application.profile.user, "hire_recorded", link=application_links(application)[0],
           vacancy=application.vacancy.title)
    return employment


def confirm_hire(employment: Employment, *, actor: User) -> None:
    employment.status = next_state(EMPLOYMENT_TRANSITIONS, employment.status, "confirm")
    employment.confirmed_at = utcnow()
    record("employment:confirm", employment, actor=actor)
    application = employment.application
    notify_all(organisation_users(application.vacancy), "hire_confirmed",
               link=application_links(application)[1], vacancy=application.vacancy.title)
    db.session.flush()
    employment_confirmed.send(employment, actor=actor)


def end_employment(employment: Employment, *, end_date: date, reason: str, actor: User) -> None:
    if end_date < employment.start_date:
        raise HiringRuleBroken(_l("The end date cannot be before the start date."),
                               field="end_date")
    if not (reason or "").strip():
        raise HiringRuleBroken(_l("Give the reason the employment ended."), field="reason")
    employment.status = next_state(EMPLOYMENT_TRANSITIONS, employment.status, "end")
    employment.end_date, employment.end_reason = end_date, reason.strip()
    record("employment:end", employment, actor=actor, end_date=end_date.isoformat())
    db.session.flush()
    employment_ended.send(employment, actor=actor)


def is_employment(employment: Employment) -> bool:
    return employment.status in (EmploymentStatus.CONFIRMED, EmploymentStatus.ENDED)


def can_download_contract(user: User, employment: Employment) -> bool:
    """The candidate, members of the employing organisation, staff of the candidate's region
    and administrators."""
    application = employment.application
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.STAFF:
        return user.region_id is not None and user.region_id == application.profile.region_id
    return (application.profile.user_id == user.id
            or is_member(user, application.vacancy))


def record_contract_download(employment: Employment, *, actor: User) -> None:
    record("employment:contract_download", employment, actor=actor, role=actor.role.value)
