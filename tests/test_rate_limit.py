"""Sign-in attempts are limited per login and per address (memory storage in tests)."""

import pytest


@pytest.fixture
def strict_limits(app):
    saved = {k: app.config[k] for k in ("LOGIN_RATE_LIMIT", "LOGIN_IDENTIFIER_RATE_LIMIT")}
    app.config.update(LOGIN_IDENTIFIER_RATE_LIMIT="3 per minute", LOGIN_RATE_LIMIT="6 per minute")
    yield
    app.config.update(saved)


def _attempt(client, identifier, password="wrong-guess"):
    return client.post("/login", data={"identifier": identifier, "password": password})


def test_repeated_failures_for_one_login_are_throttled_without_revealing_the_account(
        client, make_user, strict_limits):
    user = make_user("candidate")
    assert [_attempt(client, user.login).status_code for _ in range(4)] == [200, 200, 200, 429]
    blocked = _attempt(client, user.login, user.password)
    assert blocked.status_code == 429, "the right password waits for the window too"
    assert "Too many attempts" in blocked.get_data(as_text=True)


def test_unknown_logins_are_throttled_the_same_way(client, strict_limits):
    assert [_attempt(client, "+77770000000").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_one_address_trying_many_logins_is_throttled(client, strict_limits):
    statuses = [_attempt(client, f"+7701000{i:04d}").status_code for i in range(7)]
    assert statuses == [200] * 6 + [429]
