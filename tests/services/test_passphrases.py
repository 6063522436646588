"""Passphrase word lists, generation, normalisation and pseudonym suggestions."""

from __future__ import annotations

import re
import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable.services import passphrases

LANGUAGES = passphrases.LANGUAGES
WORD = re.compile(r"[a-z]{3,8}")
PSEUDONYM = re.compile(r"([A-Z][a-z]+) ([1-9][0-9])")

# Words that must never reach a survivor through a passphrase or a suggested pseudonym.
SENSITIVE = {
    "abuse", "court", "mother", "father", "uncle", "aunt", "sister", "brother", "baby", "child",
    "nanay", "tatay", "tito", "tita", "lola", "lolo", "kuya", "anak", "bata", "ina", "ama",
    "dugo", "patay", "pulis", "kulong", "sex", "kill", "blood", "death", "dead", "gun", "knife",
    "police", "jail", "judge", "rape", "nude", "secret", "camera", "video", "photo", "bed",
    "kama", "sakit", "multo", "puta", "gago", "tanga", "bobo", "titi", "puki", "pera", "money",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_wordlist_has_1024_unique_easy_words(language):
    words = passphrases.wordlist(language)
    assert len(words) == 1024
    assert len(set(words)) == len(words)
    assert [w for w in words if not WORD.fullmatch(w)] == []


def test_wordlists_share_no_word():
    """A word belongs to one language, so a passphrase never mixes the two."""
    assert set(passphrases.wordlist("en")) & set(passphrases.wordlist("fil")) == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_entropy_is_at_least_64_bits(language):
    assert passphrases.words_needed(language) == 7
    assert passphrases.entropy_bits(language) == pytest.approx(69.97, abs=0.01)  # 1024 × 1023 × … × 1018
    assert passphrases.entropy_bits(language) >= passphrases.MIN_ENTROPY_BITS


@pytest.mark.parametrize("language", LANGUAGES)
def test_generate_draws_the_needed_words_from_the_language_list(language):
    words = set(passphrases.wordlist(language))
    for _ in range(200):
        phrase = passphrases.generate(language)
        drawn = phrase.split(" ")
        assert len(drawn) == passphrases.words_needed(language)
        assert set(drawn) <= words
        assert len(set(drawn)) == len(drawn), "no word twice: it reads like a mistake in copying"


@pytest.mark.parametrize("language", LANGUAGES)
def test_generate_does_not_repeat_itself(language):
    assert len({passphrases.generate(language) for _ in range(50)}) == 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_passphrase_drawn_from_a_seed_is_the_same_for_that_seed_and_as_varied_as_any(language):
    """A join sent twice shows the same passphrase both times (participation.join): it is drawn from the join's key."""
    seeds = [secrets.token_bytes(32) for _ in range(200)]
    drawn = [passphrases.generate(language, seed) for seed in seeds]
    assert drawn == [passphrases.generate(language, seed) for seed in seeds]
    assert len(set(drawn)) == 200
    for phrase in drawn:
        words = phrase.split(" ")
        assert len(set(words)) == len(words) == passphrases.words_needed(language)
        assert set(words) <= set(passphrases.wordlist(language))
    assert len({phrase.split(" ")[0] for phrase in drawn}) > 150, "the first word is not one of a few (~181 of 1024)"


@given(st.sampled_from(LANGUAGES))
def test_generated_passphrase_is_already_normal(language):
    phrase = passphrases.generate(language)
    assert passphrases.normalize(phrase) == phrase


@st.composite
def typed_variants(draw):
    """A phrase from the list, and how a person might type it back on a phone."""
    language = draw(st.sampled_from(LANGUAGES))
    words = draw(st.lists(st.sampled_from(passphrases.wordlist(language)), min_size=1, max_size=8))
    separator = st.text(alphabet=" \t\n-\u2013\u2014.,_\u00a0\u3000", min_size=1, max_size=4)
    edge = st.text(alphabet=" \t-.,_", max_size=3)
    typed = draw(edge)
    for index, word in enumerate(words):
        if index:
            typed += draw(separator)
        typed += "".join(c.upper() if draw(st.booleans()) else c for c in word)
    typed += draw(edge)
    return " ".join(words), typed


@given(typed_variants())
def test_normalize_forgives_case_and_separators(variant):
    canonical, typed = variant
    assert passphrases.normalize(typed) == canonical


def test_normalize_examples():
    assert passphrases.normalize("Ulap-Bituin  mangga") == "ulap bituin mangga"
    assert passphrases.normalize("  ULAP__bituin,mangga. ") == "ulap bituin mangga"
    assert passphrases.normalize("ｕｌａｐ\u3000ｂｉｔｕｉｎ") == "ulap bituin"  # full-width keyboard
    assert passphrases.normalize("river—cedar") == "river cedar"  # phone turned "--" into a dash
    assert passphrases.normalize("") == ""


def test_normalize_keeps_different_words_different():
    assert passphrases.normalize("ulap bituin") != passphrases.normalize("ulapbituin")


@pytest.mark.parametrize("language", LANGUAGES)
def test_pseudonym_words_are_title_case_and_unique(language):
    words = passphrases.pseudonym_words(language)
    assert 50 <= len(words) <= 70
    assert len(set(words)) == len(words)
    assert [w for w in words if not re.fullmatch(r"[A-Z][a-z]+", w)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_suggested_pseudonyms_are_distinct_and_well_formed(language):
    words = set(passphrases.pseudonym_words(language))
    for _ in range(20):
        suggestions = passphrases.suggest_pseudonyms(language)
        assert len(suggestions) == 3
        assert len(set(suggestions)) == 3
        for suggestion in suggestions:
            match = PSEUDONYM.fullmatch(suggestion)
            assert match, suggestion
            assert match.group(1) in words
            assert int(match.group(2)) not in {69, 88}


def test_pseudonym_count_is_honoured_and_bounded():
    assert passphrases.suggest_pseudonyms("fil", 0) == []
    assert len(passphrases.suggest_pseudonyms("en", 10)) == 10
    with pytest.raises(ValueError):
        passphrases.suggest_pseudonyms("en", len(passphrases.pseudonym_words("en")) + 1)
    with pytest.raises(ValueError):
        passphrases.suggest_pseudonyms("en", -1)


@pytest.mark.parametrize(
    "call",
    [passphrases.generate, passphrases.entropy_bits, passphrases.wordlist, passphrases.suggest_pseudonyms],
)
@pytest.mark.parametrize("language", ["de", "EN", "tl", ""])
def test_unknown_language_is_refused(call, language):
    with pytest.raises(ValueError):
        call(language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sensitive_word_in_any_list(language):
    everything = {w.lower() for w in passphrases.wordlist(language) + passphrases.pseudonym_words(language)}
    assert everything & SENSITIVE == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_suggested_pseudonym_is_read_as_a_real_name_or_place(app, language):
    """A suggestion would otherwise be asked about ("may be a real name or place") when chosen."""
    from roundtable.services import identifiers

    for word in passphrases.pseudonym_words(language):
        assert identifiers.detect(f"{word} 42") == [], word
