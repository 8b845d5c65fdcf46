"""The pipeline's state machines as plain tables: (state, action) → new state.

Anything not in a table is illegal and raises IllegalTransition, changing nothing.
"""

from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError
from marketplace.hiring.models import ApplicationStatus as S
from marketplace.hiring.models import EmploymentStatus as E

# Who may take each action.
EMPLOYER_ACTIONS = ("shortlist", "interview", "offer", "reject", "request_withdrawal",
                    "finalise_withdrawal", "keep_offer", "hire")
CANDIDATE_ACTIONS = ("withdraw", "accept_offer", "refuse_offer")

APPLICATION_TRANSITIONS = {
    (S.APPLIED, "shortlist"): S.SHORTLISTED,
    (S.APPLIED, "interview"): S.INTERVIEW,
    (S.SHORTLISTED, "interview"): S.INTERVIEW,
    (S.SHORTLISTED, "offer"): S.OFFER,
    (S.INTERVIEW, "offer"): S.OFFER,
    (S.APPLIED, "reject"): S.REJECTED,
    (S.SHORTLISTED, "reject"): S.REJECTED,
    (S.INTERVIEW, "reject"): S.REJECTED,
    # An offer is not simply rejected: withdrawing it opens the candidate's response window
    # (fair-chance practice), and only then does the rejection become final.
    (S.OFFER, "request_withdrawal"): S.OFFER,
    (S.OFFER, "finalise_withdrawal"): S.REJECTED,
    (S.OFFER, "keep_offer"): S.OFFER,
    (S.OFFER, "accept_offer"): S.OFFER,
    (S.OFFER, "refuse_offer"): S.WITHDRAWN,
    (S.OFFER, "hire"): S.HIRED,
    (S.APPLIED, "withdraw"): S.WITHDRAWN,
    (S.SHORTLISTED, "withdraw"): S.WITHDRAWN,
    (S.INTERVIEW, "withdraw"): S.WITHDRAWN,
    (S.OFFER, "withdraw"): S.WITHDRAWN,
}

EMPLOYMENT_TRANSITIONS = {
    (E.RECORDED, "confirm"): E.CONFIRMED,
    (E.CONFIRMED, "end"): E.ENDED,
}


class IllegalTransition(DomainError):
    pass


def next_state(table: dict, state, action: str):
    """The state after `action`, or IllegalTransition."""
    try:
        return table[(state, action)]
    except KeyError:
        raise IllegalTransition(_l("This step is not possible at the current stage."),
                                state=str(state), action=action) from None


def allowed_actions(table: dict, state, actions) -> list[str]:
    return [a for a in actions if (state, a) in table]
