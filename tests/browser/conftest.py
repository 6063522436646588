"""Browser fixtures: a live Roundtable in its own process and Debian's chromium driven by Playwright.

Never downloads a browser. Without /usr/bin/chromium the browser tests are skipped with one line,
unless ROUNDTABLE_REQUIRE_BROWSER=1 (CI), where they fail instead.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MISSING = f"chromium not found at {CHROMIUM}: browser tests skipped"
MISSING_AXE = f"axe-core not found at {AXE} (npm is needed to install it): browser tests skipped"
REQUIRED = os.environ.get("ROUNDTABLE_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    """Without chromium or axe-core (and not in CI), leave the browser tests out and say so in one line."""
    if (Path(CHROMIUM).exists() and AXE.exists()) or REQUIRED:
        return
    left_out = [item for item in items if HERE in Path(str(item.path)).parents]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]
        config.stash[_LEFT_OUT] = len(left_out)


_LEFT_OUT = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(_LEFT_OUT, 0):
        reason = MISSING if not Path(CHROMIUM).exists() else MISSING_AXE
        terminalreporter.write_line(f"SKIPPED {reason} ({config.stash[_LEFT_OUT]} tests)", yellow=True)


def start_live_server(directory: Path) -> tuple[subprocess.Popen, dict]:
    """Start tests/browser/server.py; return the process and the facts it printed."""
    process = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), str(directory)],
        stdout=subprocess.PIPE, stderr=open(directory / "server.log", "w"), text=True,
    )
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        raise RuntimeError("live server did not start:\n" + (directory / "server.log").read_text()[-3000:])
    return process, json.loads(line)


def stop_live_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def chromium_available() -> None:
    if Path(CHROMIUM).exists():
        return
    if REQUIRED:
        pytest.fail(MISSING.replace("skipped", "required by ROUNDTABLE_REQUIRE_BROWSER=1"), pytrace=False)
    pytest.skip(MISSING)


@pytest.fixture(scope="session")
def live(chromium_available, tmp_path_factory) -> dict:
    process, facts = start_live_server(tmp_path_factory.mktemp("live"))
    yield facts
    stop_live_server(process)


@pytest.fixture(scope="session")
def browser(chromium_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def new_context(browser, live):
    """Open browser contexts (separate cookie jars) that only ever reach the live app.

    Every request is recorded on ``context.requests``; requests to any other origin are answered
    by a local stub instead of leaving the machine. (Playwright does not route the second hop of a
    redirect, so the quick exit's neutral site is a stub on neutral.localhost, see server.py.)
    """
    contexts = []
    own_origin = live["base_url"]

    def opener(**options):
        context = browser.new_context(**options)
        context.requests = []
        context.on("request", lambda request: context.requests.append(request.url))

        def elsewhere(route):
            route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Weather</title><p>Weather</p>")

        context.route(lambda url: not url.startswith(own_origin + "/"), elsewhere)
        contexts.append(context)
        return context

    yield opener
    for context in contexts:
        context.close()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in(page, live: dict, role: str, on_code_page=None) -> None:
    """Sign a staff member in through the login form and, for editors and admins, the code page."""
    import pyotp

    page.goto(live["base_url"] + "/login")
    page.fill("#username", live["staff"][role])
    page.fill("#password", live["password"])
    with page.expect_navigation():
        page.press("#password", "Enter")
    if page.url.endswith("/login/code"):
        if on_code_page:
            on_code_page(page)
        # The next step's code: the current one may be the code the test server enrolled with, and a
        # code works only once, so a second sign-in within the same 30 s waits for a later step.
        used = live.setdefault("totp_steps_used", {})
        if role in used:
            time.sleep(max(0.0, used[role] * 30 + 0.5 - time.time()))
        used[role] = int(time.time() // 30) + 1
        page.fill("#code", pyotp.TOTP(live["totp_secret"]).at(used[role] * 30))
        with page.expect_navigation():
            page.press("#code", "Enter")
    assert "/login" not in page.url and "/account/" not in page.url, f"{role} could not sign in: {page.url}"


def stop_the_pages_clock(page, at: str | None = None) -> None:
    """The page's timers (the autosave every 5 s, the idle count, the staff page's 15 s) run from now on only as the
    test moves the clock (``page.clock.run_for``, ``fast_forward``), in every page of its browser context, from ``at``
    (ISO 8601; now by default). Installed alone, Playwright's clock goes on with real time: on a busy machine a real
    tick came between two steps of a test (an autosave before the test looked for the empty status line, a minute
    turned while 'Draft saved at' was said). Installed a minute before ``at``: a page already open counts on with real
    time until it is stopped, and it cannot be stopped at a time already past."""
    from datetime import datetime, timedelta, timezone

    stop = datetime.fromisoformat(at) if at else datetime.now(timezone.utc)
    page.clock.install(time=stop - timedelta(minutes=1))
    page.clock.pause_at(stop)


def requests_sent_so_far_are_seen(page) -> None:
    """Before asserting that the page sent no (further) request: one it sends now is waited for, so that one sent
    before it, on its way meanwhile, is not missed."""
    with page.expect_request(lambda request: request.url.endswith("/healthz?seen")):
        page.evaluate("fetch('/healthz?seen').catch(() => null)")


def axe_context(browser, **options):
    """A browser context whose pages carry axe-core from the start (injected by the browser's
    debugging protocol, so the app's Content-Security-Policy stays exactly as it is served)."""
    assert AXE.exists(), f"axe-core is missing at {AXE}: run `make test` (or `cd tests/browser && npm ci`)"
    context = browser.new_context(**options)
    context.add_init_script(path=str(AXE))
    return context


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the current page; one line per violation."""
    assert AXE.exists(), f"axe-core is missing at {AXE}: run `make test` (or `cd tests/browser && npm ci`)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))",
        AXE_TAGS,
    )
    return [f"{v['id']} ({v['help']}): {', '.join(v['nodes'][:5])}" for v in results]


# Each word of the text in what ``selector`` matches that the browser wrapped across two lines ("Umalis sa pahin /
# ang ito"). Words are cut at spaces, hyphens, dashes and slashes, where wrapping is fine.
_WORDS_CUT_IN_TWO = """selector => {
  const split = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s\\-\u2010-\u2014\\/]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        if (new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}"""


def words_cut_in_two(page, selector: str) -> list[str]:
    """The words of ``selector``'s text that the page shows cut across two lines."""
    return page.evaluate(_WORDS_CUT_IN_TWO, selector)


# A refused form's summary has the focus, as the page opens (autofocus, without JavaScript too).
SUMMARY_FOCUSED = "() => document.activeElement !== null && document.activeElement.closest('.error-summary') !== null"

_WHERE_THE_SUMMARY_OPENS = """() => {
  const heading = document.querySelector(".error-summary h2").getBoundingClientRect();
  const bar = document.querySelector(".exit-bar");
  return {heading: heading.top, heading_end: heading.bottom, screen: window.innerHeight,
          exit_bar_end: bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0};
}"""


def where_the_summary_opens(page) -> dict:
    """Once it has the focus: where its heading is on the screen, against the bottom of the quick exit bar (0 without
    one) and of the screen."""
    page.wait_for_function(SUMMARY_FOCUSED, timeout=5_000)
    return page.evaluate(_WHERE_THE_SUMMARY_OPENS)
