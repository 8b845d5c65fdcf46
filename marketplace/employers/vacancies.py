"""Vacancy rules: creating and editing, the status machine, staff hiding, and who may see one.

Status transitions (VACANCY_TRANSITIONS, tested over every pair):

    draft  --publish--> open      only when the organisation is verified and the closing date
    closed --reopen---> open      has not passed
    filled --reopen---> open      (a hire fell through)
    open   --close----> closed
    open   --fill-----> filled

Vacancies are never deleted: applications, invitations, matching outcomes and audit events refer
to them. A draft nobody wants any more simply stays private; a public one is closed. Editing is
allowed in every status. Hiding by job-centre staff is a separate flag (hidden_at), not a status,
so unhiding returns the vacancy to whatever status it had.

A vacancy is public (search, detail page, matching) when it is open, not hidden and its
organisation is verified: `public_conditions()` / `is_public()`.
"""

from dataclasses import replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.db_types import utcnow
from marketplace.employers.models import (
    EmployerOrganisation,
    OrganisationMember,
    Vacancy,
    VacancySkill,
    VacancyStatus,
    VerificationStatus,
)
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import choices
from marketplace.reference.models import City, Occupation, Skill
from marketplace.reference.services import find_skill, normalize_term


class InvalidVacancyTransition(DomainError):
    pass


class OrganisationNotVerified(DomainError):
    pass


class ClosingDatePassed(DomainError):
    pass


class HiddenStateError(DomainError):
    pass


VACANCY_TRANSITIONS = {
    (VacancyStatus.DRAFT, "publish"): VacancyStatus.OPEN,
    (VacancyStatus.OPEN, "close"): VacancyStatus.CLOSED,
    (VacancyStatus.OPEN, "fill"): VacancyStatus.FILLED,
    (VacancyStatus.CLOSED, "reopen"): VacancyStatus.OPEN,
    (VacancyStatus.FILLED, "reopen"): VacancyStatus.OPEN,
}
VACANCY_ACTIONS = ("publish", "close", "fill", "reopen")


def next_status(status: VacancyStatus, action: str) -> VacancyStatus:
    """The status after `action`; raises InvalidVacancyTransition when the move is not allowed."""
    try:
        return VACANCY_TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidVacancyTransition(
            _l("This change is not possible for a vacancy in its current status.")) from None


def allowed_actions(vacancy: Vacancy) -> list[str]:
    return [action for action in VACANCY_ACTIONS
            if (vacancy.status, action) in VACANCY_TRANSITIONS]


# --- visibility -------------------------------------------------------------------------------

def public_conditions() -> tuple:
    """SQL conditions of a public vacancy; the query must join EmployerOrganisation."""
    return (Vacancy.status == VacancyStatus.OPEN, Vacancy.hidden_at.is_(None),
            EmployerOrganisation.status == VerificationStatus.VERIFIED)


def is_public(vacancy: Vacancy) -> bool:
    return (vacancy.status is VacancyStatus.OPEN and vacancy.hidden_at is None
            and vacancy.organisation.status is VerificationStatus.VERIFIED)


def is_member(user, organisation_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role is not Role.EMPLOYER:
        return False
    return db.session.scalar(select(OrganisationMember.id).where(
        OrganisationMember.organisation_id == organisation_id,
        OrganisationMember.user_id == user.id)) is not None


def visible_vacancy(vacancy_id: int, user) -> Vacancy | None:
    """The vacancy if it is public, or if `user` belongs to its organisation; else None (404)."""
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        return None
    if is_public(vacancy) or is_member(user, vacancy.organisation_id):
        return vacancy
    return None


def can_moderate(user: User, vacancy: Vacancy) -> bool:
    """Admins any vacancy; staff those placed in, or posted by an organisation of, their region.
    Drafts are the employer's private work: staff never see them."""
    if vacancy.status is VacancyStatus.DRAFT:
        return False
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.STAFF and user.region_id is not None and user.region_id in (
        vacancy.region_id, vacancy.organisation.region_id)


# --- skills and choices -----------------------------------------------------------------------

def split_skill_names(text: str | None) -> list[str]:
    """'A, B (x, y); C' or one per line → ['A', 'B (x, y)', 'C']; commas inside brackets stay."""
    names, current, depth = [], [], 0
    for ch in text or "":
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch in ",;\n\r" and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(ch)
    names.append("".join(current))
    unique = {}
    for name in (" ".join(n.split()) for n in names):
        if name and normalize_term(name) not in unique:
            unique[normalize_term(name)] = name
    return list(unique.values())


def resolve_skills(text: str | None) -> tuple[list[Skill], list[str]]:
    """Taxonomy skills named in `text` (any language or synonym), and the names not found."""
    found, unknown = [], []
    for name in split_skill_names(text):
        skill = find_skill(name)
        if skill is None:
            unknown.append(name)
        elif skill not in found:
            found.append(skill)
    return found, unknown


def skill_text(skills: list[Skill]) -> str:
    return ", ".join(skill.name for skill in skills)


def occupation_choices(language: str) -> list:
    """Concrete occupations grouped under their ISCO sub-major group, both sorted by name."""
    rows = db.session.scalars(select(Occupation).where(Occupation.level == "occupation")
                              .options(joinedload(Occupation.parent)))
    items = sorted((row.parent.name_in(language) if row.parent else "", row.name_in(language),
                    row.id) for row in rows)
    options = choices((row_id, name) for _, name, row_id in items)
    return [replace(option, optgroup=group or None)
            for (group, _, _), option in zip(items, options, strict=True)]


# --- changes ----------------------------------------------------------------------------------

_FIELDS = ("title", "occupation", "description", "region", "city", "address", "salary_min",
           "salary_max", "schedule", "positions", "start_date", "closing_date",
           "existing_permanent_post")


def _apply(vacancy: Vacancy, *, hazardous: bool | None, required: list[Skill],
           optional: list[Skill], fields: dict) -> None:
    for name in _FIELDS:
        if name in fields:
            setattr(vacancy, name, fields[name])
    occupation = fields.get("occupation", vacancy.occupation)
    vacancy.hazardous = bool(occupation and occupation.hazardous) if hazardous is None \
        else hazardous
    wanted = {skill.id: True for skill in required}
    wanted.update({skill.id: False for skill in optional if skill.id not in wanted})
    for entry in list(vacancy.skills):
        if entry.skill_id not in wanted:
            vacancy.skills.remove(entry)
        else:
            entry.required = wanted.pop(entry.skill_id)
    by_id = {skill.id: skill for skill in (*required, *optional)}
    vacancy.skills.extend(VacancySkill(skill=by_id[skill_id], required=flag)
                          for skill_id, flag in wanted.items())


def submitted_vacancy(organisation: EmployerOrganisation, submission_key: str) -> Vacancy | None:
    return db.session.scalar(select(Vacancy).where(
        Vacancy.organisation_id == organisation.id, Vacancy.submission_key == submission_key))


def create_vacancy(organisation: EmployerOrganisation, *, actor: User, submission_key: str,
                   hazardous: bool | None, required: list[Skill], optional: list[Skill],
                   **fields) -> Vacancy:
    """A new draft. The same `submission_key` (one per rendered form) returns the vacancy the
    first submission created, so a double-submitted form never makes two; when both arrive at
    once, the unique index makes the second flush raise IntegrityError (see the view)."""
    existing = submitted_vacancy(organisation, submission_key)
    if existing is not None:
        return existing
    vacancy = Vacancy(organisation=organisation, status=VacancyStatus.DRAFT,
                      submission_key=submission_key)
    _apply(vacancy, hazardous=hazardous, required=required, optional=optional, fields=fields)
    db.session.add(vacancy)
    db.session.flush()
    record("vacancy:create", vacancy, actor=actor, organisation=organisation.id)
    return vacancy


def update_vacancy(vacancy: Vacancy, *, actor: User, hazardous: bool | None,
                   required: list[Skill], optional: list[Skill], **fields) -> Vacancy:
    _apply(vacancy, hazardous=hazardous, required=required, optional=optional, fields=fields)
    db.session.flush()
    record("vacancy:update", vacancy, actor=actor)
    return vacancy


def change_status(vacancy: Vacancy, action: str, *, actor: User,
                  today: date | None = None) -> Vacancy:
    """Apply one transition. Raises InvalidVacancyTransition, OrganisationNotVerified (opening
    before the job centre verified the organisation) or ClosingDatePassed."""
    new_status = next_status(vacancy.status, action)
    if new_status is VacancyStatus.OPEN:
        if vacancy.organisation.status is not VerificationStatus.VERIFIED:
            raise OrganisationNotVerified(_l(
                "The vacancy cannot be published yet: the job centre has not verified your "
                "organisation. It stays a draft and you can publish it after verification."))
        today = today or utcnow().date()
        if vacancy.closing_date is not None and vacancy.closing_date < today:
            raise ClosingDatePassed(_l("The closing date has passed. Change it first, then "
                                       "publish the vacancy."))
        vacancy.published_at = utcnow()
    old_status = vacancy.status
    vacancy.status = new_status
    db.session.flush()
    record(f"vacancy:{action}", vacancy, actor=actor, from_status=old_status.value,
           to_status=new_status.value)
    return vacancy


def hide_vacancy(vacancy: Vacancy, *, actor: User, reason: str) -> Vacancy:
    """Staff take a rule-breaking vacancy out of search and matching. Raises HiddenStateError."""
    if vacancy.hidden_at is not None:
        raise HiddenStateError(_l("This vacancy is already hidden."))
    vacancy.hidden_at = utcnow()
    vacancy.hidden_reason = reason
    vacancy.hidden_by_id = actor.id
    db.session.flush()
    record("vacancy:hide", vacancy, actor=actor, reason=reason)
    return vacancy


def unhide_vacancy(vacancy: Vacancy, *, actor: User, reason: str) -> Vacancy:
    if vacancy.hidden_at is None:
        raise HiddenStateError(_l("This vacancy is not hidden."))
    vacancy.hidden_at = None
    vacancy.hidden_reason = None
    vacancy.hidden_by_id = None
    db.session.flush()
    record("vacancy:unhide", vacancy, actor=actor, reason=reason)
    return vacancy


def city_choices_by_region(language: str, none_label) -> list:
    """Every town, grouped under its region, after a "not chosen" option (value 0)."""
    rows = db.session.scalars(select(City))
    items = sorted((row.region.name_in(language), row.name_in(language), row.id) for row in rows)
    options = choices((row_id, name) for _, name, row_id in items)
    return [*choices([(0, none_label)]),
            *(replace(option, optgroup=group)
              for (group, _, _), option in zip(items, options, strict=True))]
