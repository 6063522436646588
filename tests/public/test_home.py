"""The public home page."""

import re

import pytest


@pytest.mark.parametrize("language", ["en", "fil"])
def test_the_home_page_is_titled_as_its_heading_the_products_name_said_once(client, language):
    """WCAG 2.4.2: a screen reader announces the title first; it says what the heading says."""
    client.get(f"/language/{language}")

    html = client.get("/").get_data(as_text=True)

    assert re.search(r"<title>(.*?)</title>", html).group(1) == "Roundtable"
    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == "Roundtable"
