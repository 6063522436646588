"""Staff forms zoomed in: a refused form is read from its summary's heading."""

from __future__ import annotations

import pytest

from .conftest import sign_in, where_the_summary_opens

pytestmark = pytest.mark.browser

ZOOMED_400 = {"width": 320, "height": 256}  # a laptop at 400 %


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

