"""The claim lifecycle as one explicit table, and opening a claim for a confirmed employment.

    draft --submit--> submitted --start_review--> in_review --approve--> approved --activate-->
    active --complete--> completed; in_review --return--> returned --resubmit--> in_review;
    in_review --reject--> rejected; approved|active --terminate--> terminated.

Review with four eyes is in review.py, the money in budget.py, months and payments in
months.py and payments.py.
"""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import contains_eager, joinedload

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import EmployerOrganisation, OrganisationMember, Vacancy
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring.models import Application, Employment, EmploymentStatus
from marketplace.incentives.models import (
    Claim,
    ClaimEvent,
    ClaimStatus,
    IncentiveProgramme,
    ProgrammeKind,
)
from marketplace.incentives.rules import parse_rules
from marketplace.incentives.services import (
    monthly_subsidy,
    tax_incentive,
    to_tiyn,
    version_in_force,
)

S = ClaimStatus

CLAIM_TRANSITIONS = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "start_review"): S.IN_REVIEW,
    (S.IN_REVIEW, "return"): S.RETURNED,
    (S.RETURNED, "resubmit"): S.IN_REVIEW,
    (S.IN_REVIEW, "approve"): S.APPROVED,
    (S.IN_REVIEW, "reject"): S.REJECTED,
    (S.APPROVED, "activate"): S.ACTIVE,
    (S.ACTIVE, "complete"): S.COMPLETED,
    (S.APPROVED, "terminate"): S.TERMINATED,
    (S.ACTIVE, "terminate"): S.TERMINATED,
}
CLAIM_ACTIONS = ("submit", "start_review", "return", "resubmit", "approve", "reject",
                 "activate", "complete", "terminate")
# Claims that made a subsidised hire (for the retention duty).
SUBSIDISED = (S.APPROVED, S.ACTIVE, S.COMPLETED, S.TERMINATED)


class IllegalClaimTransition(DomainError):
    pass


class ClaimRefused(DomainError):
    pass


def next_claim_status(status: ClaimStatus, action: str) -> ClaimStatus:
    try:
        return CLAIM_TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalClaimTransition(_l("This step is not possible for the claim now."),
                                     state=status.value, action=action) from None


def move_claim(claim: Claim, action: str, *, actor: User | None, reason: str = "") -> None:
    """Moves only through the table; the move is an event and an audit record. `actor` is None
    for the payment run."""
    new = next_claim_status(claim.status, action)
    claim.events.append(ClaimEvent(action=action, from_status=claim.status.value,
                                   to_status=new.value, actor_id=getattr(actor, "id", None),
                                   reason=reason))
    claim.status = new
    record(f"claim:{action}", claim, actor=actor, to=new.value)
    db.session.flush()


def open_claim(employment: Employment, programme: IncentiveProgramme, *, actor: User) -> Claim:
    """A draft claim judged by the rule version in force on the hire's start date."""
    if employment.status is not EmploymentStatus.CONFIRMED:
        raise ClaimRefused(_l("A claim needs an employment confirmed by the employee."))
    version = version_in_force(programme, employment.start_date)
    if version is None:
        raise ClaimRefused(_l("No rules of this programme were in force on the start date."))
    if db.session.scalar(select(Claim.id).where(Claim.employment_id == employment.id,
                                                Claim.programme_id == programme.id)):
        raise ClaimRefused(_l("A claim for this employment under this programme exists."))
    organisation = employment.application.vacancy.organisation
    claim = Claim(employment_id=employment.id, programme_id=programme.id,
                  rule_version_id=version.id, created_by_id=actor.id,
                  organisation_id=organisation.id, region_id=organisation.region_id)
    claim.programme, claim.rule_version, claim.employment = programme, version, employment
    compute_amounts(claim)
    claim.events.append(ClaimEvent(action="open", to_status=S.DRAFT.value, actor_id=actor.id))
    db.session.add(claim)
    db.session.flush()
    record("claim:open", claim, actor=actor, programme=programme.code,
           rules_from=version.effective_from.isoformat())
    return claim


def months_employed(employment: Employment) -> int:
    """Calendar months from the start month through the end month; unbounded while employed."""
    if employment.end_date is None:
        return 10**6
    start, end = employment.start_date, employment.end_date
    return (end.year - start.year) * 12 + end.month - start.month + 1


def compute_amounts(claim: Claim) -> None:
    """The claim's money by its rule version's formula and the employment's terms.

    Wage subsidy: the monthly share × the programme's months (fewer if the job already ended).
    Tax certificate: the share of the projected first-year wages for the projected hours
    (52 weeks). Grants: the one-off sum.
    """
    rules = parse_rules(claim.rule_version.rules)
    employment = claim.employment
    kind = claim.programme.kind
    claim.monthly_amount, claim.months = None, 0
    if kind is ProgrammeKind.WAGE_SUBSIDY:
        claim.monthly_amount = monthly_subsidy(rules, monthly_wage=employment.monthly_wage,
                                               hours_per_week=employment.hours_per_week)
        claim.months = min(rules.max_months or 0, months_employed(employment))
        claim.total_amount = to_tiyn(claim.monthly_amount * claim.months)
    elif kind is ProgrammeKind.TAX_CERTIFICATE:
        claim.total_amount = tax_incentive(rules, first_year_wages=employment.monthly_wage * 12,
                                           hours_worked=employment.hours_per_week * 52)
    else:
        claim.total_amount = to_tiyn(rules.one_off_amount or Decimal("0"))


def claims_of_organisations(organisation_ids) -> list[Claim]:
    return list(db.session.scalars(
        select(Claim).where(Claim.organisation_id.in_(list(organisation_ids)))
        .order_by(Claim.updated_at.desc())))


def subsidised_hires(organisation, year: int) -> int:
    return db.session.scalar(
        select(func.count(Claim.id)).where(Claim.organisation_id == organisation.id,
                                           Claim.status.in_(SUBSIDISED),
                                           extract("year", Claim.created_at) == year)) or 0



def programmes() -> list[IncentiveProgramme]:
    return list(db.session.scalars(select(IncentiveProgramme).order_by(IncentiveProgramme.id)))


def programme_by_code(code: str) -> IncentiveProgramme | None:
    return db.session.scalar(select(IncentiveProgramme).where(IncentiveProgramme.code == code))


def _employments():
    return (select(Employment).join(Application).join(Vacancy)
            .where(Employment.status.in_((EmploymentStatus.CONFIRMED, EmploymentStatus.ENDED)))
            .order_by(Employment.start_date.desc()))


def _of_member(user: User):
    return _employments().join(
        OrganisationMember, OrganisationMember.organisation_id == Vacancy.organisation_id
    ).where(OrganisationMember.user_id == user.id)


def _in_region(region_id: int):
    return _employments().join(
        EmployerOrganisation, EmployerOrganisation.id == Vacancy.organisation_id
    ).where(EmployerOrganisation.region_id == region_id)


def employments_of_member(user: User) -> list[Employment]:
    """Hires of the user's organisations that a claim can be filed for."""
    return list(db.session.scalars(_of_member(user)))


def employment_of_member(user: User, employment_id: int) -> Employment | None:
    return db.session.scalar(_of_member(user).where(Employment.id == employment_id))


def employments_in_region(region_id: int) -> list[Employment]:
    return list(db.session.scalars(_in_region(region_id)))


def _as_listed(query):
    # What a list of hires shows of each: the employee's name, the job and the organisation.
    return query.options(contains_eager(Employment.application).options(
        joinedload(Application.profile).joinedload(CandidateProfile.user),
        contains_eager(Application.vacancy).joinedload(Vacancy.organisation)))


def employments_of_member_query(user: User) -> Select:
    """The hires of employments_of_member() as a query for a page of them, newest first."""
    return _as_listed(_of_member(user))


def employments_in_region_query(region_id: int) -> Select:
    """The region's confirmed and ended hires as a query for a page of them, newest first."""
    return _as_listed(_in_region(region_id))


def employment_in_region(region_id: int, employment_id: int) -> Employment | None:
    return db.session.scalar(_in_region(region_id).where(Employment.id == employment_id))


def claims_by_employment(employments) -> dict[int, list[Claim]]:
    ids = [e.id for e in employments]
    found: dict[int, list[Claim]] = {i: [] for i in ids}
    for claim in db.session.scalars(select(Claim).where(Claim.employment_id.in_(ids))
                                    .options(joinedload(Claim.programme))):
        found[claim.employment_id].append(claim)
    return found


def preview_amounts(employment: Employment, programme: IncentiveProgramme) -> Claim | None:
    """A claim not saved anywhere, only to show the amounts before filing."""
    version = version_in_force(programme, employment.start_date)
    if version is None:
        return None
    preview = Claim(programme=programme, rule_version=version, employment=employment)
    compute_amounts(preview)
    return preview
