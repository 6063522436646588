"""A staff member working on a page is warned before an idle session ends, and can stay (WCAG 2.2.1)."""

from __future__ import annotations

import re

import pytest

from .conftest import requests_sent_so_far_are_seen, sign_in, stop_the_pages_clock

pytestmark = pytest.mark.browser


LAPTOP, ZOOMED = {"width": 1280, "height": 800}, {"width": 640, "height": 400}  # ZOOMED: the laptop at 200 %


def _signed_in_on(new_context, live, path: str, *, role: str = "facilitator", viewport=LAPTOP):
    """A staff page whose timers run only as the test moves the page's clock."""
    page = new_context(viewport=viewport).new_page()
    stop_the_pages_clock(page)
    sign_in(page, live, role)
    page.goto(live["base_url"] + path)
    return page


def _session_over_on_the_server(page) -> None:
    """The server's session has ended (its clock is real, the page's is moved by the test): telling it that someone
    is at work no longer keeps anything (/account/still-here then leads to the sign-in page; a refusal stands in)."""
    page.route("**/account/still-here", lambda route: route.fulfill(status=401, body=""))


def _still_here_requests(page) -> list[str]:
    """Every request the page sends to say someone is at work, as it is sent."""
    told: list[str] = []
    page.on("request", lambda request: told.append(request.url) if request.url.endswith("/still-here") else None)
    return told


def test_two_minutes_before_an_idle_session_ends_a_warning_offers_to_stay(new_context, live):
    page = _signed_in_on(new_context, live, "/language/en")
    page.goto(live["base_url"] + "/facilitator/")
    warning = page.locator("#idle-warning")
    idle = int(warning.get_attribute("data-idle-seconds"))
    assert warning.is_hidden()

    page.clock.fast_forward((idle - 180) * 1000)
    assert warning.is_hidden()
    page.clock.fast_forward(75 * 1000)
    assert warning.is_visible() and "signed out in two minutes" in warning.inner_text()

    with page.expect_response(lambda response: response.url.endswith("/account/still-here")) as answer:
        page.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 204
    page.wait_for_function("document.getElementById('idle-warning').hidden")


def test_a_key_pressed_while_the_warning_shows_keeps_the_session_at_once(new_context, live):
    """Not at the next tick: until then the warning would cover what the keyboard moves to (WCAG 2.4.11)."""
    page = _signed_in_on(new_context, live, "/editor/themes", role="editor", viewport=ZOOMED)
    warning = page.locator("#idle-warning")
    page.clock.fast_forward((int(warning.get_attribute("data-idle-seconds")) - 105) * 1000)
    assert warning.is_visible()
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)  # no tick of the page's timer from now on (seconds)

    with page.expect_response(lambda response: response.url.endswith("/account/still-here")) as answer:
        page.keyboard.press("Tab")
    assert answer.value.status == 204
    page.wait_for_function("document.getElementById('idle-warning').hidden")


def test_the_warning_moves_the_focused_control_out_from_under_it_without_counting_as_work(new_context, live):
    page = _signed_in_on(new_context, live, "/facilitator/roundtables/new", viewport=ZOOMED)
    page.clock.run_for(1000)  # a second after the page opened
    # (A scroll event comes at the page's next frame: awaited, it has reached the page before its clock moves on.)
    page.evaluate("""() => {  // the form's button at the bottom edge of the screen, as Tab leaves it
      const button = [...document.querySelectorAll("main [type=submit]")].filter(b => b.offsetParent).pop();
      const scrolled = new Promise(done => window.addEventListener("scroll", done, {once: true, capture: true}));
      button.focus({preventScroll: true});
      button.scrollIntoView({block: "end"});
      return scrolled.then(() => null);
    }""")
    told = _still_here_requests(page)
    warning = page.locator("#idle-warning")
    idle = int(warning.get_attribute("data-idle-seconds"))
    # That scroll was work: told once, and counted from the answer (taken in before the clock moves on again).
    with page.expect_response(lambda response: response.url.endswith("/account/still-here")):
        page.clock.fast_forward((min(300, idle // 3) + 30) * 1000)
    assert len(told) == 1
    told.clear()

    page.evaluate("""() => {
      window.ownScroll = new Promise(done => window.addEventListener("scroll", done, {once: true, capture: true}));
    }""")
    page.clock.fast_forward((idle - 105) * 1000)
    assert warning.is_visible()
    page.evaluate("() => window.ownScroll.then(() => null)")  # the warning's own scroll has reached the page
    focused, box = page.evaluate("""() => [document.activeElement.getBoundingClientRect().top,
                                           document.getElementById("idle-warning").getBoundingClientRect().top]""")
    page.clock.fast_forward(30 * 1000)  # two more ticks: the page's own scroll is nobody at work
    requests_sent_so_far_are_seen(page)

    assert focused < box
    assert told == [] and warning.is_visible()


def test_working_on_a_page_tells_the_server_without_a_warning(new_context, live):
    page = _signed_in_on(new_context, live, "/facilitator/roundtables/new")
    told = _still_here_requests(page)
    page.clock.fast_forward(6 * 60 * 1000)
    page.keyboard.press("Tab")
    with page.expect_request(lambda request: request.url.endswith("/still-here")):
        page.clock.fast_forward(30 * 1000)
    requests_sent_so_far_are_seen(page)
    assert len(told) == 1
    assert page.locator("#idle-warning").is_hidden()


def test_with_a_short_idle_time_working_still_keeps_the_session(new_context, live):
    """The intervals follow the idle time: with five minutes, telling the server every five minutes was too late."""
    page = new_context(viewport=LAPTOP).new_page()
    stop_the_pages_clock(page)
    sign_in(page, live, "facilitator")
    url = live["base_url"] + "/facilitator/roundtables/new"

    def five_minutes(route):
        response = route.fetch()
        body = re.sub(r'data-idle-seconds="\d+"', 'data-idle-seconds="300"', response.text())
        route.fulfill(response=response, body=body)

    page.route(url, five_minutes)
    page.goto(url)
    told = _still_here_requests(page)
    page.clock.fast_forward(90 * 1000)
    page.keyboard.press("Tab")
    with page.expect_response(lambda response: response.url.endswith("/still-here")):  # taken in before 100 s more
        page.clock.fast_forward(30 * 1000)
    requests_sent_so_far_are_seen(page)
    assert len(told) == 1
    page.clock.fast_forward(100 * 1000)
    assert page.locator("#idle-warning").is_hidden(), "told 100 s ago: 200 s are left"


def test_past_the_end_of_an_idle_session_the_page_does_not_stay_on_screen(new_context, live):
    """A laptop left open must not go on showing an editor's page: it is opened again, for the server to answer
    (the sign-in page, once the session is over)."""
    page = _signed_in_on(new_context, live, "/editor/themes", role="editor")
    idle = int(page.locator("#idle-warning").get_attribute("data-idle-seconds"))

    with page.expect_navigation():
        page.clock.fast_forward((idle + 60) * 1000)
        page.clock.run_for(20 * 1000)  # a tick after the jump: the jump may fire the timer at a time within it


def test_past_the_end_of_an_idle_session_a_page_with_words_typed_keeps_them_and_says_signed_out(new_context, live):
    page = _signed_in_on(new_context, live, "/language/en")
    page.goto(f"{live['base_url']}/facilitator/reflections/{live['reflection_id']}")
    page.locator("#note-note").press_sequentially("Ask after the hearing how she is.")
    warning = page.locator("#idle-warning")
    idle = int(warning.get_attribute("data-idle-seconds"))
    _session_over_on_the_server(page)
    left: list[str] = []
    page.on("framenavigated", lambda frame: left.append(frame.url))

    page.clock.fast_forward((idle + 60) * 1000)
    page.clock.run_for(20 * 1000)  # a tick after the jump: the jump may fire the timer at a time within it

    assert warning.is_visible() and "You were signed out because nothing happened for a while." in warning.inner_text()
    assert warning.get_by_role("button").is_hidden(), "staying is no longer possible"
    assert left == [] and page.locator("#note-note").input_value().endswith("Ask after the hearing how she is.")


def test_past_the_end_of_an_idle_session_a_question_carrying_a_forms_words_stays_and_says_signed_out(new_context,
                                                                                                     live):
    """A question page holds the words of the form it asks about: leaving it for the sign-in page lost them
    (regression round)."""
    page = _signed_in_on(new_context, live, "/language/en")
    page.goto(f"{live['base_url']}/facilitator/roundtables/{live['roundtable_id']}/consent")
    page.check("fieldset:has(.tag:text-is('quote_publicly')) input[name$='-remove']")
    with page.expect_navigation():
        page.click("main form:has(.tag) [type=submit]")
    asked_at = page.url
    warning = page.locator("#idle-warning")
    _session_over_on_the_server(page)

    page.clock.fast_forward((int(warning.get_attribute("data-idle-seconds")) + 60) * 1000)
    page.clock.run_for(20 * 1000)  # a tick after the jump: the jump may fire the timer at a time within it

    assert warning.is_visible() and "You were signed out because nothing happened for a while." in warning.inner_text()
    assert page.url == asked_at


def test_words_typed_and_not_saved_are_not_lost_to_the_language_link_unasked(new_context, live):
    """The header's language links are plain links on staff pages: leaving asks first, in the browser's words."""
    page = new_context(viewport=LAPTOP).new_page()
    sign_in(page, live, "facilitator")
    page.goto(live["base_url"] + "/language/en")
    page.goto(f"{live['base_url']}/facilitator/reflections/{live['reflection_id']}")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    page.locator("#note-note").press_sequentially("Ask after the hearing how she is.")
    page.get_by_role("link", name="Filipino").click()

    assert asked == ["beforeunload"]
    assert page.locator("#note-note").input_value().endswith("Ask after the hearing how she is.")
    with page.expect_navigation():
        page.locator("form:has(#note-note) [type=submit]").click()  # saving is leaving on purpose
    assert asked == ["beforeunload"]


def test_a_choice_made_and_not_sent_does_not_ask_before_leaving(new_context, live):
    """A format or a filter is soon chosen again: only words typed are worth the question."""
    page = new_context(viewport=LAPTOP).new_page()
    sign_in(page, live, "editor")
    page.goto(live["base_url"] + "/editor/export")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    page.locator("input[name=format][value=xlsx]").check()
    with page.expect_navigation():
        page.locator("header a.brand").click()

    assert asked == []


def test_a_statement_ticked_for_removal_and_not_saved_asks_before_leaving(new_context, live):
    """A tick is a change too, where the form saves it (the consent form, a quote's themes)."""
    page = new_context(viewport=LAPTOP).new_page()
    sign_in(page, live, "facilitator")
    page.goto(f"{live['base_url']}/facilitator/roundtables/{live['roundtable_id']}/consent")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    page.locator("input[name$='-remove']").first.check()
    page.locator("header a.brand").click()

    assert asked == ["beforeunload"]


def test_words_typed_in_one_form_are_not_lost_unasked_to_another_forms_button(new_context, live):
    """Sending a form leaves on purpose only what that form holds: the quote's edited words are asked about when a
    detail's button, say, leaves the page."""
    page = new_context(viewport=LAPTOP).new_page()
    sign_in(page, live, "facilitator")
    page.goto(f"{live['base_url']}/facilitator/reflections/{live['reflection_id']}")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    page.locator("#note-note").press_sequentially("Ask after the hearing how she is.")
    page.locator("main form.inline-actions [type=submit]").first.click()  # "Release to curation"

    assert asked == ["beforeunload"]
