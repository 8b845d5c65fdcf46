"""`make bench-load`: reading wrk's report, the table, signing in over HTTP, gunicorn's life."""

import runpy
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from marketplace.demo.bench_load import HELLO_CONFIG, Settings, pages, run_wrk
from marketplace.demo.load_results import (
    WrkOutputError,
    cpu_model,
    format_table,
    mem_total_gib,
    parse_wrk_output,
    summarise,
)
from marketplace.demo.load_server import (
    ROOT,
    SignInError,
    cookies_from,
    csrf_token,
    fetch,
    free_port,
    gunicorn,
    last_exception,
    sign_in,
)

WRK_STDOUT = """Running 20s test @ http://127.0.0.1:40111/jobs/7
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   310.20ms  120.33ms   1.90s    71.00%
    Req/Sec    52.10     14.20    90.00     68.00%
  2000 requests in 20.00s, 11.44MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    100.00
Transfer/sec:    585.94KB
BENCH_RESULT {"duration_us": 20000000, "requests": 2000, "bytes": 12000000, \
"errors": {"connect": 0, "read": 1, "write": 0, "status": 3, "timeout": 0}, \
"latency_us": {"p50": 251000, "p95": 612400, "p99": 1204000, "mean": 310200, "max": 1900000}}
"""


def test_the_result_line_is_read_from_wrks_report():
    raw = parse_wrk_output(WRK_STDOUT)
    assert raw["requests"] == 2000
    assert raw["errors"]["status"] == 3
    assert raw["latency_us"]["p99"] == 1204000


def test_a_report_without_the_result_line_is_an_error_showing_its_end():
    with pytest.raises(WrkOutputError, match="unable to connect"):
        parse_wrk_output("Running 1s test @ http://127.0.0.1:1/\nunable to connect to 127.0.0.1:1")


def test_figures_per_page_and_the_ratio_to_hello_world():
    row = summarise("vacancy page", "/jobs/7", parse_wrk_output(WRK_STDOUT), hello_rps=2500)
    assert row["rps"] == 100.0
    assert (row["p50_ms"], row["p95_ms"], row["p99_ms"]) == (251.0, 612.4, 1204.0)
    assert row["errors"] == 4 and row["error_kinds"] == {"read": 1, "status": 3}
    assert row["bytes_per_response"] == 6000
    assert row["ratio"] == 0.04


def test_a_page_that_never_answered_has_no_latency_and_a_zero_ratio():
    raw = {"duration_us": 20_000_000, "requests": 0, "bytes": 0,
           "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 32},
           "latency_us": {"p50": 0, "p95": 0, "p99": 0, "mean": 0, "max": 0}}
    row = summarise("admin dashboard", "/staff/dashboard/", raw, hello_rps=2500)
    assert row["p95_ms"] is None and row["bytes_per_response"] is None
    assert row["ratio"] == 0 and row["errors"] == 32


def test_the_table_shows_every_column_and_the_notes():
    rows = [summarise("hello-world (one route)", "/", parse_wrk_output(WRK_STDOUT)),
            summarise("vacancy page", "/jobs/7", parse_wrk_output(WRK_STDOUT), hello_rps=200)]
    rows[0]["errors"], rows[0]["error_kinds"] = 0, {}
    lines = format_table(rows, ["vacancy page: the warm-up request answered HTTP 500"]
                         ).splitlines()
    assert lines[0] == ("| page | req/s | p50 ms | p95 ms | p99 ms | errors | bytes/response "
                        "| ratio to hello-world |")
    assert lines[2] == "| hello-world (one route) | 100.0 | 251 | 612 | 1,204 | 0 | 6,000 | — |"
    assert lines[3] == ("| vacancy page | 100.0 | 251 | 612 | 1,204 | 4 (read 1, status 3) "
                        "| 6,000 | 0.500 |")
    assert lines[4] == "- vacancy page: the warm-up request answered HTTP 500"


def test_machine_facts_are_read_from_proc():
    assert cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n") == "AMD EPYC 7B13"
    assert mem_total_gib("MemTotal:       24576000 kB\nMemFree: 1 kB\n") == 23.4
    assert cpu_model("") is None and mem_total_gib("") is None


def test_the_search_page_sends_the_query_url_encoded():
    search = next(p for p in pages(region_id=3, vacancy_id=7) if p.key == "search")
    assert search.path == "/jobs?q=%D1%81%D0%B2%D0%B0%D1%80&region=3"


def test_cookies_follow_set_cookie_including_deletion():
    jar = cookies_from([("Set-Cookie", "session=abc; Secure; HttpOnly; Path=/"),
                        ("Set-Cookie", "lang=kk; Path=/")], {})
    assert jar == {"session": "abc", "lang": "kk"}
    jar = cookies_from([("Set-Cookie", "lang=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
                                       "Max-Age=0; Path=/")], jar)
    assert jar == {"session": "abc"}


def test_the_csrf_token_is_found_in_the_sign_in_page(client):
    html = client.get("/login").get_data(as_text=True)
    token = csrf_token(html)
    assert token and len(token) > 20
    assert csrf_token("<form><input name='q'></form>") is None


@pytest.fixture
def live_server(app, monkeypatch):
    """The test app over real HTTP, with production's CSRF and secure cookies, behind a
    stand-in for gunicorn's forwarded-header handling (trusting X-Forwarded-Proto)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    seen = []

    def behind_proxy(environ, start_response):
        seen.append(environ)
        if environ.get("HTTP_X_FORWARDED_PROTO") == "https":
            environ["wsgi.url_scheme"] = "https"
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, behind_proxy, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(base=f"http://127.0.0.1:{server.port}", seen=seen)
    server.shutdown()
    thread.join()
    server.server_close()


def test_sign_in_posts_the_real_form_over_https_and_returns_the_session(live_server,
                                                                        make_user):
    user = make_user("candidate")
    cookie = sign_in(live_server.base, user.login, user.password)
    post = next(e for e in live_server.seen if e["REQUEST_METHOD"] == "POST")
    assert post["wsgi.url_scheme"] == "https"  # so the strict HTTPS referrer check ran
    assert fetch(live_server.base, "/candidate/", cookie=cookie).status == 200
    assert fetch(live_server.base, "/candidate/").status == 302  # to the sign-in page


def test_a_refused_sign_in_is_an_error(live_server, make_user):
    user = make_user("candidate")
    with pytest.raises(SignInError, match="HTTP 200"):
        sign_in(live_server.base, user.login, "wrong-password-1")


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed (apt-get install wrk)")
def test_wrk_sends_the_session_and_reports_through_the_lua_script(live_server, make_user,
                                                                  tmp_path):
    user = make_user("candidate")
    cookie = sign_in(live_server.base, user.login, user.password)
    settings = Settings(duration=1, warmup=0, connections=2, wrk_threads=1, timeout=10,
                        region="KZ-AST", pages=(), output=tmp_path / "out.json")
    live_server.seen.clear()
    raw = run_wrk(live_server.base + "/candidate/", settings, cookie=cookie, seconds=1)
    assert raw["requests"] > 0 and raw["errors"]["status"] == 0
    assert raw["latency_us"]["p50"] > 0
    assert all(e.get("HTTP_COOKIE") == cookie and e["HTTP_X_FORWARDED_PROTO"] == "https"
               for e in live_server.seen)


def test_gunicorn_is_stopped_even_when_the_bench_fails(tmp_path):
    log = tmp_path / "gunicorn.log"
    with pytest.raises(RuntimeError, match="bench failed"), \
            gunicorn("marketplace.demo.hello:app", {"PATH": "/usr/bin:/bin"}, log=log,
                     config=HELLO_CONFIG, health_path="/", start_timeout=60) as base:
        assert fetch(base, "/").body == b"Hello, World!"
        raise RuntimeError("bench failed")
    with pytest.raises(OSError):
        fetch(base, "/", timeout=2)  # nothing listens any more
    assert "Booting worker" in Path(log).read_text()


def test_a_free_port_is_one_nothing_listens_on():
    with pytest.raises(OSError):
        fetch(f"http://127.0.0.1:{free_port()}", "/", timeout=2)


def test_the_servers_last_exception_explains_a_500(tmp_path):
    log = tmp_path / "gunicorn.log"
    log.write_text(
        '[2026-12-04 17:11:08 +0000] [1] [INFO] Booting worker with pid: 2\n'
        'Traceback (most recent call last):\n  File "a.py", line 1, in f\n'
        'psycopg.errors.UndefinedTable: relation "indicator_fact" does not exist\n\n'
        'The above exception was the direct cause of the following exception:\n\n'
        'Traceback (most recent call last):\n  File "b.py", line 2, in g\n'
        'sqlalchemy.exc.ProgrammingError: (psycopg.errors.UndefinedTable) relation\n'
        '127.0.0.1 - - "GET /staff/dashboard/ HTTP/1.1" 500 3436\n')
    assert last_exception(log) == ("sqlalchemy.exc.ProgrammingError: "
                                   "(psycopg.errors.UndefinedTable) relation")
    log.write_text("[INFO] Booting worker\n")
    assert last_exception(log) is None


def test_hello_world_runs_under_productions_settings_without_its_hooks(monkeypatch):
    monkeypatch.setenv("APP_ENV", "development")  # the config file sets it when unset
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "BIND"):
        monkeypatch.delenv(name, raising=False)
    production = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    hello = runpy.run_path(str(ROOT / HELLO_CONFIG))
    settings = ("bind", "workers", "worker_class", "threads", "preload_app", "timeout",
                "accesslog", "errorlog", "forwarded_allow_ips")
    assert {name: hello[name] for name in settings} == {name: production[name]
                                                         for name in settings}
    assert (hello["workers"], hello["threads"]) == (2, 4)
    assert not [name for name, value in hello.items()  # no server hooks (functions)
                if not name.startswith("_") and callable(value) and not isinstance(value, type)]
