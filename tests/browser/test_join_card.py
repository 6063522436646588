"""The printed join card, which a facilitator hands round the room: one page, whatever the titles."""

from __future__ import annotations

import re

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fil", "en"])
def test_the_join_card_prints_on_one_page_even_with_the_longest_titles(new_context, live, language):
    page = new_context().new_page()
    sign_in(page, live, "facilitator")
    card = f"/facilitator/roundtables/{live['long_titles_roundtable_id']}/card"
    page.goto(f"{live['base_url']}/language/{language}?next={card}")
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size)
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1, (language, size)
