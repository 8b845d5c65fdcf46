"""argon2id password hashing (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

_STRONG = PasswordHasher()
# Tests only (PASSWORD_HASH_FAST): still argon2id, with minimal cost, so hundreds of sign-ins
# in the authorization matrix take seconds, not minutes.
_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# Verified against when no account matches, so a wrong login takes as long as a wrong password.
_DUMMY = {id(h): h.hash("not-a-real-password") for h in (_STRONG, _FAST)}


def _hasher() -> PasswordHasher:
    fast = has_app_context() and current_app.config.get("PASSWORD_HASH_FAST")
    return _FAST if fast else _STRONG


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _DUMMY[id(hasher)], password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
