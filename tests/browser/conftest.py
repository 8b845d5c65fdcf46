"""Real-browser fixtures: the app served on a free local port, Debian's chromium driven by
Playwright, and an axe-core audit helper (axe ships inside the axe-playwright-python wheel)."""

import os
import shutil
import threading
from importlib.resources import files

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def chromium_path():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); "
                    ".ci/run installs it")
    return CHROMIUM


def _buffered(app):
    """Read each response fully and close it at once. The browser drops connections it no
    longer needs (a favicon during navigation); a streamed static file left for the garbage
    collector then raises a ResourceWarning, which the suite treats as an error."""

    def wsgi(environ, start_response):
        result = app(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            if hasattr(result, "close"):
                result.close()

    return wsgi


@pytest.fixture
def live_server(app):
    """The test app on 127.0.0.1 with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def page(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        # Small phone screen; CSP bypass only so the audit script can be injected.
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU",
                                      bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


AXE_SOURCE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
}"""


@pytest.fixture
def audit():
    """audit(page) → fails the test on any serious or critical axe-core violation."""
    audited = []

    def run(page):
        # A click that navigates returns before the next page has loaded; under a busy machine
        # the script would otherwise be injected into a document that is being replaced.
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(content=AXE_SOURCE)
        except PlaywrightError:
            page.wait_for_load_state("load")
            page.add_script_tag(content=AXE_SOURCE)
        violations = [v for v in page.evaluate(AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]
        audited.append(page.url)
        assert violations == [], f"axe-core on {page.url}: {violations}"

    run.audited = audited
    return run
