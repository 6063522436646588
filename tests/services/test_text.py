"""Free text is cleaned on the way in: markup and control characters go, the person's words stay."""

import pytest

from hypothesis import given
from hypothesis import strategies as st

from roundtable.services.text import clean_text, fold, search_key


@pytest.mark.parametrize(("typed", "stored"), [
    ("Ang korte\x00 ay\x01 dapat makinig.", "Ang korte ay dapat makinig."),  # dropped, not turned into "?"
    ("\x00\x01\x7f", ""),
    ("Healing <b>takes</b> time.", "Healing takes time."),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "alert(1)"),  # an escaped tag cannot come back as markup
    ("I <3 my lola & my lolo", "I <3 my lola & my lolo"),
    ("Sabi ng <tito> ko, si <pangalan> ang tumulong.", "Sabi ng <tito> ko, si <pangalan> ang tumulong."),  # no markup
    ("<ScRiPt>alert(1)</sCrIpT><img src=x onerror=alert(1)><svg/onload=alert(1)>", "alert(1)"),
    ("<<script>script>alert(1)<</script>/script>", "alert(1)"),
    ("before <!-- hidden --> after", "before  after"),
    ("line one\r\nline two   \r\n", "line one\nline two"),
    ("Justice \U0001f469\U0001f3fd\u200d\u2696\ufe0f", "Justice \U0001f469\U0001f3fd\u200d\u2696\ufe0f"),  # a judge
    ("\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f468\u200d\U0001f469\u200d\U0001f467"),  # a family
    ("a\u200db \u200d\U0001f642 \U0001f642\u200d", "ab \U0001f642 \U0001f642"),  # a joiner that joins no emoji
])
def test_markup_and_control_characters_go_and_words_stay(typed, stored):
    assert clean_text(typed) == stored


def test_a_one_line_field_keeps_one_line():
    assert clean_text("  Tala \n  ng\tUmaga ", multiline=False) == "Tala ng Umaga"


def test_fold_compares_without_case_or_spacing():
    assert fold("  BITUIN   ng Umaga") == fold("bituin ng umaga")


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_plain_ascii_words_get_the_same_search_key_without_the_unicode_steps(typed):
    assert search_key(typed) == fold(typed)


def test_the_search_key_leaves_accents_case_and_curly_quotes_out():
    assert search_key("  Las PIÑAS \u201cmakinig\u201d  ng\u2019 korte") == 'las pinas "makinig" ng\' korte'
