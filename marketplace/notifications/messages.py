"""Notification texts, looked up when shown so each reader gets their own language."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "application_received": _l("New application for “%(vacancy)s”."),
    "application_withdrawn": _l("A candidate withdrew their application for “%(vacancy)s”."),
    "status_shortlisted": _l("You are on the shortlist for “%(vacancy)s”."),
    "status_interview": _l("You are invited to an interview for “%(vacancy)s”."),
    "status_offer": _l("You have a conditional job offer for “%(vacancy)s”."),
    "status_rejected": _l("Your application for “%(vacancy)s” was not successful."),
    "invitation_received": _l("%(organisation)s invites you to apply for “%(vacancy)s”."),
    "invitation_accepted": _l("A candidate accepted your invitation for “%(vacancy)s”."),
    "invitation_declined": _l("A candidate declined your invitation for “%(vacancy)s”."),
    "offer_accepted": _l("The candidate accepted your offer for “%(vacancy)s”."),
    "offer_refused": _l("The candidate refused your offer for “%(vacancy)s”."),
    "offer_response_for_centre": _l("A job seeker %(response)s an offer for “%(vacancy)s”."),
    "disclosure_shared": _l("The candidate shared a disclosure for “%(vacancy)s”."),
    "withdrawal_requested": _l("The employer intends to withdraw the offer for “%(vacancy)s”. "
                               "You can respond until %(date)s."),
    "withdrawal_response": _l("The candidate responded about the offer for “%(vacancy)s”."),
    "withdrawal_final": _l("The offer for “%(vacancy)s” has been withdrawn."),
    "offer_kept": _l("The employer keeps the offer for “%(vacancy)s”."),
    "hire_recorded": _l("The employer recorded your hire for “%(vacancy)s”. Please confirm it."),
    "hire_confirmed": _l("The candidate confirmed the hire for “%(vacancy)s”."),
    "certificate_verified": _l("The job centre verified your certificate “%(title)s”."),
    "certificate_rejected": _l("The job centre did not verify your certificate “%(title)s”: "
                               "%(reason)s"),
    "certificate_revoked": _l("The job centre withdrew the verification of your certificate "
                              "“%(title)s”: %(reason)s"),
    "organisation_verified": _l("The job centre verified %(organisation)s: you can now publish "
                                "vacancies and claim subsidies."),
    "organisation_rejected": _l("The job centre did not verify %(organisation)s: %(reason)s"),
    "applied_on_behalf": _l("The job centre applied for “%(vacancy)s” on your behalf."),
    "claim_submitted": _l("%(organisation)s filed a subsidy claim for review (%(programme)s)."),
    "claim_returned": _l("The job centre returned your claim (%(programme)s) for more "
                         "information: %(reason)s"),
    "claim_approved": _l("The job centre approved your claim (%(programme)s)."),
    "claim_rejected": _l("The job centre rejected your claim (%(programme)s): %(reason)s"),
    "month_queried": _l("The job centre has a question about %(month)s of your claim "
                        "(%(programme)s): %(reason)s"),
}

RESPONSE_WORDS = {"accepted": _l("accepted"), "refused": _l("refused")}


def localized(names: dict) -> str:
    """A {"kk": …, "ru": …, "en": …} parameter in the reader's language (e.g. a programme's
    name: the notification is stored once and may be read in any language)."""
    from marketplace.i18n import current_language

    return names.get(current_language()) or names.get("ru") or next(iter(names.values()), "")


def render(kind: str, params: dict) -> str:
    params = {key: localized(value) if isinstance(value, dict) else value
              for key, value in params.items()}
    if "response" in params:
        params["response"] = str(RESPONSE_WORDS.get(params["response"], params["response"]))
    return str(MESSAGES[kind]) % params
