"""The survivor leader's path in a real browser: with and without JavaScript, by keyboard alone,
on a 360×640 phone screen, never talking to anyone but our own server; and the quick exit."""

from __future__ import annotations

import re

import pytest

from .conftest import (
    SUMMARY_FOCUSED, axe_violations, requests_sent_so_far_are_seen, stop_the_pages_clock, where_the_summary_opens,
    words_cut_in_two,
)
from .journeys import join

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
TALL_PHONE, SMALL_PHONE = {"width": 360, "height": 740}, {"width": 320, "height": 640}

# A reader's own settings, which the page must bear. Android's largest text doubles every size (all are in rem):
LARGE_TEXT = "html { font-size: 200%; }"
# WCAG 1.4.12: text spacing.
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }"
                " p { margin-bottom: 2em !important; }")


def _with_the_readers_style(page, css: str) -> None:
    """The reader's style sheet comes after ours, as the page loads (a style tag added waits for scripts)."""
    if css:
        page.route("**/static/roundtable.css*", lambda route: route.fulfill(
            response=(ours := route.fetch()), body=ours.text() + css))


class Keyboard:
    """Moves only with Tab, Shift+Tab, arrows, Enter and Space: never a mouse click."""

    def __init__(self, page):
        self.page = page

    def focused(self, selector: str) -> bool:
        return self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)

    def tab_to(self, selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            if self.focused(selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def choose(self, name: str, value: str) -> None:
        self.tab_to(f"input[name={name}]")
        for _ in range(10):
            if self.page.is_checked(f"input[name={name}][value={value}]"):
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"arrow keys never chose {name}={value}")

    def tick(self, selector: str) -> None:
        self.tab_to(selector)
        if not self.page.is_checked(selector):
            self.page.keyboard.press("Space")
        assert self.page.is_checked(selector)

    def press_button(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide at {PHONE['width']}px"


def _up_to_the_pseudonym(page, keys: Keyboard, live: dict, language: str = "en") -> None:
    page.goto(live["base_url"] + "/join")
    page.keyboard.press("Tab")
    assert keys.focused("a.skip"), "the first Tab goes to 'Skip to content'"
    page.keyboard.press("Tab")
    assert keys.focused("#quick-exit"), "the second Tab goes to 'Exit this page'"
    fits_the_phone(page)
    keys.type_into("#code", live["join_code"].lower())
    keys.choose("language", language)
    keys.press_button("main form [type=submit]")

    assert page.url.endswith("/join/consent")
    fits_the_phone(page)
    keys.tick("#clause-take_part")
    keys.tick("#clause-store_words")
    keys.tick("#adult")
    keys.press_button("main form [type=submit]")

    assert page.url.endswith("/join/pseudonym")
    fits_the_phone(page)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_a_participant_joins_writes_takes_a_break_and_returns_by_keyboard_on_a_small_phone(new_context, live, javascript):
    context = new_context(java_script_enabled=javascript, viewport=PHONE)
    page = context.new_page()
    keys = Keyboard(page)
    base = live["base_url"]

    _up_to_the_pseudonym(page, keys, live)
    keys.type_into("#pseudonym", "Sampaguita" if javascript else "Dalisay")
    keys.press_button("main form [type=submit]")

    assert page.url.endswith("/join/passphrase")
    fits_the_phone(page)
    words = page.locator("ol.passphrase li").all_inner_texts()
    first = int("".join(ch for ch in page.inner_text("label[for=first]") if ch.isdigit()))
    second = int("".join(ch for ch in page.inner_text("label[for=second]") if ch.isdigit()))
    keys.type_into("#first", words[first - 1])
    keys.type_into("#second", words[second - 1])
    keys.press_button("main form [type=submit]")

    assert page.url.endswith("/before-you-write")
    fits_the_phone(page)
    keys.press_button("main a.button[href$='/my']")  # "I am ready"

    assert page.url.endswith("/my")
    fits_the_phone(page)
    keys.press_button(f"main a[href$='/write/{live['prompt_id']}']")

    fits_the_phone(page)
    keys.type_into("#text", "A quiet room and a judge who waits for me to finish.")
    keys.press_button("[name=leave]")  # "Save and take a break"

    assert page.url.endswith("/return"), "taking a break ends the session"
    assert page.locator(".flash").count() == 1
    fits_the_phone(page)
    keys.type_into("#passphrase", " ".join(words))
    keys.press_button("main form [type=submit]")

    assert page.url.endswith("/my")
    fits_the_phone(page)
    opened = page.locator("main a[href*='/my/reflections/']:not([href$='/delete'])")
    assert opened.count() == 1, "the draft waits in My words"

    strangers = [url for url in context.requests if not url.startswith(base + "/")]
    assert strangers == [], f"requests left our origin: {strangers}"


def _writing_on_a_phone(new_context, live, pseudonym: str, *, clock: bool = False):
    """Someone who just joined, on the first question's writing page on a phone: (context, page, its address, their
    passphrase). With ``clock``, the page's timers run only when the test moves its clock."""
    context = new_context(viewport=PHONE)
    page = context.new_page()
    passphrase = join(page, live, language="en", pseudonym=pseudonym)
    if clock:
        stop_the_pages_clock(page)
    writing = f"{live['base_url']}/write/{live['prompt_id']}"
    page.goto(writing)
    return context, page, writing, passphrase


def _posts_lost_on_the_way(page, writing: str, act) -> None:
    """``act`` sends the writing form, and the connection drops its request: the browser shows its own error page."""
    from playwright.sync_api import Error

    page.route(f"{writing}*", lambda route: route.abort("connectionreset") if route.request.method == "POST"
               else route.continue_())
    try:
        with page.expect_navigation():
            act()
    except Error:
        pass  # the navigation failed, as on the phone
    page.wait_for_url("chrome-error://chromewebdata/")
    page.unroute(f"{writing}*")


def _kept_in_the_tab(page) -> list[str]:
    """The tab's copies of words a writing page sent (writing.js), by their keys."""
    return page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('roundtable:sent:'))")


def test_with_javascript_a_draft_saves_itself_and_a_warning_comes_before_the_session_ends(new_context, live):
    from playwright.sync_api import expect

    _context, page, writing, passphrase = _writing_on_a_phone(new_context, live, "Amihan autosave", clock=True)
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    words = "A judge who lets me finish my sentence, and a room where I feel safe."
    page.fill("#text", words)
    expect(page.locator("#autosave-status")).to_be_empty()

    page.clock.run_for(5_000)  # one autosave tick: the changed draft is posted
    # The time as the page's language writes it, as the server writes times ("1:50 PM"), not the device's 13:50.
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Draft saved at \d{1,2}:\d\d\s?[AP]M"))
    expect(page.locator("#idle-warning")).to_be_hidden()

    page.clock.run_for((idle_seconds - 100) * 1_000)  # nothing typed since the save: warn before the end
    expect(page.locator("#idle-warning")).to_be_visible()
    expect(page.locator("#idle-warning")).to_contain_text("this page will close soon")

    with page.expect_request(lambda request: request.url.endswith("/return")):  # and it does close
        page.clock.run_for(110_000)
    page.wait_for_url("**/return")  # the session ended with it (the server's own clock has not run out yet)
    expect(page.locator("main")).to_contain_text("we closed your session to keep your words safe")
    page.fill("#passphrase", passphrase)
    page.click("main form [type=submit]")
    page.goto(writing)
    assert page.input_value("#text") == words, "the autosaved draft is what the writing page opens with"


def test_with_javascript_a_page_closing_for_safety_whose_token_went_with_its_session_still_ends_the_session(
        new_context, live):
    """A sign-in again in another tab gave the session a new CSRF token: the old page's last save is refused, and
    the session still ends with it, since the browser itself says a page of this site sent it (Sec-Fetch-Site)."""
    from playwright.sync_api import expect

    context, page, writing, passphrase = _writing_on_a_phone(new_context, live, "Amihan old tab", clock=True)
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    page.route("**/autosave", lambda route: route.fulfill(status=400, json={"saved": False, "message": "No."}))
    page.fill("#text", "Typed in the first tab: the court should let a child rest between questions.")
    other = context.new_page()
    other.goto(live["base_url"] + "/exit")
    other.goto(live["base_url"] + "/return")
    other.fill("#passphrase", passphrase)
    with other.expect_navigation():
        other.click("main form [type=submit]")
    other.close()  # its own page would close for safety too, as the clock runs

    with page.expect_response(lambda response: response.request.method == "POST" and response.status == 400):
        page.clock.run_for((idle_seconds + 10) * 1_000)

    expect(page.locator("main")).to_contain_text("Your page closed to keep your words safe")
    expect(page.locator("main")).not_to_contain_text("rest between questions")
    other = context.new_page()
    other.goto(live["base_url"] + "/my")
    assert other.url.endswith("/return"), "the session ended with the page"


def test_with_javascript_a_page_closing_for_safety_offline_stays_hidden_and_ends_the_session_once_back(new_context,
                                                                                                      live):
    """Offline, going to /closed would be the browser's error page, and Back the page before, still signed in."""
    context = new_context(viewport=PHONE)
    page = context.new_page()
    join(page, live, language="en", pseudonym="Amihan no signal")
    stop_the_pages_clock(page)
    page.goto(live["base_url"] + "/my")
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    context.set_offline(True)

    page.clock.run_for((idle_seconds + 30) * 1_000)

    assert page.url.endswith("/my") and page.evaluate("document.body.classList.contains('hidden-now')")
    with page.expect_navigation(url="**/return"):
        context.set_offline(False)
    other = context.new_page()
    other.goto(live["base_url"] + "/my")
    assert other.url.endswith("/return"), "the session ended with the page"


@pytest.mark.parametrize("how", ["offline", "refused"])
def test_with_javascript_a_page_closing_for_safety_saves_a_draft_it_could_not_save_first(new_context, live, how):
    """Typing is someone there, even where no autosave gets through; left alone, the page saves the words on its
    way out ("Save and take a break"), once a connection is back, instead of closing over them."""
    from playwright.sync_api import expect

    context, page, writing, passphrase = _writing_on_a_phone(new_context, live, f"Amihan {how} close", clock=True)
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    if how == "offline":
        context.set_offline(True)
    else:  # too long to save, say: every autosave answered with a refusal
        page.route("**/autosave*", lambda route: route.fulfill(status=400, json={"saved": False, "message": "No."}))
    words = "Typed on a bus between two towns: the court should let a child rest between questions."
    for part in range(3):  # typing on, a little at a time, for longer than the idle time
        page.type("#text", f" {part}")
        page.clock.run_for((idle_seconds // 2) * 1_000)
    assert page.url == writing, "someone was typing: the page stayed"
    page.fill("#text", words)

    sent = []
    page.on("request", lambda request: sent.append(request.post_data or "") if request.method == "POST"
            and request.url == f"{writing}?sent=1" else None)
    if how == "offline":
        page.clock.run_for((idle_seconds + 10) * 1_000)  # left alone
        assert page.url == writing, "no connection: the page hides and waits, it does not close over the words"
        with page.expect_navigation(url="**/return"):
            context.set_offline(False)
    else:  # the autosave still refused: the words go with the page's own button, which the server takes
        with page.expect_navigation(url="**/return"):
            page.clock.run_for((idle_seconds + 10) * 1_000)
    assert len(sent) == 1 and "closed_for_safety=1" in sent[0], "said to be the page's own: not shown if too late"

    expect(page.locator("main")).to_contain_text("Your draft is saved. Come back with your passphrase")
    page.fill("#passphrase", passphrase)
    page.click("main form [type=submit]")
    page.goto(writing)
    assert page.input_value("#text") == words


def test_with_javascript_a_tab_left_alone_closes_without_ending_the_session_of_the_tab_where_someone_writes(
        new_context, live):
    """QA: "My words" left open in one tab counted only its own keys and clicks; after its idle time it closed and ended
    the session under the tab where the person was writing, whose autosave then said "Not saved", and whose "Save
    draft" led to /return, the words typed since gone. That tab now leaves its page and ends nothing."""
    from playwright.sync_api import expect

    context = new_context(viewport=PHONE)
    left_alone = context.new_page()
    join(left_alone, live, language="en", pseudonym="Amihan two tabs")
    context.clock.install()  # one clock for both tabs
    left_alone.goto(live["base_url"] + "/my")
    writing = context.new_page()
    address = f"{live['base_url']}/write/{live['prompt_id']}"
    writing.goto(address)
    idle_seconds = int(left_alone.get_attribute("body", "data-idle-seconds"))
    status = writing.locator("#autosave-status")

    typed = "The judge"
    writing.fill("#text", typed)
    with left_alone.expect_navigation(url="**/closed?*"):
        for minute in range(0, idle_seconds // 60 + 2, 5):  # a few words every five minutes, past its idle time
            typed += f" {minute}"
            writing.locator("#text").press_sequentially(f" {minute}")
            writing.clock.run_for(300_000)
            expect(status).to_contain_text("Draft saved")

    expect(left_alone.locator("main")).to_contain_text("You are still signed in on another page or tab.")
    assert "The judge" not in left_alone.content() and "Amihan two tabs" not in left_alone.content()
    fits_the_phone(left_alone)
    writing.locator("#text").press_sequentially(" should wait for me.")
    writing.clock.run_for(5_000)
    expect(status).to_contain_text("Draft saved")
    writing.locator("#text").press_sequentially(" And listen.")
    with writing.expect_navigation(url="**/my"):
        writing.click("main [name=save]")
    expect(writing.locator("main")).to_contain_text("Your draft is saved.")
    writing.goto(address)
    assert writing.input_value("#text") == typed + " should wait for me. And listen."


def test_with_javascript_one_draft_open_in_two_tabs_the_tab_behind_is_told_and_keeps_its_words(new_context, live):
    """QA r1-1: the tab that autosaved last put its words in place of the other's, which still said "Draft saved".
    A tab autosaving again and again saves each time, from what it saved last; a tab whose words are older than the
    draft's is refused, says so, and keeps its words in the box, with and after its buttons too."""
    from playwright.sync_api import expect

    stale = "This draft was changed on another page or tab. Your words here were not saved"
    context = new_context(viewport=PHONE)
    first = context.new_page()
    join(first, live, language="en", pseudonym="Amihan one draft")
    address = f"{live['base_url']}/write/{live['prompt_id']}"
    first.goto(address)
    first.fill("#text", "Simula ng borador.")
    with first.expect_navigation(url="**/my"):
        first.click("main [name=save]")
    context.clock.install()  # one clock for both tabs
    first.goto(address)
    second = context.new_page()
    second.goto(address)  # both tabs on the same draft

    for more in (" Mga salita mula sa tab A.", " At higit pa."):  # the same tab, twice: saved each time
        first.locator("#text").press("Control+End")
        first.locator("#text").press_sequentially(more)
        with first.expect_response("**/autosave*") as answer:
            first.clock.run_for(5_000)
        assert answer.value.json()["saved"] is True
        expect(first.locator("#autosave-status")).to_contain_text("Draft saved")
    second.locator("#text").press("Control+End")
    second.locator("#text").press_sequentially(" Tab B.")
    with second.expect_response("**/autosave*") as answer:
        second.clock.run_for(5_000)

    assert answer.value.status == 409
    expect(second.locator("#autosave-status")).to_contain_text(stale)
    assert second.input_value("#text") == "Simula ng borador. Tab B."
    second.click("main [name=save]")  # the button, too, leaves the words where they are
    expect(second.locator("main")).to_contain_text(stale)
    assert second.input_value("#text") == "Simula ng borador. Tab B."
    third = context.new_page()
    third.goto(address)
    assert third.input_value("#text") == "Simula ng borador. Mga salita mula sa tab A. At higit pa."


def test_with_javascript_a_tab_whose_draft_was_submitted_in_another_says_so_and_to_copy_its_words(new_context, live):
    """It said only "Not saved. Use the buttons below to save.", though no button saves the words as that draft any
    more; it now says what happened and to copy them, autosaves no more, and its warning says they are not saved."""
    from playwright.sync_api import expect

    context = new_context(viewport=PHONE)
    behind = context.new_page()
    join(behind, live, language="en", pseudonym="Amihan naisumite")
    address = f"{live['base_url']}/write/{live['prompt_id']}"
    behind.goto(address)
    behind.fill("#text", "Simula ng borador.")
    with behind.expect_navigation(url="**/my"):
        behind.click("main [name=save]")
    context.clock.install()  # one clock for both tabs
    behind.goto(address)
    other = context.new_page()
    other.goto(address)  # both tabs on the same draft
    with other.expect_navigation(url="**/my"):
        other.click("main [name=submit]")

    behind.locator("#text").press("Control+End")
    behind.locator("#text").press_sequentially(" Mga bagong salita.")
    with behind.expect_response("**/autosave*") as answer:
        behind.clock.run_for(5_000)

    assert answer.value.status == 409
    expect(behind.locator("#autosave-status")).to_have_text(
        "This draft was submitted on another page or tab, so your words here were not saved: copy them if you want to "
        "keep them, then open it again in “My words”.")
    expect(behind.locator("#idle-warning p")).to_contain_text("Your words here are not saved: copy them")
    assert behind.input_value("#text") == "Simula ng borador. Mga bagong salita."
    sent = []
    behind.on("request", lambda request: sent.append(request) if "/autosave" in request.url else None)
    behind.locator("#text").press_sequentially(" At higit pa.")
    behind.clock.run_for(10_000)
    assert not sent, "it autosaves no more"


def _answers_lost(page) -> None:
    """From now on each autosave reaches the server, which stores its words, but its answer never comes back: the
    connection drops on the way (the page's fetch fails, as for a phone out of reach)."""
    def stored_then_lost(route):
        route.fetch()
        route.abort("connectionreset")

    page.route("**/autosave*", stored_then_lost)


def test_with_javascript_a_save_whose_answer_was_lost_does_not_make_the_next_ones_refused(new_context, live):
    """A survivor on flaky phone data: an autosave was stored but its answer lost, so the page kept the mark of the
    words before (seen), and its next autosave, Save draft and Submit were refused as "changed on another page or
    tab", though it was this page's own save. The page now sends the words it never heard about (tried), until a
    save is answered; a normal autosave sends no such field, nor the buttons."""
    from playwright.sync_api import expect

    _context, page, writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan nawalang sagot", clock=True)
    page.fill("#text", "Simula ng borador.")
    with page.expect_response("**/autosave*") as answer:
        page.clock.run_for(5_000)
    assert answer.value.json()["saved"] is True  # the page now carries the mark of these words
    _answers_lost(page)
    page.locator("#text").press("Control+End")
    page.locator("#text").press_sequentially(" Nawala ang sagot.")
    with page.expect_event("requestfailed", lambda request: "/autosave" in request.url):
        page.clock.run_for(5_000)
    expect(page.locator("#autosave-status")).to_contain_text("You are offline")
    page.unroute("**/autosave*")

    page.locator("#text").press_sequentially(" At higit pa.")
    with page.expect_response("**/autosave*") as answer:
        page.clock.run_for(5_000)

    assert answer.value.status == 200 and answer.value.json()["saved"] is True
    assert 'name="tried"' in answer.value.request.post_data
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    page.locator("#text").press_sequentially(" Tama.")
    with page.expect_response("**/autosave*") as answer:
        page.clock.run_for(5_000)
    assert answer.value.json()["saved"] is True
    sent = answer.value.request.post_data
    assert 'name="tried"' not in sent and 'name="save"' not in sent, "only the words, once answered"

    _answers_lost(page)  # lost again; then Save draft, the button, from the same page
    page.locator("#text").press_sequentially(" Muli.")
    with page.expect_event("requestfailed", lambda request: "/autosave" in request.url):
        page.clock.run_for(5_000)
    page.unroute("**/autosave*")
    page.locator("#text").press_sequentially(" Wakas.")
    with page.expect_navigation(url="**/my"):
        page.click("main [name=save]")
    expect(page.locator("main")).to_contain_text("Your draft is saved.")
    page.goto(writing)
    assert page.input_value("#text") == "Simula ng borador. Nawala ang sagot. At higit pa. Tama. Muli. Wakas."


def test_with_javascript_submit_pressed_while_an_autosave_is_under_way_is_not_refused_as_another_tabs(
        new_context, live):
    """On slow data an autosave can still be on its way when someone types on and presses Submit: stored first, its
    words were not those the page's seen named, and Submit was refused as "changed on another page or tab". The page
    now sends the words under way (tried) with the button."""
    from playwright.sync_api import expect

    _context, page, _writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan nasa daan", clock=True)
    page.fill("#text", "Simula ng borador.")
    with page.expect_response("**/autosave*") as answer:
        page.clock.run_for(5_000)
    assert answer.value.json()["saved"] is True
    held, stored = [], []

    def stored_and_still_answering(route):  # the server has the words; the answer is still on its way
        route.fetch()
        held.append(route)
        stored.append(True)

    page.route("**/autosave*", stored_and_still_answering)
    page.locator("#text").press("Control+End")
    page.locator("#text").press_sequentially(" Nasa daan pa.")
    page.clock.run_for(5_000)
    while not stored:
        page.evaluate("0")  # lets Playwright run the route
    page.locator("#text").press_sequentially(" Tapos na.")

    with page.expect_navigation():
        page.click("input[name=submit]")

    expect(page.locator("main")).to_contain_text("Thank you. Your reflection was submitted.")
    for route in held:
        route.abort()
    page.unroute("**/autosave*")


def test_a_still_here_heard_once_the_connection_is_back_means_the_words_were_not_typed_offline(new_context, live):
    """A phone that missed one still-here ping and then slept past the idle time was told "no connection" when its
    words went at last, not "away": the mark of words typed offline stayed until a save, though a ping got through."""
    context, page, _writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan heard again", clock=True)
    typed_offline = "() => !document.querySelector('#text').form.elements.typed_offline.disabled"
    context.set_offline(True)
    page.clock.run_for(61_000)
    page.keyboard.press("Shift")  # someone there, a minute on: the ping is lost
    page.wait_for_function(typed_offline, timeout=5_000)

    context.set_offline(False)
    page.clock.run_for(61_000)
    with page.expect_response("**/still-here*"):
        page.keyboard.press("Shift")

    page.wait_for_function(f"() => !({typed_offline})()", timeout=5_000)


def test_words_a_page_sends_as_it_closes_are_not_kept_in_the_tab_even_when_they_do_not_arrive(new_context, live):
    """Kept, they would come back into the box for whoever opens the writing page next on this phone."""
    _context, page, writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan lost leave", clock=True)
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    page.route("**/autosave*", lambda route: route.fulfill(status=400, json={"saved": False, "message": "No."}))
    page.fill("#text", "Typed, then left on the table: the hearing should wait for the child.")

    # The page's own "take a break", as it closes with nobody there, fails on the way.
    _posts_lost_on_the_way(page, writing, lambda: page.clock.run_for((idle_seconds + 10) * 1_000))
    page.goto(live["base_url"] + "/support")  # still signed in: nothing here forgets the tab's copies

    assert _kept_in_the_tab(page) == []


def test_words_shown_back_after_a_session_ended_close_with_their_page_when_nobody_is_there(new_context, live):
    """They were shown to whoever pressed the button; left on the table, they are not there for the next person."""
    from playwright.sync_api import expect

    context, page, _writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan kept close", clock=True)
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    words = "Written while the session ended: courts should hear children by video."
    page.fill("#text", words)
    # The session ends while the page is open (another of its pages closed itself), and nobody has seen why yet.
    context.request.get(live["base_url"] + "/closed", max_redirects=0)
    with page.expect_navigation():
        page.click("input[name=submit]")
    expect(page.locator("#kept-text")).to_have_value(words)

    page.clock.run_for((idle_seconds - 30) * 1_000)
    expect(page.locator("#kept-text")).to_have_value(words)  # time to copy them
    with page.expect_navigation(url="**/return"):
        page.clock.run_for(40_000)

    assert words not in page.content()
    page.go_back()
    assert words not in page.content() and page.locator("#kept-text").count() == 0


def test_with_javascript_words_too_long_to_save_stay_hidden_when_the_page_closes_until_asked_for(new_context, live):
    """The server would refuse them and show them again: they stay on the phone, hidden, and are never lost."""
    from playwright.sync_api import expect

    _context, page, writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan too long", clock=True)
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    words = "The court should let a child rest between questions. " * 200  # over 10,000 characters
    page.fill("#text", words)

    page.clock.run_for((idle_seconds + 10) * 1_000)

    assert page.url == writing, "not sent: the server would show the words again"
    expect(page.locator(".closed-for-safety")).to_contain_text("longer than 10,000 characters")
    assert "hidden-now" in page.get_attribute("body", "class")
    page.click(".closed-for-safety button")
    expect(page.locator("#text")).to_be_visible()
    assert page.input_value("#text") == words


def _on_the_passphrase_page(new_context, live, pseudonym: str, language: str = "en", screen: dict | None = None,
                            style: str = ""):
    """Someone who just chose a pseudonym, on a phone (``screen``: the context's options; ``style``: the reader's own)
    whose page timers run only as the test moves its clock."""
    page = new_context(**(screen or {"viewport": PHONE})).new_page()
    _with_the_readers_style(page, style)
    stop_the_pages_clock(page)
    page.goto(live["base_url"] + "/join")
    page.fill("#code", live["join_code"])
    page.check(f"input[name=language][value={language}]")
    page.click("main form [type=submit]")
    page.check("#clause-take_part")
    page.check("#clause-store_words")
    page.check("#adult")
    page.click("main form [type=submit]")
    page.fill("#pseudonym", pseudonym)
    with page.expect_navigation():  # (a click waits only for the next page to start: its words may not be there yet)
        page.click("main form [type=submit]")
    return page


def test_with_javascript_the_passphrase_is_hidden_once_its_minutes_are_over(new_context, live):
    from playwright.sync_api import expect

    page = _on_the_passphrase_page(new_context, live, "Amihan minutes")
    expect(page.locator("ol.passphrase li")).to_have_count(7)
    shown = int(page.get_attribute("ol.passphrase", "data-shown-seconds"))
    page.wait_for_load_state("load")  # the page's script has started its count: only then is the clock moved on

    page.clock.run_for((shown - 30) * 1_000)
    expect(page.locator("ol.passphrase li")).to_have_count(7)
    page.type("#first", "a")  # typing a word, just as the minutes end: not taken away mid-word
    page.clock.run_for(40_000)
    assert page.url.endswith("/join/passphrase")
    # The words are hidden and the page asked for again: the server, whose minutes are over too, leads to /return
    # (tests/participant/test_join.py; here only the browser's clock was moved on).
    with page.expect_request(lambda request: request.url.endswith("/join/passphrase") and request.method == "GET"):
        page.clock.run_for(70_000)


def test_with_javascript_a_warning_before_the_passphrase_is_hidden_offers_more_time(new_context, live):
    """WCAG 2.2.1: two minutes before, said (role=alert) without taking the focus from the word being typed. More time
    comes without leaving the page (QA round: the page was sent again, and a word half typed was gone): the word stays
    as it was, and the focus goes back to it."""
    from playwright.sync_api import expect

    page = _on_the_passphrase_page(new_context, live, "Amihan more time")
    words = page.locator("ol.passphrase li").all_inner_texts()
    shown = int(page.get_attribute("ol.passphrase", "data-shown-seconds"))
    page.wait_for_load_state("load")
    page.evaluate("window.sameDocument = true")  # gone if the page is sent again
    warning = page.locator("#passphrase-warning")
    page.type("#first", words[0][:2])

    page.clock.run_for((shown - 150) * 1_000)
    expect(warning).to_be_hidden()
    page.clock.run_for(40_000)
    expect(warning).to_be_visible()
    expect(warning).to_have_attribute("role", "alert")
    expect(warning).to_contain_text("will be hidden soon")
    assert page.evaluate("document.activeElement.id") == "first"
    assert warning.evaluate(IN_VIEW) and page.eval_on_selector("#first", IN_VIEW), "both seen, on this screen"

    with page.expect_response(lambda response: response.request.method == "POST"):
        warning.get_by_role("button", name="I need more time").click()

    expect(warning).to_contain_text("Your secret passphrase is shown for 10 more minutes.")
    assert page.evaluate("window.sameDocument"), "not sent again"
    assert page.evaluate("[document.activeElement.id, document.activeElement.selectionStart]") == ["first", 2]
    page.keyboard.type(words[0][2:])
    assert page.input_value("#first") == words[0], "the word half typed is whole"
    assert page.locator("ol.passphrase li").all_inner_texts() == words
    page.clock.run_for((shown - 30) * 1_000)  # well past the first minutes: still shown, and warned again
    assert page.evaluate("window.sameDocument")
    expect(page.locator("ol.passphrase li")).to_have_count(7)
    expect(warning).to_contain_text("will be hidden soon")
    expect(warning.get_by_role("button", name="I need more time")).to_be_visible()


def test_with_javascript_the_last_time_given_takes_the_buttons_away_and_keeps_the_word_half_typed(new_context, live):
    """QA round: after the tenth "I need more time" the form kept its button, and an eleventh press sent the page
    again, silently: the word half typed was gone, and the focus. As without JavaScript, the buttons go."""
    from playwright.sync_api import expect

    page = _on_the_passphrase_page(new_context, live, "Amihan last time")
    words = page.locator("ol.passphrase li").all_inner_texts()
    page.wait_for_load_state("load")
    page.evaluate("window.sameDocument = true")
    page.type("#first", words[0][:2])
    button, warning = page.locator("#passphrase-check button[name=more_time]"), page.locator("#passphrase-warning")
    for _ in range(10):
        with page.expect_response(lambda response: response.request.method == "POST"):
            button.click()
        expect(warning).to_contain_text("Your secret passphrase is shown for 10 more minutes.")
    expect(page.locator("button[name=more_time]")).to_have_count(0)
    assert page.evaluate("window.sameDocument"), "not sent again"
    assert page.input_value("#first") == words[0][:2]


@pytest.mark.parametrize("press", ["tap", "Enter", "Space"])
def test_with_javascript_stay_on_this_page_puts_the_focus_back_where_someone_was_writing(new_context, live, press):
    """QA round: the warning's button kept the focus and then went, so the next letters typed went nowhere, and a tap
    back into the box put the caret elsewhere. The caret is where it was, and typing goes on from there; the key that
    pressed the button types nothing into the box."""
    from playwright.sync_api import expect

    _context, page, _writing, _passphrase = _writing_on_a_phone(new_context, live, f"Amihan pa {press}", clock=True)
    page.fill("#text", "The court should listen. A child needs time.")
    page.evaluate("() => { const box = document.getElementById('text'); box.focus(); box.setSelectionRange(24, 24); }")
    page.clock.run_for(5_000)
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")  # (its answer would hide the warning)
    warning = page.locator("#idle-warning")
    page.clock.run_for((int(page.get_attribute("body", "data-idle-seconds")) - 100) * 1_000)
    expect(warning).to_be_visible()

    button = warning.get_by_role("button", name="Stay on this page")
    if press == "tap":
        button.click()
    else:  # (a screen reader's own keys reach it without Tab, which would be someone there already)
        button.focus()
        page.keyboard.press(press)

    expect(warning).to_be_hidden()
    page.keyboard.type(" And rest.")
    assert page.input_value("#text") == "The court should listen. And rest. A child needs time."


def test_with_javascript_a_page_counts_from_the_last_time_the_server_heard_of_someone(new_context, live):
    """A key pressed within a minute of the last telling is not told (once a minute is enough): counted from that key,
    the page warned later than the session ended, and "Stay on this page" came too late (regression round)."""
    from playwright.sync_api import expect

    page = new_context(viewport=PHONE).new_page()
    join(page, live, language="en", pseudonym="Amihan counting")
    stop_the_pages_clock(page)
    page.goto(live["base_url"] + "/my")
    page.wait_for_load_state("load")
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    warning = page.locator("#idle-warning")

    page.clock.run_for(30_000)
    page.keyboard.press("Tab")  # half a minute after the page told the server it was opened: not told
    page.clock.run_for((idle_seconds - 30 - 110) * 1_000)

    expect(warning).to_be_visible()  # 110 s before the session ends, whatever the key said to the page
    with page.expect_response(lambda response: "/still-here?" in response.url) as answer:
        warning.get_by_role("button", name="Stay on this page").click()
    assert answer.value.status == 204


def test_with_javascript_a_page_without_a_form_warns_before_it_closes_and_someone_reading_keeps_it_open(new_context,
                                                                                                         live):
    """WCAG 2.2.1 on every page that closes itself: a key, a scroll or the warning's button is someone there, and the
    server hears of it (its session would end with the page's)."""
    from playwright.sync_api import expect

    page = new_context(viewport=PHONE).new_page()
    join(page, live, language="en", pseudonym="Amihan reading")
    stop_the_pages_clock(page)
    page.goto(live["base_url"] + "/my")
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    warning = page.locator("#idle-warning")

    def scroll():  # read at the page's next tick
        page.evaluate("window.scrollBy(0, 200)")
        page.clock.run_for(5_000)

    quiet = 0  # seconds since someone was last there
    # (Not an arrow key or a mouse wheel here: their smooth scroll would go on while the test moves the clock.)
    for someone_here in (lambda: page.keyboard.press("Tab"), scroll,
                         lambda: warning.get_by_role("button", name="Stay on this page").click()):
        page.clock.run_for((idle_seconds - 150 - quiet) * 1_000)
        expect(warning).to_be_hidden()
        page.clock.run_for(40_000)
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("this page will close soon")
        with page.expect_response(lambda response: "/still-here?" in response.url) as answer:
            someone_here()
        assert answer.value.status == 204
        expect(warning).to_be_hidden()
        page.clock.run_for(120_000)  # past the end the page counted to before
        assert page.url.endswith("/my")
        quiet = 120

    with page.expect_navigation(url="**/return"):  # left alone, it closes
        page.clock.run_for(idle_seconds * 1_000)


# Where the focused control is, against the top of the idle warning fixed at the bottom of the screen.
UNDER_THE_WARNING = """() => {
  const focused = document.activeElement, box = document.getElementById("idle-warning").getBoundingClientRect();
  const at = focused.getBoundingClientRect();
  return {name: focused.id || focused.textContent.trim().slice(0, 30), top: at.top, under: box.top};
}"""


def test_the_idle_warning_never_hides_the_control_the_keyboard_is_on(new_context, live):
    """WCAG 2.4.11: the warning is fixed at the bottom of the screen; the page keeps room for it while it shows."""
    from playwright.sync_api import expect

    page = new_context(viewport=PHONE).new_page()
    join(page, live, language="fil", pseudonym="Amihan tab")
    stop_the_pages_clock(page)
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    _once_the_exit_bar_is_measured(page)  # (the room kept above the focus follows it)
    page.evaluate("""() => {  // at the bottom edge of the screen when the warning comes, as Tab leaves it
      const leave = document.getElementById("leave");
      leave.focus({preventScroll: true});
      leave.scrollIntoView({block: "end"});
    }""")
    page.clock.run_for((int(page.get_attribute("body", "data-idle-seconds")) - 100) * 1_000)
    expect(page.locator("#idle-warning")).to_be_visible()
    assert page.evaluate(UNDER_THE_WARNING)["top"] < page.evaluate(UNDER_THE_WARNING)["under"], "moved out from under it"
    page.clock.run_for(10_000)
    expect(page.locator("#idle-warning")).to_be_visible()  # the page's own scroll is nobody there

    page.keyboard.press("Tab")  # someone here: the warning goes at once, and covers nothing the keyboard moves to
    expect(page.locator("#idle-warning")).to_be_hidden()


# A 360×740 phone at 200 % zoom: 180×370 CSS pixels (WCAG 1.4.4, 1.4.10).
ZOOMED = {"viewport": {"width": 180, "height": 370}, "device_scale_factor": 2}

# Each word of the passphrase, scrolled to: whether it is what the screen shows there (not a warning over it).
EACH_WORD_SEEN = """() => Array.from(document.querySelectorAll("ol.passphrase li")).map(word => {
  word.scrollIntoView({block: "center"});
  const at = word.getBoundingClientRect();
  return document.elementFromPoint(at.left + at.width / 2, at.top + at.height / 2) === word;
})"""

# Whether an element is on the screen whole (to the pixel: a control scrolled to the bottom edge may end a fraction past it).
IN_VIEW = "e => { const at = e.getBoundingClientRect(); return at.top > -1 && at.bottom < window.innerHeight + 1; }"


def test_at_200_percent_zoom_the_passphrase_warning_covers_neither_the_words_nor_the_word_being_typed(new_context,
                                                                                                       live):
    """QA round: fixed at the bottom, it was taller than the screen and hid the words while they were being copied.
    In the page, it came above the screen of someone typing below it: it is scrolled to as it comes, from its first
    line (taller than this screen, it cannot show the box as well), and the box typed in keeps the focus."""
    from playwright.sync_api import expect

    page = _on_the_passphrase_page(new_context, live, "Amihan zoom", language="fil", screen=ZOOMED)
    shown = int(page.get_attribute("ol.passphrase", "data-shown-seconds"))
    page.wait_for_load_state("load")
    _once_the_exit_bar_is_measured(page)
    page.fill("#first", "ha")
    page.eval_on_selector("#first", "box => box.scrollIntoView({block: 'end'})")  # where typing leaves it
    page.clock.run_for((shown - 100) * 1_000)
    warning = page.locator("#passphrase-warning")
    expect(warning).to_be_visible()

    assert warning.evaluate("w => document.elementFromPoint(w.getBoundingClientRect().left + 20, "
                            "w.getBoundingClientRect().top + 20) === w.querySelector('p')"), "its start is seen"
    assert page.evaluate("document.activeElement.id") == "first"
    page.keyboard.type("la")  # typing on brings the box back
    assert page.input_value("#first") == "hala" and page.eval_on_selector("#first", IN_VIEW)
    assert page.evaluate(EACH_WORD_SEEN) == [True] * 7
    assert page.evaluate("document.documentElement.scrollWidth") <= ZOOMED["viewport"]["width"]


# The words given, each put in the passphrase's first place in turn: those not shown whole on one line inside its box.
NOT_SHOWN_WHOLE = """words => {
  const box = document.querySelector("ol.passphrase"), place = box.querySelector("li");
  const edge = box.getBoundingClientRect(), border = parseFloat(getComputedStyle(box).borderLeftWidth);
  return words.filter(word => {
    place.textContent = word;
    const range = document.createRange();
    range.selectNodeContents(place);
    const lines = range.getClientRects();
    return lines.length !== 1 || lines[0].left < edge.left + border || lines[0].right > edge.right - border;
  });
}"""

# The numbers (1. to 7.) of the passphrase's words that do not fit between the box's left border and their word: each
# is measured as the browser draws it, in its word's font and spacing.
NUMBERS_CUT = """() => {
  const box = document.querySelector("ol.passphrase");
  const edge = box.getBoundingClientRect().left + parseFloat(getComputedStyle(box).borderLeftWidth);
  return Array.from(box.querySelectorAll("li")).flatMap((word, i) => {
    const drawn = getComputedStyle(word, "::marker"), number = document.createElement("span");
    for (const property of ["font-family", "font-size", "font-weight", "letter-spacing", "word-spacing"]) {
      number.style.setProperty(property, drawn.getPropertyValue(property));
    }
    number.style.setProperty("position", "absolute");
    number.style.setProperty("white-space", "pre");
    number.style.setProperty("font-variant-numeric", "tabular-nums");
    number.textContent = `${i + 1}. `;
    document.body.append(number);
    const room = word.getBoundingClientRect().left - edge - number.getBoundingClientRect().width;
    number.remove();
    return room < 0 ? [`${i + 1}. (${Math.round(room)} px)`] : [];
  });
}"""

READERS_SETTINGS = {
    "200 % zoom": (ZOOMED, ""),
    "200 % text, 360 px": ({"viewport": TALL_PHONE}, LARGE_TEXT),
    "200 % text, 320 px": ({"viewport": SMALL_PHONE}, LARGE_TEXT),
    "text spacing, 360 px": ({"viewport": PHONE}, TEXT_SPACING),
    "text spacing, 320 px": ({"viewport": SMALL_PHONE}, TEXT_SPACING),
}


@pytest.mark.parametrize("setting", list(READERS_SETTINGS))
def test_every_word_of_both_passphrase_lists_is_shown_whole_with_its_number(new_context, live, setting):
    """QA round: at 200 % text on a phone a word was cut off at the box's right edge ("guyabanc" for guyabano; 60 of
    the 1,024 Filipino words at 360 px, a third at 320 px), to be written down wrong and never work; with text spacing
    the numbers were cut at its left edge. Every word of both lists is measured in the box: whole, inside it, and on
    one line (split, one word could be copied as two)."""
    from roundtable.services.passphrases import wordlist

    screen, style = READERS_SETTINGS[setting]
    page = _on_the_passphrase_page(new_context, live, f"Amihan salita {list(READERS_SETTINGS).index(setting)}",
                                   language="fil", screen=screen, style=style)
    page.wait_for_load_state("load")

    assert page.evaluate(NUMBERS_CUT) == [], "numbers cut at the left"
    assert page.evaluate(NOT_SHOWN_WHOLE, wordlist("fil")) == [], "Filipino words not shown whole"
    assert page.evaluate(NOT_SHOWN_WHOLE, wordlist("en")) == [], "English words not shown whole"
    assert page.evaluate("document.documentElement.scrollWidth") <= screen["viewport"]["width"]


# Text read as words: no word of our pages is cut in two. Only a string longer than a line (a link pasted into a
# reflection) may break anywhere.
READ_AS_WORDS = ".exit-bar, button, .button, h1, h2, h3, label, legend, main p, main li"


@pytest.mark.parametrize("language", ["fil", "en"])
def test_at_200_percent_zoom_no_word_of_the_exit_bar_a_button_a_heading_a_label_or_the_text_is_cut_in_two(
        new_context, live, language):
    """QA round: "Umalis sa pahin / ang ito" in the exit bar, and words cut wherever a line ended; then "pseudony / m"
    in the list of the consent page's card, and "tagapagdaloy" on the page to take words back."""
    page = new_context(**ZOOMED).new_page()
    cut: dict[str, list[str]] = {}

    def measure(page, label: str, _html=None) -> None:
        page.wait_for_load_state("load")
        if split := words_cut_in_two(page, READ_AS_WORDS):
            cut[label] = split

    join(page, live, language=language, pseudonym=f"Amihan buo {language}", with_mistakes=True, on_step=measure)
    for url in ("/before-you-write", "/my", f"/write/{live['prompt_id']}", "/my/withdraw", "/support", "/exit/about"):
        page.goto(live["base_url"] + url)
        measure(page, url)
    page.goto(live["base_url"] + "/exit")
    page.goto(live["base_url"] + "/return")
    measure(page, "/return")

    assert cut == {}, f"words cut in two at 200 % zoom on a 360 px phone: {cut}"
    assert page.evaluate("document.documentElement.scrollWidth") <= ZOOMED["viewport"]["width"]


@pytest.mark.parametrize("language", ["fil", "en"])
def test_on_a_320_px_phone_at_200_percent_zoom_no_public_page_scrolls_sideways(new_context, live, language):
    """QA r1: the home page's two cards ran past the right edge in English (a grid item is as wide as its longest
    word at the heading's size), so the page scrolled sideways, its buttons cut."""
    page = new_context(viewport={"width": 160, "height": 320}, device_scale_factor=2).new_page()
    page.goto(f"{live['base_url']}/language/{language}")
    too_wide = {}
    for url in ("/", "/join", "/return", "/support", "/exit/about"):
        page.goto(live["base_url"] + url)
        if (beyond := page.evaluate("document.documentElement.scrollWidth - innerWidth")) > 0:
            too_wide[url] = beyond
    assert too_wide == {}


def test_at_200_percent_zoom_the_idle_warning_fits_the_screen_from_its_first_line_and_leaves_the_focus_seen(
        new_context, live):
    """QA round: taller than the screen, it lost its first lines above the top edge and covered the whole page."""
    from playwright.sync_api import expect

    page = new_context(**ZOOMED).new_page()
    join(page, live, language="fil", pseudonym="Amihan malaki")
    stop_the_pages_clock(page)
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    _once_the_exit_bar_is_measured(page)
    page.focus("#text")
    page.clock.run_for((int(page.get_attribute("body", "data-idle-seconds")) - 100) * 1_000)
    warning = page.locator("#idle-warning")
    expect(warning).to_be_visible()

    box = warning.evaluate("""w => ({top: w.getBoundingClientRect().top, bottom: w.getBoundingClientRect().bottom,
      start: w.querySelector("p").getBoundingClientRect().top, screen: window.innerHeight})""")
    assert 0 <= box["top"] <= box["start"] and box["bottom"] <= box["screen"], box
    assert box["bottom"] - box["top"] <= box["screen"] / 2 + 1, "half the screen at most: the page keeps the rest"
    assert page.evaluate(UNDER_THE_WARNING)["top"] < box["top"], "the box typed in is not hidden under it"

    warning.evaluate("w => { w.scrollTop = w.scrollHeight; }")  # its own scroll, to the rest of the message
    button = warning.get_by_role("button", name="Manatili sa pahinang ito")
    assert button.evaluate(IN_VIEW) and button.evaluate("b => b.getBoundingClientRect().top") >= box["top"]
    expect(warning).to_be_visible()


def test_with_javascript_a_button_pressed_offline_says_why_beside_it(new_context, live):
    """QA round: the reason was written below the screen, and the button that kept the focus seemed to do nothing."""
    # (the clock stopped: no autosave tick rewrites the status line while the test measures it)
    context, page, writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan walang signal", clock=True)
    page.fill("#text", "Written where the signal comes and goes.")
    context.set_offline(True)
    keys = Keyboard(page)
    keys.tab_to("#save")

    page.keyboard.press("Enter")

    status = page.locator("#autosave-status")
    assert "You are offline" in status.inner_text() and page.url == writing
    assert status.evaluate(IN_VIEW), "seen where the person is"
    assert keys.focused("#save") and page.eval_on_selector("#save", IN_VIEW), "the focus stays, in view"
    assert status.get_attribute("role") == "status" and not keys.focused("#autosave-status"), "said once, not twice"
    context.set_offline(False)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_changing_the_language_while_writing_keeps_the_words_typed_since_the_last_save(new_context, live, javascript):
    from playwright.sync_api import expect

    context = new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    join(page, live, language="fil", pseudonym=f"Amihan wika {javascript}")
    stop_the_pages_clock(page)  # no autosave tick runs: only the language button can save the words
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    words = "Sana pakinggan ng hukom ang buong kuwento ko."
    page.fill("#text", words)

    page.click("nav.languages button[value=en]")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.input_value("#text") == words
    expect(page.locator("nav.languages")).to_contain_text("Filipino")


def test_enter_on_the_writing_forms_choices_saves_the_draft_and_keeps_the_language(new_context, live):
    from playwright.sync_api import expect

    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    join(page, live, language="en", pseudonym="Amihan enter")
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    page.fill("#text", "Words kept when Enter is pressed on a choice.")
    page.focus("input[name=language][value=en]")

    with page.expect_navigation():
        page.keyboard.press("Enter")  # the form's first button in the page is the hidden "save", not a language

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Your draft is saved.")


def test_with_javascript_an_autosave_the_server_refuses_says_why(new_context, live):
    from playwright.sync_api import expect

    context = new_context(viewport=PHONE)
    page = context.new_page()
    join(page, live, language="en", pseudonym="Amihan sarado")
    stop_the_pages_clock(page)
    closed = "This roundtable is closed and does not accept new words."
    page.route("**/autosave*", lambda route: route.fulfill(status=400, json={"saved": False, "message": closed}))
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    page.fill("#text", "Words typed after the facilitator closed the roundtable.")

    page.clock.run_for(5_000)

    expect(page.locator("#autosave-status")).to_have_text(closed)


def test_with_javascript_a_page_open_as_the_roundtable_closes_says_its_words_are_not_saved_and_still_closes(
        new_context, live):
    """The facilitator closes the roundtable while someone writes, who never sends the form again: its autosaves were
    refused, yet the warning before the page closed itself said "Your draft is kept", and the words typed since were
    lost as it closed, nobody told to copy them. From the first refusal the page says why where it says how saving
    goes, saves no more, says to copy the words, and still closes for safety (a shared phone) without sending them."""
    from playwright.sync_api import expect

    from .conftest import sign_in

    closing = live["closing"]  # a roundtable of this test's own: the others stay open
    page = new_context(viewport=PHONE).new_page()
    join(page, {**live, "join_code": closing["join_code"]}, language="en", pseudonym="Amihan isinara")
    stop_the_pages_clock(page)
    writing = f"{live['base_url']}/write/{closing['prompt_id']}"
    page.goto(writing)
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))
    status, warning = page.locator("#autosave-status"), page.locator("#idle-warning")
    page.fill("#text", "Before the close: the court should let a child rest between questions.")
    page.clock.run_for(5_000)
    expect(status).to_contain_text("Draft saved")
    expect(warning).to_contain_text("Your draft is kept")

    facilitator = new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(facilitator, live, "facilitator")
    facilitator.goto(f"{live['base_url']}/facilitator/roundtables/{closing['roundtable_id']}")
    with facilitator.expect_navigation():
        facilitator.click("main button[name=status][value=closed]")
    with facilitator.expect_navigation():
        facilitator.get_by_role("button", name="Yes, close it").click()
    expect(facilitator.locator("main")).to_contain_text("The roundtable is closed now")

    page.type("#text", " And a judge who waits.")
    with page.expect_response(lambda response: "/autosave?" in response.url):
        page.clock.run_for(5_000)

    expect(status).to_have_text("This roundtable is closed and does not accept new words.")
    expect(warning.locator("p")).to_have_text(
        "For your safety this page will close soon if nothing happens. Your words here are not saved: copy them "
        "before the page closes. Type or press a button to stay.")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    page.type("#text", " Typed after the refusal.")
    page.clock.run_for(5_000)

    page.clock.run_for((idle_seconds - 100) * 1_000)  # left alone
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("copy them before the page closes")
    with page.expect_navigation(url="**/return"):
        page.clock.run_for(110_000)
    # (seen by now: the page sent them before it went)
    assert [url for url in sent if "/autosave?" in url] == [], "changed words are not sent again to be refused"
    assert [url for url in sent if url.startswith(writing)] == [], "closed without sending words it would be refused"
    expect(page.locator("main")).to_contain_text("we closed your session to keep your words safe")


def test_with_javascript_words_typed_before_the_pages_script_came_are_autosaved(new_context, live):
    """QA: on a slow signal the writing page's script comes seconds after the box. It took the words typed meanwhile
    for what the server had: they were never autosaved, and the page closed for safety without them."""
    from playwright.sync_api import expect

    page = new_context(viewport=PHONE).new_page()
    join(page, live, language="en", pseudonym="Amihan mabagal")
    stop_the_pages_clock(page)
    held = []
    page.route("**/static/writing.js*", lambda route: held.append(route))  # on its way, on a slow signal
    writing = f"{live['base_url']}/write/{live['prompt_id']}"
    page.goto(writing, wait_until="commit")
    words = "Typed while the page was still coming: the court should hear a child by video."
    page.fill("#text", words)
    page.check("input[name=language][value=mixed]")
    while not held:
        page.wait_for_timeout(50)

    with page.expect_request(lambda request: "/autosave?" in request.url, timeout=10_000):
        held[0].continue_()  # the script comes; nothing more is typed

    page.unroute("**/static/writing.js*")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    page.goto(writing)
    assert page.input_value("#text") == words, "the draft is stored"
    assert page.is_checked("input[name=language][value=mixed]")


@pytest.mark.parametrize("answer", ["already sent", "too long", "unreachable"])
def test_with_javascript_an_autosave_the_server_refused_goes_again_only_once_the_words_change(new_context, live,
                                                                                               answer):
    """QA: refused (Back after Submit, words over the limit), the whole text was sent again every 5 seconds for as
    long as the page was open, on prepaid data. A server out of reach is still tried at each tick."""
    from playwright.sync_api import expect

    _context, page, _writing, _passphrase = _writing_on_a_phone(new_context, live, f"Amihan ayaw {answer}", clock=True)
    words = "Submitted, then put back in the box by Back: judges should let children rest."
    if answer == "already sent":
        page.route("**/autosave*", lambda route: route.fulfill(status=409, json={"saved": False, "message": "Sent."}))
    elif answer == "too long":
        words = "The court should let a child rest between questions. " * 200  # over 10,000 characters
    else:
        page.route("**/autosave*", lambda route: route.abort("internetdisconnected"))
    sent = []
    page.on("request", lambda request: sent.append(request) if "/autosave?" in request.url else None)
    page.fill("#text", words)
    status = page.locator("#autosave-status")

    for tick in range(6):  # half a minute
        sends = answer == "unreachable" or tick == 0
        if sends:  # its answer is taken in before the next tick (one still on its way, the page would not send again):
            status.evaluate("status => { status.textContent = ''; }")  # the status line, emptied, is written again
        page.clock.run_for(5_000)
        if sends:
            expect(status).not_to_be_empty()

    requests_sent_so_far_are_seen(page)
    if answer == "unreachable":
        assert len(sent) == 6, "tried again at each tick"
        return
    assert len(sent) == 1, "refused once, not sent again"
    page.type("#text", " Rest.")
    with page.expect_request(lambda request: "/autosave?" in request.url):
        page.clock.run_for(5_000)
    requests_sent_so_far_are_seen(page)
    assert len(sent) == 2, "changed, the words go again"


SAID = """status => {
    window.said = [];
    new MutationObserver(changes => changes.forEach(() => window.said.push(status.textContent)))
        .observe(status, {childList: true, characterData: true, subtree: true});
}"""


def test_with_javascript_the_autosave_status_is_said_when_it_changes_not_at_every_save(new_context, live):
    """QA (WCAG 4.1.3): rewritten at each autosave, about every 5 seconds while someone types, "Draft saved at
    12:10 PM" was said by a screen reader again and again over their own typing. What changes is said at once."""
    from playwright.sync_api import expect

    context = new_context(viewport=PHONE)
    page = context.new_page()
    join(page, live, language="en", pseudonym="Amihan tahimik")
    stop_the_pages_clock(page, "2026-12-05T04:10:02Z")  # the same minute for half a minute, wherever the test runs
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    status = page.locator("#autosave-status")
    status.evaluate(SAID)

    for word in "Judges should listen and children should rest".split():  # typing on through the ticks
        page.type("#text", word + " ")
        with page.expect_response(lambda response: "/autosave?" in response.url):
            page.clock.run_for(5_000)
        expect(status).to_contain_text("Draft saved")
    assert len(page.evaluate("window.said")) == 1, page.evaluate("window.said")

    context.set_offline(True)
    page.type("#text", "offline ")
    page.clock.run_for(5_000)
    expect(status).to_have_text("You are offline. Your words are still here and will be saved once you are connected.")
    page.type("#text", "still ")
    page.clock.run_for(5_000)
    context.set_offline(False)
    page.clock.run_for(60_000)
    expect(status).to_contain_text("Draft saved")
    said = page.evaluate("window.said")
    assert len(said) == 3 and said[1].startswith("You are offline"), said


@pytest.mark.parametrize("how", ["offline", "unreachable"])
def test_with_javascript_an_autosave_without_a_connection_says_the_words_wait_and_a_lapse_is_put_on_the_connection(
        new_context, live, how):
    """It said "press the button again", though nothing was pressed (with no answer at all, the browser's own
    "Failed to fetch"); typing on past the idle time, they were then told "You were away for a while" (QA)."""
    from playwright.sync_api import expect

    context, page, _writing, _passphrase = _writing_on_a_phone(new_context, live, f"Amihan typing {how}",
                                                           clock=True)
    words = "Typed on a bus with no signal: the court should let children rest."
    page.fill("#text", words)
    if how == "offline":
        context.set_offline(True)
    else:  # connected, but nothing comes back
        page.route("**/autosave*", lambda route: route.abort("internetdisconnected"))

    page.clock.run_for(5_000)

    status = page.locator("#autosave-status")
    expect(status).to_have_text("You are offline. Your words are still here and will be saved once you are connected.")
    context.set_offline(False)
    page.unroute("**/autosave*")
    # Meanwhile the session lapsed on the server: the page saw someone typing, and could not say so.
    context.request.get(live["base_url"] + "/closed", max_redirects=0)
    page.clock.run_for(5_000)
    expect(status).to_contain_text("This phone had no connection for a while")
    with page.expect_navigation():
        page.click("input[name=submit]")
    expect(page.locator("main")).to_contain_text("This phone had no connection for a while")
    expect(page.locator("#kept-text")).to_have_value(words)


def test_with_javascript_a_button_pressed_offline_keeps_the_words_on_the_page_and_says_why(new_context, live):
    from playwright.sync_api import expect

    context, page, writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan offline")
    words = "Written on a bus with no signal: courts should let children rest."
    page.fill("#text", words)
    context.set_offline(True)

    page.click("input[name=submit]")

    expect(page.locator("#autosave-status")).to_contain_text("You are offline")
    assert page.url == writing and page.input_value("#text") == words
    context.set_offline(False)


def test_with_javascript_words_lost_on_the_way_come_back_into_the_box_and_go_once_they_arrive(new_context, live):
    """A weak signal: the phone says it is online, but the connection drops under the button's request (the
    browser's own error page; Back leads past the writing page)."""
    from playwright.sync_api import expect

    _context, page, writing, _passphrase = _writing_on_a_phone(new_context, live, "Amihan weak signal")
    words = "Sent from a jeepney with one bar of signal: let children rest between hearings."
    page.fill("#text", words)
    _posts_lost_on_the_way(page, writing, lambda: page.click("input[name=submit]"))

    page.goto(writing)
    assert page.input_value("#text") == words, "put back in the box"
    expect(page.locator("#autosave-status")).to_contain_text("Your words from before are back in the box")
    with page.expect_navigation(url="**/my"):
        page.click("input[name=submit]")
    expect(page.locator("main")).to_contain_text("Your reflection was submitted")

    page.goto(writing)  # arrived: a new answer starts empty, and nothing of them is kept in the tab
    assert page.input_value("#text") == ""
    assert _kept_in_the_tab(page) == []
    page.fill("#text", "Words kept only until the way out.")
    _posts_lost_on_the_way(page, writing, lambda: page.click("input[name=submit]"))
    page.goto(live["base_url"] + "/my")
    with page.expect_navigation(url=live["neutral_site"]):
        page.click("#quick-exit")
    page.goto(live["base_url"] + "/return")
    assert _kept_in_the_tab(page) == []


def _signal_drops(page):
    """The phone loses its signal, as the tester's did (``context.set_offline`` does not show the browser's own
    error page for a form sent, the debugging protocol's setting does); returns what brings it back."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def signal(offline: bool) -> None:
        cdp.send("Network.emulateNetworkConditions",
                 {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    signal(True)
    return lambda: signal(False)


@pytest.mark.parametrize("button", ["save", "submit", "leave"])
def test_without_javascript_back_after_a_button_pressed_as_the_signal_drops_returns_to_the_words(new_context, live,
                                                                                              button):
    """The writing form sent to the page's own address: the browser's error page took the page's place in history,
    Back led to the page before, and the words were gone (QA 8). Now Back leads to them, and they can be sent."""
    from playwright.sync_api import Error, expect

    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    join(page, live, language="fil", pseudonym=f"Amihan walang signal {button}")
    page.goto(live["base_url"] + "/my")
    writing = f"{live['base_url']}/write/{live['prompt_id']}"
    page.goto(writing)
    words = "Ang korte ay dapat makinig. Hindi dapat maulit."
    page.fill("#text", words)
    signal_back = _signal_drops(page)

    try:
        with page.expect_navigation():
            page.click(f"input[name={button}]")
    except Error:
        pass  # the browser's own error page, as on the phone
    page.wait_for_url("chrome-error://chromewebdata/")
    signal_back()
    page.go_back()

    assert page.url == writing
    assert page.input_value("#text") == words
    with page.expect_navigation():
        page.click(f"input[name={button}]")
    expect(page.locator("main")).to_contain_text(
        "Naisumite na ang iyong pagninilay" if button == "submit" else "Naka-save na ang iyong borador")


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_back_after_submit_and_more_typed_asks_before_the_words_are_stored_twice(new_context, live, javascript):
    """Back after Submit: the browser puts the words back in the box, the status line said "Draft saved" though
    nothing was, and Submit with more typed stored them a second time (QA 8)."""
    from playwright.sync_api import expect

    page = new_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    join(page, live, language="en", pseudonym=f"Amihan dalawang beses {javascript}")
    page.goto(live["base_url"] + "/my")
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    words = "Judges should listen to survivors. Video testimony helps children heal."
    page.fill("#text", words)
    with page.expect_navigation(url="**/my"):
        page.click("input[name=submit]")
    page.go_back()
    assert page.input_value("#text") == words, "put back by the browser"
    if javascript:
        expect(page.locator("#autosave-status")).to_contain_text("Not saved as a draft", timeout=12_000)

    page.fill("#text", words + " I want to add: the court should be kind.")
    with page.expect_navigation():
        page.click("input[name=submit]")

    expect(page.locator(".error-summary")).to_contain_text("You already submitted these words")
    assert page.input_value("#text") == words + " I want to add: the court should be kind."
    with page.expect_navigation(url="**/my"):
        page.click("button[name=change_sent]")
    expect(page.locator("main")).to_contain_text("Thank you. Your reflection was submitted.")
    opened = page.locator("main a[href*='/my/reflections/']:not([href$='/delete'])")
    assert opened.count() == 1, "one reflection, changed"


def test_without_javascript_the_exit_link_still_ends_the_session(new_context, live):
    context = new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    join(page, live, language="fil", pseudonym="Ligaya")
    page.goto(live["base_url"] + "/my")
    keys = Keyboard(page)
    keys.press_button("#quick-exit")
    assert page.url == live["neutral_site"]
    page.goto(live["base_url"] + "/my")
    assert page.url.endswith("/return")


@pytest.mark.parametrize("how", ["click", "shift-three-times"])
def test_quick_exit_ends_the_session_and_leaves_no_way_back(new_context, live, how):
    context = new_context()
    joining = context.new_page()
    join(joining, live, language="en", pseudonym=f"Amihan {how}")
    joining.close()

    page = context.new_page()  # a fresh tab: its history is about:blank, then the participant's page
    stop_the_pages_clock(page)  # the three presses within 1.2 s of the page's time, however slow the machine
    page.goto(live["base_url"] + "/my")
    assert page.url.endswith("/my")
    entries = page.evaluate("history.length")

    with page.expect_navigation(url=live["neutral_site"]):
        if how == "click":
            page.click("#quick-exit")
        else:
            page.locator("main h1").focus()
            for _ in range(3):
                page.keyboard.press("Shift")

    assert page.url == live["neutral_site"]
    assert page.evaluate("history.length") == entries, "location.replace: the page was replaced, not added to"
    page.go_back()
    assert not page.url.startswith(live["base_url"]), f"Back returned to {page.url}"

    check = context.new_page()
    check.goto(live["base_url"] + "/my")
    assert check.url.endswith("/return"), "the session ended"


def test_axe_reports_what_it_should(browser):
    """The accessibility checker itself works: a page with known problems is not reported clean."""
    page = browser.new_page()
    page.set_content('<html><head><title>x</title></head><body><main><img src="x.png"><button></button></main></body></html>')
    found = " ".join(axe_violations(page))
    page.close()
    assert "image-alt" in found and "button-name" in found and "html-has-lang" in found


UNDER_THE_EXIT_BAR = """() => {
    const focused = document.activeElement, bar = document.querySelector('.exit-bar');
    if (!focused || !bar || bar.contains(focused) || focused === document.body || focused.matches('.skip')) return 0;
    const a = focused.getBoundingClientRect(), b = bar.getBoundingClientRect();
    return Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
}"""


def _once_the_exit_bar_is_measured(page) -> None:
    """participant.js measures the bar when it is first laid out (a ResizeObserver, before the first paint): a busy
    machine may answer the test's first question before that frame, which no one sees."""
    page.wait_for_function("document.querySelector('.exit-bar').style.top !== ''", timeout=5_000)


@pytest.mark.parametrize(("screen", "spacing", "scripts"), [
    ({"width": 360, "height": 640}, False, True), ({"width": 640, "height": 360}, False, True),
    ({"width": 320, "height": 256}, False, True), ({"width": 320, "height": 640}, True, True),
    ({"width": 320, "height": 640}, True, False),
], ids=["upright", "sideways", "zoomed", "text-spacing", "text-spacing-without-javascript"])
def test_the_exit_bar_never_covers_the_focused_control(new_context, live, screen, spacing, scripts):
    """WCAG 2.4.11: tabbing backwards scrolled controls under the sticky quick-exit bar (the withdraw page's
    confirmation box, hidden entirely on a phone held sideways); with text spacing the bar grows taller than the
    room kept for it by default: the room follows it, and without JavaScript the default is room enough."""
    page = new_context(viewport=screen, bypass_csp=spacing,  # (a reader's style sheet is no inline style)
                       java_script_enabled=scripts).new_page()
    join(page, live, language="fil",
         pseudonym=f"Alon {screen['height']}{' spaced' if spacing else ''}{'' if scripts else ' plain'}")
    _with_the_readers_style(page, TEXT_SPACING if spacing else "")
    for url in ("/my", f"/write/{live['prompt_id']}", "/my/withdraw"):
        page.goto(live["base_url"] + url)
        if scripts:
            _once_the_exit_bar_is_measured(page)
        controls = page.evaluate("document.querySelectorAll('a[href], button, input:not([type=hidden]), textarea').length")
        covered = []
        for key in ["Tab"] * (controls + 2) + ["Shift+Tab"] * (controls + 2):
            page.keyboard.press(key)
            if page.evaluate(UNDER_THE_EXIT_BAR) > 0:
                covered.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        assert covered == [], (url, covered)


def test_at_200_percent_text_on_a_phone_only_the_quick_exit_button_stays_on_the_screen(new_context, live):
    """QA round: at 200 % text on a 360×740 phone the sticky exit bar was 335 px tall in Filipino, 45 % of the screen,
    and with the idle warning the box being typed in showed as a 35 px sliver. "What does this do?" now scrolls away
    above the button, which stays, pressed at once, in a quarter of the screen at most."""
    from playwright.sync_api import expect

    page = new_context(viewport=TALL_PHONE).new_page()
    _with_the_readers_style(page, LARGE_TEXT)
    join(page, live, language="fil", pseudonym="Alon malaki")
    stop_the_pages_clock(page)
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    _once_the_exit_bar_is_measured(page)
    page.evaluate("window.scrollTo(0, 600)")

    bar = page.evaluate("""() => {
      const button = document.getElementById("quick-exit").getBoundingClientRect();
      return {end: document.querySelector(".exit-bar").getBoundingClientRect().bottom, button: button.toJSON(),
              pressed: document.elementFromPoint(button.left + button.width / 2, button.top + button.height / 2).id,
              help_end: document.querySelector(".exit-help").getBoundingClientRect().bottom};
    }""")
    assert bar["pressed"] == "quick-exit" and bar["button"]["top"] >= 0, bar
    assert bar["end"] <= TALL_PHONE["height"] / 4 and bar["help_end"] <= 0, bar

    page.focus("#text")
    page.clock.run_for((int(page.get_attribute("body", "data-idle-seconds")) - 100) * 1_000)
    expect(page.locator("#idle-warning")).to_be_visible()
    seen = page.evaluate("""() => {
      const box = document.getElementById("text").getBoundingClientRect();
      const bar = document.querySelector(".exit-bar").getBoundingClientRect();
      return Math.min(box.bottom, document.getElementById("idle-warning").getBoundingClientRect().top)
        - Math.max(box.top, bar.bottom);
    }""")
    line = page.eval_on_selector("#text", "box => parseFloat(getComputedStyle(box).lineHeight)")
    assert seen >= 3 * line, f"{seen} px of the box typed in seen: not three lines"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_in_a_contrast_theme_the_quick_exit_keeps_its_button_shape(new_context, live, scheme):
    """QA round: forced colours (Windows contrast themes) drop its background; with no border it read as plain bold
    text, like the "Roundtable" link under it. Its border, transparent otherwise, is drawn."""
    page = new_context(viewport=PHONE, forced_colors="active", color_scheme=scheme).new_page()
    page.goto(live["base_url"] + "/join")

    edges = page.eval_on_selector("#quick-exit", """exit => ["top", "right", "bottom", "left"].map(side => {
      const style = getComputedStyle(exit);
      return [style.getPropertyValue(`border-${side}-style`), parseFloat(style.getPropertyValue(`border-${side}-width`)),
              style.getPropertyValue(`border-${side}-color`) !== style.backgroundColor];
    })""")
    assert all(style == "solid" and width >= 1 and seen for style, width, seen in edges), edges


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_a_refused_form_puts_the_focus_on_what_went_wrong(new_context, live, javascript):
    page = new_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    page.goto(live["base_url"] + "/language/en")
    page.goto(live["base_url"] + "/join")
    with page.expect_navigation():
        page.click("main form [type=submit]")  # no code typed
    # autofocus is applied at the page's next rendering opportunity, which may come after the load event
    page.wait_for_function(SUMMARY_FOCUSED, timeout=5_000)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "code"
    page.wait_for_url("**#code")  # (the address reaches the test as an event of its own, after the key's)

    # Refused again: the summary takes the focus again (a form sent to the address with #code kept it on the field).
    page.keyboard.type("NOTACODE")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function(SUMMARY_FOCUSED, timeout=5_000)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
@pytest.mark.parametrize(("screen", "style"), [({"width": 320, "height": 256}, ""), (PHONE, LARGE_TEXT)],
                         ids=["400-percent-zoom", "200-percent-text"])
def test_a_refused_forms_summary_opens_at_its_heading_below_the_exit_bar(new_context, live, screen, style, javascript):
    """QA round: at 400 % zoom (320×256) or 200 % text on a phone, the summary took the focus taller than the screen
    and opened scrolled to its middle, its heading above the screen or under the exit bar."""
    page = new_context(viewport=screen, java_script_enabled=javascript).new_page()
    _with_the_readers_style(page, style)
    page.goto(live["base_url"] + "/join")
    page.fill("#code", live["join_code"])
    page.check("input[name=language][value=fil]")
    with page.expect_navigation():
        page.click("main form [type=submit]")
    with page.expect_navigation():
        page.click("main form [type=submit]")  # nothing ticked

    at = where_the_summary_opens(page)
    assert at["exit_bar_end"] <= at["heading"], f"the heading is under the exit bar or above the screen: {at}"
    assert at["heading_end"] <= at["screen"] - 30, f"no line of the list seen below it: {at}"


def test_typing_where_nothing_autosaves_keeps_the_session_and_the_page_open(new_context, live):
    """Changing a reflection already shared is never autosaved: typing there tells the server someone is here."""
    context = new_context(viewport=PHONE)
    page = context.new_page()
    join(page, live, language="en", pseudonym="Amihan shared")
    page.goto(f"{live['base_url']}/write/{live['prompt_id']}")
    page.fill("#text", "Shared words: the court should listen.")
    with page.expect_navigation():
        page.click("main [name=submit]")
    stop_the_pages_clock(page)
    page.goto(live["base_url"] + "/my")
    with page.expect_navigation():  # loaded, its script counting from there, before the clock moves on
        page.locator("main a[href*='/my/reflections/']:not([href$='/delete'])").first.click()
    idle_seconds = int(page.get_attribute("body", "data-idle-seconds"))

    page.clock.run_for((idle_seconds - 60) * 1_000)
    with page.expect_response(lambda response: "/still-here?" in response.url) as answer:
        page.locator("#text").press_sequentially(" And wait for us.")
    assert answer.value.status == 204
    page.clock.run_for(120_000)  # past the first idle end: the page stays open, the words in it
    assert "/my/reflections/" in page.url and "And wait for us." in page.input_value("#text")


def test_a_pseudonym_that_may_be_a_real_name_is_asked_about_and_answered_by_keyboard_without_javascript(new_context,
                                                                                                       live):
    context = new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    keys = Keyboard(page)
    _up_to_the_pseudonym(page, keys, live, language="fil")
    keys.type_into("#pseudonym", "Maria Santos")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # in the text box: the form's own button, not a language button in the header

    assert page.url.endswith("/join/pseudonym")
    page.wait_for_function(SUMMARY_FOCUSED, timeout=5_000)  # read first
    assert "Maaaring tunay na pangalan o lugar ang “Maria Santos”" in page.inner_text(".error-summary")
    fits_the_phone(page)
    keys.tick("#made_up")
    keys.press_button("main form [type=submit]")
    assert page.url.endswith("/join/passphrase")


def test_with_javascript_a_double_tap_on_continue_after_the_pseudonym_makes_one_place_and_shows_its_passphrase(
        new_context, live):
    """The browser shows the answer to the second sending: "someone already uses that pseudonym" (the first took
    it), and a new name then made a second place while the first's passphrase was never seen."""
    page = new_context(viewport=PHONE).new_page()
    _up_to_the_pseudonym(page, Keyboard(page), live)
    page.fill("#pseudonym", "Tala")
    # On a slow signal the first tap's answer is still on its way when the second comes: held here until both were made.
    on_their_way = []
    page.route("**/join/pseudonym", lambda route: on_their_way.append(route) if route.request.method == "POST"
               else route.continue_())
    button = page.locator("main form [type=submit]").bounding_box()

    def tap():  # (the mouse itself: a locator's click would wait for the page the first tap asked for)
        page.mouse.click(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)

    tap()
    while not on_their_way:  # the first tap's request, held
        page.wait_for_timeout(50)
    tap()

    with page.expect_navigation():
        on_their_way[0].continue_()
    page.wait_for_load_state()
    assert page.url.endswith("/join/passphrase"), page.url
    assert len(on_their_way) == 1, "sent once"
    assert len(page.locator("ol.passphrase li").all_inner_texts()) >= 4
