"""Steps through the participant's path that several browser tests share."""

from __future__ import annotations

import re


def join(page, live: dict, *, language: str = "fil", pseudonym: str = "Tala", on_step=None,
         with_mistakes: bool = False) -> str:
    """Join the live roundtable through the real forms; return the passphrase.

    ``on_step(page, label, html)`` is called on every step as served. With ``with_mistakes`` the
    consent and passphrase steps are first answered wrongly, to see their gentle error messages.
    """
    base = live["base_url"]

    def step(label: str, response) -> None:
        if on_step:
            on_step(page, label, response.text())

    def submit(expected: str, label: str) -> None:
        with page.expect_navigation() as navigation:
            page.click("main form [type=submit]")
        assert page.url.endswith(expected), page.url
        step(label, navigation.value)

    step("/join", page.goto(base + "/join"))
    page.fill("#code", live["join_code"])
    page.check(f"input[name=language][value={language}]")
    submit("/join/consent", "/join/consent")
    if with_mistakes:
        submit("/join/consent", "/join/consent without the age confirmation")
    for required in ("#clause-take_part", "#clause-store_words"):  # nothing is ticked for them
        page.check(required)
    page.check("#adult")
    submit("/join/pseudonym", "/join/pseudonym")
    page.fill("#pseudonym", pseudonym)
    submit("/join/passphrase", "/join/passphrase")
    words = page.locator("ol.passphrase li").all_inner_texts()
    if with_mistakes:
        page.fill("#first", "hindi")
        page.fill("#second", "tama")
        submit("/join/passphrase", "/join/passphrase with words that do not match")
    first = int(re.search(r"\d+", page.inner_text("label[for=first]")).group())
    second = int(re.search(r"\d+", page.inner_text("label[for=second]")).group())
    page.fill("#first", words[first - 1])
    page.fill("#second", words[second - 1])
    submit("/before-you-write", "/before-you-write")
    return " ".join(words)
