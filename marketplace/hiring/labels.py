"""Translated names of hiring states for every template (registered on the blueprint)."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.hiring.blueprint import bp
from marketplace.hiring.forms import CONTRACT_LABELS
from marketplace.notifications.messages import RESPONSE_WORDS

APPLICATION_STATUS_LABELS = {
    "applied": _l("Applied"), "shortlisted": _l("Shortlisted"), "interview": _l("Interview"),
    "offer": _l("Conditional offer"), "hired": _l("Hired"), "rejected": _l("Not selected"),
    "withdrawn": _l("Withdrawn"),
}
MOVE_LABELS = {"shortlist": _l("Shortlist"), "interview": _l("Invite to an interview"),
               "offer": _l("Make a conditional offer")}
# The same words the notifications use for an offer answer.
OFFER_RESPONSE_LABELS = RESPONSE_WORDS
EMPLOYMENT_STATUS_LABELS = {"recorded": _l("Waiting for the candidate's confirmation"),
                            "confirmed": _l("Confirmed by both sides"), "ended": _l("Ended")}


def _live_application_for(vacancy):
    from marketplace.candidates.services import profile_for
    from marketplace.hiring.services import live_application

    profile = profile_for(current_user) if current_user.is_authenticated else None
    return live_application(profile, vacancy) if profile else None


def _restricted_for_me(vacancy) -> bool:
    from marketplace.candidates.services import profile_for
    from marketplace.matches.services import blocked_vacancy_ids

    if not (current_user.is_authenticated and current_user.role == "candidate"):
        return False
    profile = profile_for(current_user)
    return bool(profile) and vacancy.id in blocked_vacancy_ids(profile)


@bp.app_context_processor
def hiring_labels():
    return {
        "application_status_label": lambda v: APPLICATION_STATUS_LABELS.get(v, v),
        "move_label": lambda v: MOVE_LABELS.get(v, v),
        "offer_response_label": lambda v: OFFER_RESPONSE_LABELS.get(v, v),
        "employment_status_label": lambda v: EMPLOYMENT_STATUS_LABELS.get(v, v),
        "contract_label": lambda v: {c.value: label for c, label in CONTRACT_LABELS.items()}
        .get(v, v),
        "live_application_for": _live_application_for,
        "restricted_for_me": _restricted_for_me,
    }
