"""Staff forms zoomed in and by keyboard: a refused form is read from its summary's heading, and every part of a date
box shows where the keyboard is."""

from __future__ import annotations

import pytest

from .conftest import sign_in, where_the_summary_opens

pytestmark = pytest.mark.browser

LAPTOP, ZOOMED_400 = {"width": 1280, "height": 800}, {"width": 320, "height": 256}  # the laptop at 400 %


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_at_400_percent_zoom_a_refused_forms_summary_opens_at_its_heading(new_context, live, javascript):
    """QA round: the summary took the focus taller than the screen and opened scrolled to its middle, its heading
    above the screen ("Create a roundtable" sent empty). Its heading takes it, and is not left at the bottom edge with
    nothing of the list under it."""
    page = new_context(viewport=ZOOMED_400, java_script_enabled=javascript).new_page()
    sign_in(page, live, "facilitator")
    page.goto(live["base_url"] + "/language/fil")
    page.goto(live["base_url"] + "/facilitator/roundtables/new")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()  # (the first is the hidden idle warning's)

    at = where_the_summary_opens(page)
    assert 0 <= at["heading"] and at["heading_end"] <= at["screen"] - 30, f"no line of the list seen below it: {at}"


def test_tabbing_through_a_date_box_the_focus_ring_stays_on_its_calendar_button(new_context, live):
    """QA round: past the year, Tab reaches the box's calendar button; the box then lost the ring that the day, the
    month and the year have, and only the browser's faint one was left round the button."""
    page = new_context(viewport=LAPTOP).new_page()
    sign_in(page, live, "facilitator")
    page.goto(f"{live['base_url']}/facilitator/roundtables/{live['roundtable_id']}/edit")
    page.focus("#meets_on")

    rings = []
    for _part in range(4):  # the day, the month, the year, the calendar button
        rings.append(page.evaluate("""() => {
          const box = document.activeElement, style = getComputedStyle(box);
          return [box.id, style.outlineStyle, style.outlineWidth, style.outlineColor];
        }"""))
        page.keyboard.press("Tab")

    assert rings == [["meets_on", "solid", "3px", "rgb(194, 94, 0)"]] * 4, rings


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_theme_added_is_said_with_the_focus_and_the_next_tab_reaches_the_themes(new_context, live, javascript):
    """An editor's success message came at the top of the page unfocused: a screen reader did not say it and the next
    Tab began again at "Skip to content". It takes the focus (autofocus, so without JavaScript too)."""
    page = new_context(viewport=LAPTOP, java_script_enabled=javascript).new_page()
    sign_in(page, live, "editor")
    page.goto(live["base_url"] + "/language/en")
    page.goto(live["base_url"] + "/editor/themes")
    page.fill("#name_fil", f"Tema {javascript}")
    page.fill("#name_en", f"Theme said with the focus {javascript}")
    with page.expect_navigation():
        page.locator("main form:has(#name_en) [type=submit]").click()

    page.wait_for_function("() => document.activeElement.matches('.messages')", timeout=5_000)
    assert page.evaluate("document.activeElement.textContent") == "Theme added."
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.themes') !== null"), "the next Tab reaches the list"


@pytest.mark.parametrize(("role", "path"), [
    ("admin", "/admin/audit"), ("editor", "/editor/quotes"), ("editor", "/editor/"),
    ("facilitator", "/facilitator/moderation"),
])
def test_at_200_percent_text_on_a_phone_a_lists_filters_fit_the_screen(new_context, live, role, path):
    """QA r5 1: at 320 px with text at 200 % the audit log scrolled sideways by 53 px: its two date boxes are about
    349 px wide there, and the filters' one grid column grew to them (WCAG 1.4.4, 1.4.10)."""
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.route("**/static/roundtable.css*", lambda route: route.fulfill(  # the reader's style, after ours
        response=(ours := route.fetch()), body=ours.text() + "html { font-size: 200%; }"))
    sign_in(page, live, role)
    page.goto(live["base_url"] + path)

    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
