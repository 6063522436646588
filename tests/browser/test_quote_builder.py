"""The quote builder's enhancement: words chosen in the reflection fill the quote box, by mouse or by keyboard."""

from __future__ import annotations

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_keyboard_copies_the_whole_reflection_into_the_quote_box_to_trim(new_context, live):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, live, "editor")
    page.goto(f"{live['base_url']}/language/en")
    page.goto(f"{live['base_url']}/editor/reflections/{live['reflection_id']}")
    reflection = page.text_content("#original").strip()

    page.focus("#whole-reflection")
    page.keyboard.press("Enter")

    assert page.input_value("#text") == reflection and len(reflection) > 20
    assert page.evaluate("document.activeElement.id") == "text"


def _select(page, start: int, end: int) -> None:
    """Select the reflection's characters from ``start`` to ``end``, as a mouse drag ends (with a mouseup)."""
    page.evaluate("""([start, end]) => {
      const original = document.getElementById("original"), text = original.firstChild, range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, end);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      original.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
    }""", [start, end])


def test_words_selected_fill_the_quote_box_whole_and_join_what_is_there(new_context, live):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, live, "editor")
    page.goto(f"{live['base_url']}/editor/reflections/{live['reflection_id']}")
    reflection = page.text_content("#original")
    words = reflection.split()
    assert len(words) > 6

    _select(page, 1, len(words[0]) + 2)  # from inside the first word into the second
    first = page.input_value("#text")
    assert first == " ".join(words[:2]), "whole words, not the letters the drag happened to cover"

    _select(page, reflection.index(words[-2]) + 1, len(reflection.rstrip()) - 2)
    assert page.input_value("#text") == first + " … " + " ".join(words[-2:]).rstrip(".")
    page.keyboard.press("Control+z")
    assert page.input_value("#text") == first, "undo brings back what the box held"
