"""Production refuses to start without a secret; cookies are hardened; headers are set."""

import subprocess
import sys

import pytest

from marketplace import ROOT, create_app
from marketplace.config import ConfigError, load_config


def test_production_without_secret_key_fails_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_without_data_encryption_key_fails(monkeypatch, tmp_path):
    monkeypatch.delenv("DATA_ENCRYPTION_KEYS", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="DATA_ENCRYPTION_KEYS is not set"):
        create_app({"SECRET_KEY": "s" * 40,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_gunicorn_config_marks_the_process_as_production():
    env = {"PATH": "/usr/bin:/bin"}
    code = ("import runpy, os; runpy.run_path('gunicorn.conf.py'); "
            "from marketplace import create_app; create_app()")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    app = create_app({"SECRET_KEY": "s" * 40, "DATA_ENCRYPTION_KEYS": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_redis_url_selects_redis_for_rate_limits(monkeypatch, tmp_path):
    # load_config only: initialising the (global) limiter on Redis would leak into other tests.
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert load_config(tmp_path, {"SECRET_KEY": "x"})["RATELIMIT_STORAGE_URI"] == (
        "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("REDIS_URL")
    assert load_config(tmp_path, {"SECRET_KEY": "x"})["RATELIMIT_STORAGE_URI"] == "memory://"


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user("candidate")
    response = client.post("/login", data={"identifier": user.login, "password": user.password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_typical_page_is_light(client):
    html = client.get("/register/candidate").get_data()
    with client.get("/static/css/app.css") as response:
        css = response.get_data()
    assert len(html) + len(css) < 100_000
