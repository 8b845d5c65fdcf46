"""Account rules: registration, authentication, password reset, staff account creation."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.auth.passwords import hash_password, needs_rehash, verify_password
from marketplace.db_types import utcnow
from marketplace.errors import DuplicateAccount, InvalidToken
from marketplace.extensions import db
from marketplace.identifiers import normalize_phone

_RESET_SALT = "password-reset"


def find_by_login(identifier: str) -> User | None:
    """An e-mail address (contains '@') or a Kazakhstan mobile number in any common format."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return db.session.scalar(select(User).where(User.email == identifier.lower()))
    phone = normalize_phone(identifier)
    if phone is None:
        return None
    return db.session.scalar(select(User).where(User.phone == phone))


def ensure_login_free(*, email: str | None, phone: str | None) -> None:
    """Raises DuplicateAccount if the e-mail or phone already belongs to an account."""
    if email and db.session.scalar(select(User.id).where(User.email == email)):
        raise DuplicateAccount(_l("An account with this e-mail already exists."), field="email")
    if phone and db.session.scalar(select(User.id).where(User.phone == phone)):
        raise DuplicateAccount(_l("An account with this phone number already exists."),
                               field="phone")


def create_user(*, role: Role, full_name: str, password: str, email: str | None = None,
                phone: str | None = None, locale: str | None = None, region=None,
                actor: User | None = None) -> User:
    """Create an account; raises DuplicateAccount. Flushes, never commits."""
    email = email.strip().lower() if email else None
    ensure_login_free(email=email, phone=phone)
    user = User(role=role, full_name=full_name.strip(), email=email, phone=phone,
                password_hash=hash_password(password), locale=locale, region=region)
    db.session.add(user)
    db.session.flush()
    record("user:create", user, actor=actor or user, role=role.value)
    return user


def authenticate(identifier: str, password: str) -> User | None:
    """The active user with these credentials, or None (the caller shows one generic message)."""
    user = find_by_login(identifier)
    if not verify_password(user.password_hash if user else None, password):
        if user:
            record("user:login_failed", user)
        return None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record("user:login", user, actor=user)
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def make_reset_token(user: User) -> str:
    # Binding the token to the current hash makes it single-use: a new password voids it.
    return _serializer().dumps({"uid": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User:
    """Raises InvalidToken for a tampered, expired or already-used token."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidToken(_l("This reset link has expired. Please ask for a new one.")) from exc
    except BadSignature as exc:
        raise InvalidToken(_l("This reset link is not valid.")) from exc
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or user.password_hash[-16:] != data.get("h") or not user.is_active:
        raise InvalidToken(_l("This reset link is not valid."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    record("user:password_reset", user, actor=user)
    return user
