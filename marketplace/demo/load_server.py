"""Gunicorn and HTTP for `make bench-load`: start a server, wait for it, sign in, stop it.

Only the standard library speaks HTTP here, so the bench adds nothing to the app's environment.
Every request says X-Forwarded-Proto: https, as production's TLS proxy does; gunicorn trusts it
from 127.0.0.1 (forwarded_allow_ips), so production's secure cookies and Flask-WTF's strict
HTTPS referrer check run exactly as in production, over plain HTTP on loopback.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "ru"}
STOP_SECONDS = 40  # gunicorn's graceful timeout is 30 s


class ServerError(RuntimeError):
    """Gunicorn exited or never answered its health check."""


class SignInError(RuntimeError):
    """The sign-in form did not accept the demo login."""


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float


def fetch(base: str, path: str, *, cookie: str = "", form: dict | None = None,
          referer: str = "", timeout: float = 60) -> Reply:
    """One request; a POST when `form` is given. Redirects are returned, not followed."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = dict(PROXY_HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    if referer:
        headers["Referer"] = referer
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        connection.request("POST" if form is not None else "GET", path, body=body,
                           headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    return Reply(response.status, response.getheaders(), data, time.perf_counter() - started)


CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


def csrf_token(html: str) -> str | None:
    """The form's hidden CSRF token (Flask-WTF renders it as an <input name="csrf_token">)."""
    tag = CSRF_INPUT.search(html)
    value = VALUE.search(tag.group(0)) if tag else None
    return value.group(1) if value else None


def cookies_from(headers: list[tuple[str, str]], jar: dict[str, str]) -> dict[str, str]:
    """`jar` updated with the response's Set-Cookie headers (max-age=0 deletes), like a browser
    that ignores the Secure flag: the bench talks to the server directly, behind the 'proxy'."""
    jar = dict(jar)
    for name, value in headers:
        if name.lower() != "set-cookie":
            continue
        for key, morsel in SimpleCookie(value).items():
            if morsel["max-age"] == "0":
                jar.pop(key, None)
            else:
                jar[key] = morsel.value
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{key}={value}" for key, value in jar.items())


def sign_in(base: str, identifier: str, password: str, *, timeout: float = 60) -> str:
    """Post the real sign-in form with its CSRF token; returns the signed-in Cookie header.

    Raises SignInError when the form is not accepted (wrong login, rate limit, CSRF)."""
    page = fetch(base, "/login", timeout=timeout)
    jar = cookies_from(page.headers, {})
    form = {"identifier": identifier, "password": password}
    token = csrf_token(page.body.decode("utf-8", "replace"))
    if token:
        form["csrf_token"] = token
    host = urlsplit(base).netloc
    reply = fetch(base, "/login", cookie=cookie_header(jar), form=form,
                  referer=f"https://{host}/login", timeout=timeout)
    if reply.status != 302:
        raise SignInError(f"signing in as {identifier} answered HTTP {reply.status} instead of "
                          "a redirect (is the demo login in this database? seed-demo or "
                          "seed-scale creates it)")
    return cookie_header(cookies_from(reply.headers, jar))


def free_port() -> int:
    """A port nothing listens on now (the OS picks it; gunicorn binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(process, base: str, path: str, deadline: float, log: Path) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"gunicorn exited with code {process.returncode}:\n{_tail(log)}")
        try:
            if fetch(base, path, timeout=5).status == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.25)
    raise ServerError(f"gunicorn did not answer {path} in time:\n{_tail(log)}")


def wait_idle(base: str, path: str = "/healthz", *, within: float = 120,
              fast: float = 0.2, in_a_row: int = 3) -> bool:
    """Wait until the server has worked off the requests wrk left behind (gunicorn finishes
    them after wrk hangs up), so that one page's backlog is not charged to the next: a cheap
    page answers quickly `in_a_row` times (new connections reach either worker). False if the
    server is still busy after `within` seconds."""
    deadline, quick = time.monotonic() + within, 0
    while quick < in_a_row and time.monotonic() < deadline:
        quick = quick + 1 if fetch(base, path, timeout=within).seconds < fast else 0
    return quick >= in_a_row


def last_exception(log: Path) -> str | None:
    """The exception line that ends the log's last traceback, to say why a page answered 500
    (of a chained exception, the one raised last)."""
    lines = log.read_text(errors="replace").splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith("Traceback (most recent")]
    if not starts:
        return None
    return next((line[:300] for line in lines[starts[-1] + 1:]
                 if line and not line[0].isspace()), None)


def _tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _stop(process) -> None:
    """SIGTERM lets gunicorn finish its requests; SIGKILL its process group if it hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own group: the master and its workers
        process.wait()


@contextmanager
def gunicorn(app_spec: str, env: dict, *, log: Path, config: str = "gunicorn.conf.py",
             health_path: str = "/healthz", start_timeout: float = 600):
    """Serve `app_spec` with `gunicorn -c config` on a free loopback port; yields the base URL
    once `health_path` answers 200 (production's start may first build the matching snapshot),
    and always stops the server afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log, "ab") as output:
        # Its own session: Ctrl+C reaches only the bench, which then stops gunicorn in order.
        # No control socket: its default path is one per user, shared with any other gunicorn.
        process = subprocess.Popen(  # noqa: S603 - an argument list, no shell
            [sys.executable, "-m", "gunicorn", "-c", config, "--no-control-socket", app_spec],
            cwd=ROOT, env={**env, "BIND": f"127.0.0.1:{port}"}, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(process, base, health_path, time.monotonic() + start_timeout, log)
        yield base
    finally:
        _stop(process)
