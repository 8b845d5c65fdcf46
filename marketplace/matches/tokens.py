"""Opaque handles for anonymised candidate cards.

An employer's ranked list must not let them follow one person across vacancies (two similar
vacancies, one in a banned occupation, would reveal a court ban). So cards carry no profile id:
the invite button posts an encrypted, expiring (vacancy, profile) pair that only the server
can read, and which is different on every page view.
"""

from cryptography.fernet import InvalidToken

from marketplace.restrictions.crypto import cipher

TOKEN_MAX_AGE = 24 * 3600


def candidate_token(vacancy_id: int, profile_id: int) -> str:
    return cipher().encrypt(f"{vacancy_id}:{profile_id}".encode()).decode()


def profile_id_from_token(token: str, *, vacancy_id: int) -> int | None:
    """The profile id if the token is genuine, recent and made for this vacancy."""
    try:
        plain = cipher().decrypt((token or "").encode(), ttl=TOKEN_MAX_AGE).decode()
    except (InvalidToken, ValueError):
        return None
    token_vacancy, _, profile = plain.partition(":")
    if token_vacancy != str(vacancy_id) or not profile.isdigit():
        return None
    return int(profile)
