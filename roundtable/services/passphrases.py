"""Passphrases and pseudonym suggestions for survivor leaders, who have no account.

A passphrase is a few calm, everyday words in the person's language, easy to type on any
phone keyboard. Its strength comes only from the size of the word list and the number of
words drawn, never from hiding how it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import unicodedata
from functools import cache
from importlib import resources

LANGUAGES = ("fil", "en")
MIN_ENTROPY_BITS = 64

# Keyboards and copy-paste bring all of these between words; none of them is ever part of one.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.,_]+")
# Numbers left out of pseudonyms because they carry sexual or hate-group meanings.
_AVOIDED_NUMBERS = frozenset({69, 88})


def wordlist(language: str) -> tuple[str, ...]:
    """The passphrase words for a language, in file order."""
    return _load(f"words_{_checked(language)}.txt")


def pseudonym_words(language: str) -> tuple[str, ...]:
    """The Title Case nature words that pseudonym suggestions are made from."""
    return _load(f"pseudonym_words_{_checked(language)}.txt")


def words_needed(language: str) -> int:
    """How many different words a passphrase needs to reach MIN_ENTROPY_BITS with this list."""
    size, count, bits = len(wordlist(language)), 0, 0.0
    while bits < MIN_ENTROPY_BITS:
        bits += math.log2(size - count)
        count += 1
    return count


def entropy_bits(language: str) -> float:
    """Entropy of one generated passphrase: different words of the list, drawn uniformly, in order."""
    size = len(wordlist(language))
    return sum(math.log2(size - drawn) for drawn in range(words_needed(language)))


def generate(language: str, seed: bytes | None = None) -> str:
    """A fresh passphrase of different words (one twice reads like a mistake in copying it), drawn with the
    OS's secure random source; or, given a secret ``seed``, drawn from it: the same seed, the same passphrase."""
    words, needed = wordlist(language), words_needed(language)
    drawn = secrets.SystemRandom().sample(words, needed) if seed is None else _drawn_from(seed, words, needed)
    return " ".join(drawn)


def _drawn_from(seed: bytes, population: tuple[str, ...], count: int) -> list[str]:
    """``count`` different items of ``population``, each as likely as any other: numbers from HMAC-SHA256 of the
    seed and a counter, those past the last whole multiple of the items left skipped."""
    left, drawn, counter = list(population), [], 0
    while len(drawn) < count:
        number = int.from_bytes(hmac.new(seed, counter.to_bytes(8, "big"), hashlib.sha256).digest(), "big")
        counter += 1
        if number < (1 << 256) - (1 << 256) % len(left):
            drawn.append(left.pop(number % len(left)))
    return drawn


def normalize(phrase: str) -> str:
    """The canonical form of what a person types back, so small typing differences don't lock them out.

    Case, full-width characters, and any run of spaces, hyphens, dots, commas or underscores
    between words are forgiven; the words themselves must match.
    """
    folded = unicodedata.normalize("NFKC", phrase).casefold()
    return _SEPARATORS.sub(" ", folded).strip()


def suggest_pseudonyms(language: str, count: int = 3) -> list[str]:
    """Distinct suggestions like "Bituin 42": a nature word and a number, never a person's name."""
    words = pseudonym_words(language)
    if not 0 <= count <= len(words):
        raise ValueError(f"can suggest between 0 and {len(words)} pseudonyms, not {count}")
    numbers = [n for n in range(10, 100) if n not in _AVOIDED_NUMBERS]
    chosen = secrets.SystemRandom().sample(words, count)
    return [f"{word} {secrets.choice(numbers)}" for word in chosen]


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return language


@cache
def _load(filename: str) -> tuple[str, ...]:
    text = (resources.files("roundtable") / "data" / filename).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())
