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


def test_words_selected_with_the_mouse_fill_the_quote_box(new_context, live):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, live, "editor")
    page.goto(f"{live['base_url']}/editor/reflections/{live['reflection_id']}")
    reflection = page.text_content("#original")
    first_word = page.evaluate("""() => {
      const range = document.createRange(), text = document.getElementById("original").firstChild;
      range.setStart(text, 0);
      range.setEnd(text, 1);
      const box = range.getBoundingClientRect();
      return {x: box.x + box.width / 2, y: box.y + box.height / 2};
    }""")

    page.mouse.dblclick(first_word["x"], first_word["y"])  # a word selected, as a drag would select several

    chosen = page.input_value("#text")  # the selection itself moved into the box, which has the focus now
    assert 0 < len(chosen) < len(reflection.strip()) and chosen in reflection
