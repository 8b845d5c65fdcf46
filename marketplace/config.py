"""Configuration from environment variables, with development defaults.

Production (APP_ENV=production, set by gunicorn.conf.py) refuses to start without SECRET_KEY.
"""

import os
import secrets
import socket
from pathlib import Path

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "ru"


class ConfigError(RuntimeError):
    """Raised at start-up when a required setting is missing."""


def _instance_secret_key(instance_path: Path) -> str:
    """A per-checkout random key kept under instance/, so dev sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _instance_data_key(instance_path: Path) -> str:
    """Development only: a Fernet key kept beside the database it protects."""
    from cryptography.fernet import Fernet

    key_file = instance_path / "data_encryption_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_bytes(Fernet.generate_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _sqlite_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'marketplace.db'}"


def load_config(instance_path: Path, overrides: dict | None = None) -> dict:
    """Build the Flask config mapping; `overrides` (tests) win over the environment."""
    env = os.environ
    overrides = overrides or {}
    app_env = overrides.get("APP_ENV", env.get("APP_ENV", "development"))
    production = app_env == "production"

    secret_key = overrides.get("SECRET_KEY") or env.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. In production export a long random SECRET_KEY "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
            )
        secret_key = _instance_secret_key(instance_path)

    # Comma-separated Fernet keys: the first encrypts, all decrypt (so keys can be rotated).
    data_keys = overrides.get("DATA_ENCRYPTION_KEYS") or env.get("DATA_ENCRYPTION_KEYS")
    if not data_keys:
        if production:
            raise ConfigError(
                "DATA_ENCRYPTION_KEYS is not set. In production export a Fernet key "
                "(`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`); it encrypts conviction data."
            )
        data_keys = _instance_data_key(instance_path)

    redis_url = env.get("REDIS_URL") or None
    config = {
        "APP_ENV": app_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or _sqlite_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DATA_ENCRYPTION_KEYS": data_keys,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "20 per minute; 100 per hour"),
        "LOGIN_IDENTIFIER_RATE_LIMIT": env.get(
            "LOGIN_IDENTIFIER_RATE_LIMIT", "5 per minute; 20 per hour"
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "UPLOAD_DIR": env.get("UPLOAD_DIR") or str(instance_path / "uploads"),
        "MAIL_BACKEND": env.get("MAIL_BACKEND", "outbox"),
        "MAIL_OUTBOX_DIR": env.get("MAIL_OUTBOX_DIR") or str(instance_path / "outbox"),
        "MAIL_FROM": env.get("MAIL_FROM", "no-reply@jumys.example.kz"),
        "SMTP_HOST": env.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25")),
        "OFFER_RESPONSE_BUSINESS_DAYS": int(env.get("OFFER_RESPONSE_BUSINESS_DAYS", "5")),
        "HIRE_MAX_DAYS_AHEAD": int(env.get("HIRE_MAX_DAYS_AHEAD", "90")),
        "MATCHING_MIN_OUTCOMES": int(env.get("MATCHING_MIN_OUTCOMES", "50")),
        # This host's matching snapshots (marketplace/matches/snapshots.py). Without one, a
        # development process builds its index itself; production never builds in a request.
        "MATCHING_SNAPSHOT_DIR": env.get("MATCHING_SNAPSHOT_DIR") or str(instance_path
                                                                         / "matching"),
        "MATCHING_BUILD_INLINE": env.get("MATCHING_BUILD_INLINE",
                                         "0" if production else "1") == "1",
        "MATCHING_SNAPSHOT_GRACE": int(env.get("MATCHING_SNAPSHOT_GRACE", "3600")),
        "MATCHING_QUEUE": env.get("MATCHING_QUEUE") or f"matching-{socket.gethostname()}",
        # Claims above this many tenge need a second staff member's approval (four eyes).
        "CLAIM_SECOND_APPROVAL_ABOVE": env.get("CLAIM_SECOND_APPROVAL_ABOVE", "500000"),
        # The job centre aims to decide a claim within this many days of filing.
        "CLAIM_REVIEW_DAYS": int(env.get("CLAIM_REVIEW_DAYS", "10")),
        # The staff home's queue counts are kept this long per process while nothing audited
        # happens (marketplace.staff.services.staff_home); 0 counts on every view.
        "STAFF_HOME_CACHE_SECONDS": int(env.get("STAFF_HOME_CACHE_SECONDS", "30")),
        "EXPORT_DIR": env.get("EXPORT_DIR") or str(instance_path / "exports"),
        "PAYMENT_ORDER_DIR": env.get("PAYMENT_ORDER_DIR") or str(instance_path / "payment-orders"),
        "PASSWORD_RESET_MAX_AGE": int(env.get("PASSWORD_RESET_MAX_AGE", "3600")),
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": LANGUAGES,
    }
    config.update(overrides)
    return config
