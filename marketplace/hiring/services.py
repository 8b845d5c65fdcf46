"""Applications, the employer's pipeline, invitations, fair-chance disclosure and hires.

Every function checks the rules, moves state only through the tables in transitions.py,
writes an ApplicationEvent and an audit event, tells the other side, and flushes.
"""


from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.db_types import utcnow
from marketplace.employers.models import OrganisationMember, Vacancy
from marketplace.employers.vacancies import is_public
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring.models import (
    LIVE_STATUSES,
    Application,
    ApplicationEvent,
    Invitation,
    InvitationStatus,
    OfferResponse,
    RejectionReason,
)
from marketplace.hiring.transitions import (
    APPLICATION_TRANSITIONS,
    next_state,
)
from marketplace.matches.services import blocked_vacancy_ids
from marketplace.notifications.services import link_to, notify, notify_all


class HiringRuleBroken(DomainError):
    pass


# --- who is involved -----------------------------------------------------------------------

def organisation_users(vacancy: Vacancy) -> list[User]:
    return [m.user for m in vacancy.organisation.memberships]


def region_staff(profile: CandidateProfile) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.role == Role.STAFF, User.region_id == profile.region_id, User.active.is_(True))))


def is_member(user: User, vacancy: Vacancy) -> bool:
    return any(m.user_id == user.id for m in vacancy.organisation.memberships)


def application_for_member(user: User, application_id: int) -> Application | None:
    return db.session.scalar(
        select(Application).join(Vacancy)
        .join(OrganisationMember, OrganisationMember.organisation_id == Vacancy.organisation_id)
        .where(Application.id == application_id, OrganisationMember.user_id == user.id))


def application_of_candidate(user: User, application_id: int) -> Application | None:
    return db.session.scalar(
        select(Application).join(CandidateProfile)
        .where(Application.id == application_id, CandidateProfile.user_id == user.id))


def live_application(profile: CandidateProfile, vacancy: Vacancy) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.profile_id == profile.id, Application.vacancy_id == vacancy.id,
        Application.status.in_(LIVE_STATUSES)))


def can_see_identity(user: User, profile: CandidateProfile) -> bool:
    """Employers learn a candidate's name and contacts only once the candidate applied to one
    of their vacancies (or accepted their invitation, which creates an application)."""
    return db.session.scalar(
        select(Application.id).join(Vacancy)
        .join(OrganisationMember, OrganisationMember.organisation_id == Vacancy.organisation_id)
        .where(Application.profile_id == profile.id, OrganisationMember.user_id == user.id)
        .limit(1)) is not None


# --- moving an application -----------------------------------------------------------------

def application_links(application: Application) -> tuple[str, str]:
    return (link_to("hiring.candidate_application", application_id=application.id),
            link_to("hiring.employer_application", application_id=application.id))


def move(application: Application, action: str, *, actor: User, reason: str = "") -> None:
    new = next_state(APPLICATION_TRANSITIONS, application.status, action)
    application.events.append(ApplicationEvent(
        action=action, from_status=application.status.value, to_status=new.value,
        actor_id=actor.id, reason=reason))
    application.status = new
    record(f"application:{action}", application, actor=actor, to=new.value)


def apply(profile: CandidateProfile, vacancy: Vacancy, *, note: str, actor: User,
          via_invitation: bool = False) -> Application:
    """Raises HiringRuleBroken when the vacancy is not open or an application is already live."""
    if not is_public(vacancy):
        raise HiringRuleBroken(_l("This vacancy is not open for applications."))
    if live_application(profile, vacancy) is not None:
        raise HiringRuleBroken(_l("You have already applied for this vacancy."))
    if vacancy.id in blocked_vacancy_ids(profile):
        raise HiringRuleBroken(_l("This vacancy is not open to you because of a restriction set "
                                  "by a court or by supervision conditions. Your case manager "
                                  "at the job centre can explain which work is open to you."))
    application = Application(vacancy=vacancy, profile=profile, note=note or "",
                              via_invitation=via_invitation)
    application.events.append(ApplicationEvent(action="apply", to_status="applied",
                                               actor_id=actor.id, reason=""))
    db.session.add(application)
    db.session.flush()
    record("application:apply", application, actor=actor, vacancy_id=vacancy.id)
    notify_all(organisation_users(vacancy), "application_received",
               link=application_links(application)[1], vacancy=vacancy.title)
    return application


STATUS_NOTICE = {"shortlist": "status_shortlisted", "interview": "status_interview",
                 "offer": "status_offer", "reject": "status_rejected"}


def advance(application: Application, action: str, *, actor: User, note: str = "",
            rejection_reason: RejectionReason | None = None) -> None:
    """Employer's moves: shortlist, interview, offer (conditional), reject (with a reason)."""
    if action not in STATUS_NOTICE:
        raise HiringRuleBroken(_l("This step is not possible at the current stage."))
    if action == "reject":
        if rejection_reason is None:
            raise HiringRuleBroken(_l("Choose a reason for the rejection."), field="reason")
        application.rejection_reason = rejection_reason
    move(application, action, actor=actor, reason=note)
    notify(application.profile.user, STATUS_NOTICE[action], link=application_links(application)[0],
           vacancy=application.vacancy.title)
    db.session.flush()


def withdraw(application: Application, *, actor: User) -> None:
    move(application, "withdraw", actor=actor)
    notify_all(organisation_users(application.vacancy), "application_withdrawn",
               link=application_links(application)[1], vacancy=application.vacancy.title)
    db.session.flush()


def respond_to_offer(application: Application, *, accept: bool, actor: User) -> None:
    """The candidate's answer is recorded and the job centre is told (Social Code art. 98)."""
    if application.offer_response is not None:
        raise HiringRuleBroken(_l("You have already answered this offer."))
    move(application, "accept_offer" if accept else "refuse_offer", actor=actor)
    response = OfferResponse.ACCEPTED if accept else OfferResponse.REFUSED
    application.offer_response = response
    application.offer_responded_at = utcnow()
    title = application.vacancy.title
    notify_all(organisation_users(application.vacancy),
               "offer_accepted" if accept else "offer_refused",
               link=application_links(application)[1], vacancy=title)
    notify_all(region_staff(application.profile), "offer_response_for_centre",
               response=response.value, vacancy=title)
    db.session.flush()


# --- invitations ---------------------------------------------------------------------------

def invite(vacancy: Vacancy, profile: CandidateProfile, *, message: str, actor: User
           ) -> Invitation:
    if not is_public(vacancy):
        raise HiringRuleBroken(_l("Only open, public vacancies can be used for invitations."))
    if not profile.discoverable:
        raise HiringRuleBroken(_l("This candidate cannot be invited."))
    if db.session.scalar(select(Invitation.id).where(Invitation.vacancy_id == vacancy.id,
                                                     Invitation.profile_id == profile.id)):
        raise HiringRuleBroken(_l("This candidate has already been invited to this vacancy."))
    invitation = Invitation(vacancy=vacancy, profile=profile, invited_by_id=actor.id,
                            message=message or "")
    db.session.add(invitation)
    db.session.flush()
    record("invitation:send", invitation, actor=actor, vacancy_id=vacancy.id)
    notify(profile.user, "invitation_received", link=link_to("hiring.candidate_invitations"),
           organisation=vacancy.organisation.name, vacancy=vacancy.title)
    return invitation


def respond_to_invitation(invitation: Invitation, *, accept: bool, actor: User
                          ) -> Application | None:
    if invitation.status is not InvitationStatus.PENDING:
        raise HiringRuleBroken(_l("You have already answered this invitation."))
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.responded_at = utcnow()
    record(f"invitation:{invitation.status.value}", invitation, actor=actor)
    application = None
    if accept:
        application = live_application(invitation.profile, invitation.vacancy) or apply(
            invitation.profile, invitation.vacancy, note="", actor=actor, via_invitation=True)
        invitation.application_id = application.id
    notify_all(organisation_users(invitation.vacancy),
               "invitation_accepted" if accept else "invitation_declined",
               vacancy=invitation.vacancy.title)
    db.session.flush()
    return application
