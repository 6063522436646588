"""A quote must stay faithful to what the survivor said."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable.services import fidelity
from roundtable.services.fidelity import FidelityResult, check, highlight_segments
from tests.conftest import python_calls

ENGLISH = (
    "Protecting survivors is as important as rescuing them. They need to know that "
    "she was abused, and that it was not her fault. The video-recorded interview meant "
    "I only had to tell my story once."
)
FILIPINO = (
    "Mahirap ang proseso sa korte, pero kailangan nating mag-aral tungkol sa batas. "
    "Hindi ako nag-iisa. Si Niño ang tumulong sa akin na maghilom."
)
TAGLISH = (
    "Noong una, ayaw ko ng plea bargaining kasi parang hindi fair. Pero 'yung "
    "prosecutor, in-explain niya nang maayos, di'ba? Doon ako nagsimulang mag-heal."
)


def quoted_text(original: str, result: FidelityResult) -> list[str]:
    return [original[start:end] for start, end in result.matched]


# Faithful quotes pass


@pytest.mark.parametrize(
    ("quote", "original"),
    [
        ("Protecting survivors is as important as rescuing them.", ENGLISH),
        ("The video-recorded interview meant I only had to tell my story once.", ENGLISH),
        ("kailangan nating mag-aral tungkol sa batas", FILIPINO),
        ("Hindi ako nag-iisa.", FILIPINO),
        ("Pero 'yung prosecutor, in-explain niya nang maayos, di'ba?", TAGLISH),
        ("ayaw ko ng plea bargaining kasi parang hindi fair", TAGLISH),
    ],
)
def test_an_exact_excerpt_passes_in_english_filipino_and_taglish(quote: str, original: str) -> None:
    result = check(quote, original)

    assert (result.ok, result.problem, result.detail) == (True, None, None)
    assert quoted_text(original, result) == [quote.rstrip(".?")]


def test_case_whitespace_and_punctuation_do_not_matter() -> None:
    result = check("protecting SURVIVORS   is as important\nas rescuing them!", ENGLISH)

    assert result.ok


def test_curly_and_straight_quotes_and_apostrophes_are_the_same() -> None:
    original = "She said, \"The court listened to me.\" It's what I needed."

    assert check("“The court listened to me.” It’s what I needed.", original).ok
    assert check("‘yung prosecutor, in-explain niya nang maayos, di’ba", TAGLISH).ok


def test_an_apostrophe_inside_a_word_is_part_of_the_word() -> None:
    result = check("in-explain niya nang maayos, diba", TAGLISH)

    assert result.problem == "not_in_original"
    assert result.missing == ("diba",)


def test_text_is_unicode_normalised() -> None:
    decomposed = "Si Nin\u0303o ang tumulong sa akin."

    assert check("Si Niño ang tumulong", decomposed).ok
    assert check("ｓｉ ｎｉñｏ ang tumulong", FILIPINO).ok


def test_enye_matches_enye_in_either_case() -> None:
    assert check("SI NIÑO ANG TUMULONG", FILIPINO).ok


def test_enye_does_not_match_plain_n() -> None:
    result = check("Si Nino ang tumulong", FILIPINO)

    assert result.problem == "not_in_original"
    assert result.missing == ("Nino",)


def test_a_hyphenated_affix_matches_with_a_hyphen_or_en_dash() -> None:
    assert check("kailangan nating mag–aral", FILIPINO).ok
    assert check("Hindi ako nag\u2011iisa", FILIPINO).ok


def test_a_hyphenated_affix_must_keep_its_hyphen() -> None:
    result = check("kailangan nating magaral", FILIPINO)

    assert result.problem == "not_in_original"
    assert result.missing == ("magaral",)


def test_a_dash_between_words_is_punctuation() -> None:
    original = "The court listened — finally — to what I said."

    assert check("The court listened, finally, to what I said", original).ok
    assert check("The court listened--finally--to what I said", original).ok


# Editorial marks


@pytest.mark.parametrize("ellipsis", ["...", "…", ". . .", " ... ", " … ", "...."])
def test_an_ellipsis_marks_omitted_words(ellipsis: str) -> None:
    quote = f"Protecting survivors is as important as rescuing them{ellipsis}it was not her fault"

    result = check(quote, ENGLISH)

    assert result.ok
    assert quoted_text(ENGLISH, result) == [
        "Protecting survivors is as important as rescuing them",
        "it was not her fault",
    ]


def test_an_ellipsis_may_open_or_close_a_quote() -> None:
    assert check("…kailangan nating mag-aral tungkol sa batas...", FILIPINO).ok


def test_a_missing_ellipsis_where_words_were_left_out_fails() -> None:
    quote = "Protecting survivors is as important as rescuing them. It was not her fault."

    result = check(quote, ENGLISH)

    assert result.ok is False
    assert result.problem == "not_in_original"
    assert result.detail == quote.rstrip(".")
    assert result.matched == ()


def test_brackets_replace_words_for_clarity() -> None:
    quote = (
        "Protecting survivors is as important as rescuing them... "
        "[they have] to know that [they were] abused"
    )

    result = check(quote, ENGLISH)

    assert result.ok
    assert quoted_text(ENGLISH, result) == [
        "Protecting survivors is as important as rescuing them",
        "to know that",
        "abused",
    ]


def test_brackets_may_add_words_without_replacing_any() -> None:
    quote = "The video-recorded interview meant I [the survivor] only had to tell my story once"

    result = check(quote, ENGLISH)

    assert result.ok
    assert quoted_text(ENGLISH, result) == [quote.replace(" [the survivor]", "")]


@pytest.mark.parametrize("label", ["[pangalan]", "[name]", "[Pangalan]", "[lugar]"])
def test_a_redaction_label_stands_in_for_a_name(label: str) -> None:
    assert check(f"Si {label} ang tumulong sa akin na maghilom", FILIPINO).ok


def test_words_inside_brackets_are_not_looked_up() -> None:
    assert check("[Ang] prosecutor, in-explain niya nang maayos", TAGLISH).ok


def test_a_bracketed_ellipsis_marks_an_omission() -> None:
    assert check("Hindi ako nag-iisa. [...] maghilom.", FILIPINO).ok


@pytest.mark.parametrize(
    "quote", ["[they were abused", "they were] abused", "[they] were] abused", "[[they] abused"]
)
def test_unbalanced_brackets_fail(quote: str) -> None:
    result = check(quote, ENGLISH)

    assert result == FidelityResult(
        ok=False, problem="unbalanced_brackets", detail=None, matched=()
    )


# Unfaithful quotes fail


def test_words_not_in_the_original_fail_and_name_the_word() -> None:
    result = check("The video-recorded interview meant I never had to tell my story", ENGLISH)

    assert result == FidelityResult(ok=False, problem="not_in_original", detail=None, matched=(), missing=("never",))


def test_every_stretch_of_words_not_in_the_original_is_named_not_only_the_first() -> None:
    original = ("Ang hustisya ay dapat mabilis at tahimik. Plea bargaining can spare a child from testifying, "
                "and healing takes time.")

    result = check("Healing needs quiet rooms and people who believe us… [and] time, not pity", original)

    assert result.problem == "not_in_original"
    assert result.missing == ("needs quiet rooms", "people who believe us", "not pity")


@pytest.mark.parametrize(("quote", "missing"), [
    ("alert(1)Ang hustisya ay dapat mabilis", "alert(1)"),  # what is left of "<script>alert(1)</script>" (QA)
    ("(1)alert Ang hustisya ay dapat mabilis", "(1)alert"),
    ('Sabi "nila"Ang hustisya ay dapat mabilis', 'Sabi "nila"'),
    ("Ang hustisya ay (talaga) dapat mabilis", "talaga"),  # a parenthesis around them all is no part of them
])
def test_words_not_in_the_original_are_named_with_the_parenthesis_or_quotation_mark_they_open_or_close(quote, missing):
    result = check(quote, "Ang hustisya ay dapat mabilis.")

    assert result.problem == "not_in_original"
    assert result.missing == (missing,)


def test_a_run_out_of_order_is_named_with_the_parenthesis_it_closes() -> None:
    result = check("dapat mabilis ... Ang (hustisya)", "Ang hustisya ay dapat mabilis.")

    assert result.problem == "out_of_order"
    assert result.detail == "Ang (hustisya)"


def test_taglish_with_a_changed_word_fails() -> None:
    result = check("ayaw ko ng plea bargaining kasi parang unfair", TAGLISH)

    assert result.problem == "not_in_original"
    assert result.missing == ("unfair",)


def test_words_out_of_order_fail() -> None:
    result = check("Hindi nag-iisa ako", FILIPINO)

    assert result.problem == "out_of_order"
    assert result.detail == "Hindi nag-iisa ako"


def test_passages_out_of_order_fail_even_with_an_ellipsis() -> None:
    result = check("it was not her fault... Protecting survivors", ENGLISH)

    assert result.problem == "out_of_order"
    assert result.detail == "Protecting survivors"


def test_an_empty_quote_fails() -> None:
    assert check("", ENGLISH).problem == "empty"
    assert check("  \n\t", ENGLISH).problem == "empty"


def test_a_quote_of_punctuation_only_has_no_words() -> None:
    result = check("“ — ” !?", ENGLISH)

    assert result == FidelityResult(ok=False, problem="no_words", detail=None, matched=())


@pytest.mark.parametrize("quote", ["[pangalan]", "... [they were] ...", "…", "[name] [place]"])
def test_a_quote_made_only_of_editorial_marks_fails(quote: str) -> None:
    assert check(quote, ENGLISH).problem == "only_editorial"


def test_an_original_without_words_matches_nothing() -> None:
    assert check("justice", "").problem == "not_in_original"


# Repeated words need a real search, not the first occurrence of each word


def test_repeated_words_are_matched_where_the_whole_phrase_is() -> None:
    original = "we need courts that listen. we need courts that protect"

    result = check("we need courts that protect", original)

    assert result.ok
    assert result.matched == ((28, 55),)
    assert original[28:55] == "we need courts that protect"


def test_each_part_after_an_ellipsis_is_found_after_the_part_before() -> None:
    original = "healing takes time. justice takes time. healing takes courage"

    result = check("healing takes time... healing takes courage", original)

    assert quoted_text(original, result) == ["healing takes time", "healing takes courage"]


def test_an_omission_of_nothing_merges_the_spans() -> None:
    result = check("Hindi ako… nag-iisa", FILIPINO)

    assert quoted_text(FILIPINO, result) == ["Hindi ako nag-iisa"]


def _repeats(original_words: int, quote_words: int) -> tuple[str, str]:
    return (" ".join(["salamat po"] * original_words + ["sa korte"]),
            " ".join(["salamat po"] * quote_words + ["sa korte"]))


def test_long_reflections_with_many_repeats_are_checked_quickly() -> None:
    """Twice the reflection and twice the quote cost about twice the work (counted in calls, not timed)."""
    original, quote = _repeats(2400, 180)

    result = check(quote, original)

    assert result.ok
    assert original[result.matched[0][0] : result.matched[0][1]] == quote
    once = python_calls(check, quote, original)
    longer_original, longer_quote = _repeats(4800, 360)
    assert python_calls(check, longer_quote, longer_original) <= 2.2 * once


# Highlighting


def test_highlight_segments_mark_the_quoted_words_and_reassemble_the_original() -> None:
    result = check("Protecting survivors... [they have] to know that", ENGLISH)

    segments = highlight_segments(ENGLISH, result.matched)

    assert "".join(text for text, _ in segments) == ENGLISH
    assert [text for text, quoted in segments if quoted] == ["Protecting survivors", "to know that"]
    assert segments[0] == ("Protecting survivors", True)
    assert segments[-1][1] is False


def test_highlight_segments_without_matches_is_the_plain_original() -> None:
    assert highlight_segments(FILIPINO, ()) == [(FILIPINO, False)]
    assert highlight_segments("", ()) == []


def test_highlight_segments_refuses_overlapping_spans() -> None:
    with pytest.raises(ValueError):
        highlight_segments(ENGLISH, ((0, 10), (5, 12)))


# Properties

VOCABULARY = (
    "hustisya", "korte", "justice", "court", "mag-aral", "nag-iisa", "Niño", "di'ba",
    "'yung", "healing", "paghilom", "video-recorded", "interview", "plea", "bargaining",
    "salamat", "po", "kami", "we", "need",
)
FOREIGN_WORDS = ("kalayaan", "tribunal", "pag-asa", "Señora", "freedom")
SEPARATORS = (" ", "  ", "\n", ", ", ". ", " — ", "; ", "! ", "? ")


@st.composite
def reflection_with_run(draw: st.DrawFn) -> tuple[list[str], str, int, int]:
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=60))
    separators = draw(
        st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words))
    )
    original = "".join(word + separator for word, separator in zip(words, separators))
    start = draw(st.integers(0, len(words) - 1))
    end = draw(st.integers(start + 1, len(words)))
    return words, original, start, end


@given(reflection_with_run())
def test_any_run_of_whole_words_from_the_original_passes(
    case: tuple[list[str], str, int, int],
) -> None:
    words, original, start, end = case

    result = check(" ".join(words[start:end]).upper(), original)

    assert result.ok
    segments = highlight_segments(original, result.matched)
    [highlighted] = [text for text, quoted in segments if quoted]
    assert highlighted.casefold().startswith(words[start].lstrip("'").casefold())
    assert highlighted.casefold().endswith(words[end - 1].lstrip("'").casefold())
    assert check(highlighted, original).matched == result.matched


@given(reflection_with_run(), st.data())
def test_a_run_with_one_word_changed_to_a_new_word_fails(
    case: tuple[list[str], str, int, int], data: st.DataObject
) -> None:
    words, original, start, end = case
    run = words[start:end]
    changed_at = data.draw(st.integers(0, len(run) - 1))
    new_word = data.draw(st.sampled_from(FOREIGN_WORDS))
    run[changed_at] = new_word

    result = check(" ".join(run), original)

    assert result == FidelityResult(
        ok=False, problem="not_in_original", detail=None, matched=(), missing=(new_word,)
    )


def test_word_places_say_which_words_of_the_original_a_quote_keeps_as_early_and_as_late_as_they_fit():
    original = "The court was slow. The court listened at last."
    early, late = fidelity.word_places("The court … listened", original)

    assert (sorted(early), sorted(late)) == ([0, 1, 6], [4, 5, 6])
    assert fidelity.word_places("The judge listened", original) == (frozenset(), frozenset())  # not faithful


@pytest.mark.parametrize(("quote", "original", "left"), [
    ("Justice is … the verdict.", "Justice is not only the verdict.", ["not", "only"]),
    ("… kami mahina …", "Hindi kami mahina, matatag kami.", ["hindi", "matatag", "kami"]),  # the sentence's rest
    ("Hindi … matatag kami.", "Hindi kami mahina, matatag kami.", ["kami", "mahina"]),
    ("The court [listened] and … we healed.", "The court listened and in time we healed.", ["listened", "in", "time"]),
    ("Justice is not only the verdict.", "Justice is not only the verdict.", []),
    ("… kami mahina …", "Hindi naman po talaga kami mahina.", ["talaga", "po", "naman", "hindi"]),  # nearest first
    ("healing is quick", "I don't think healing is quick. It is slow.", ["think", "don't", "i"]),
    ("The court must listen.", "Did they listen? No. The court must listen.", []),  # not across a sentence's end
    ("Healing is possible", "Healing is possible, no doubt.", ["no", "doubt"]),  # within it: read again, it is cheap
    ("Words that are not there.", "Justice is not only the verdict.", []),  # not faithful: nothing to say
])
def test_left_out_names_the_words_a_faithful_quote_skips_between_its_runs(quote, original, left) -> None:
    assert fidelity.left_out(quote, original) == left


_ASKED = "Justice should not depend on how brave a child can be. Should a child face the court? We were heard! Then we"


@pytest.mark.parametrize(("quote", "changed"), [
    ("Justice should not depend on how brave a child can be?", [("be?", "be.")]),  # a statement made a question
    ("Should a child face the court.", [("court.", "court?")]),  # a question made a statement
    ("We were heard?", [("heard?", "heard!")]),
    ("Then we?", [("we?", "we")]),  # a question where the author stopped mid-sentence
    ("Should a child face the court? We were heard!", []),
    ("Justice should not depend … a child can be.", []),  # an ellipsis is no full stop
    ("Then we.", []),  # an editor may end a quote mid-sentence
    ("Justice should not depend on how brave a child can be", []),  # no mark, nothing changed
    ("Justice should not depend on how brave a child can be [in court]?", [("be?", "be.")]),  # after added words too
    ("Justice should not depend on how brave a child [can be].", []),
    ("Should a child face the jury?", []),  # not faithful: nothing to say
])
def test_marks_changed_names_where_a_faithful_quote_asks_or_exclaims_unlike_its_reflection(quote, changed) -> None:
    """Punctuation is not compared, so "… can be?" passes as faithful to "… can be.": the hint says so."""
    assert fidelity.marks_changed(quote, _ASKED) == changed


@pytest.mark.parametrize(("quote", "changed"), [
    ("Sino ang maniniwala kay [pangalan]? Wala sa kanila.", []),  # the label stands for "Marites", whose "?" it is
    ("Did anyone believe [name]?", []),  # at the end of the quote too
    ("Sino ang maniniwala kay [pangalan].", [("kay.", "kay?")]),
])
def test_a_mark_after_a_label_standing_for_the_authors_words_is_theirs(quote, changed) -> None:
    """A name redacted before "?" made the hint say the quote asked where the reflection did not (regression
    round)."""
    original = "Sino ang maniniwala kay Marites? Wala sa kanila. Did anyone believe Marites? None of them."
    assert fidelity.marks_changed(quote, original) == changed
