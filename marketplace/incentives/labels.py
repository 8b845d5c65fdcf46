"""Translated names of claim states, events and check outcomes for every template."""

from flask_babel import lazy_gettext as _l

CLAIM_STATUS_LABELS = {
    "draft": _l("Draft"), "submitted": _l("Filed, waiting for review"),
    "in_review": _l("Under review"), "returned": _l("Returned for more information"),
    "approved": _l("Approved"), "rejected": _l("Rejected"), "active": _l("Paying"),
    "completed": _l("Completed"), "terminated": _l("Ended early"),
}
CLAIM_EVENT_LABELS = {
    "open": _l("Claim opened"), "submit": _l("Filed"), "resubmit": _l("Filed again"),
    "start_review": _l("Review started"), "return": _l("Returned for more information"),
    "first_approval": _l("First approval"), "approve": _l("Approved"),
    "reject": _l("Rejected"), "activate": _l("First payment made"),
    "complete": _l("All months paid"), "terminate": _l("Employment ended early"),
}
MONTH_STATUS_LABELS = {"submitted": _l("Waiting for the job centre"),
                       "accepted": _l("Accepted"), "queried": _l("Question from the job centre")}
OUTCOME_LABELS = {"pass": _l("Met"), "fail": _l("Not met"), "unknown": _l("To be checked")}
ENTRY_LABELS = {"allocation": _l("Allocation"), "reserve": _l("Reserved for a claim"),
                "release": _l("Released"), "payment": _l("Payment"),
                "clawback": _l("To be repaid by the employer")}


def register(state) -> None:
    """Context processor for both claim blueprints."""
    state.app.context_processor(lambda: {
        "claim_status_label": lambda s: CLAIM_STATUS_LABELS.get(getattr(s, "value", s), s),
        "claim_event_label": lambda a: CLAIM_EVENT_LABELS.get(a, a),
        "month_status_label": lambda s: MONTH_STATUS_LABELS.get(getattr(s, "value", s), s),
        "outcome_label": lambda o: OUTCOME_LABELS.get(getattr(o, "value", o), o),
        "entry_label": lambda k: ENTRY_LABELS.get(getattr(k, "value", k), k),
    })
