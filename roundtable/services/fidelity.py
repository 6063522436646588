"""Checks that an editor's quote stays faithful to the survivor's reflection.

Editorial marks follow common practice:

* ``...``, ``…`` or ``. . .`` marks an omission: any number of original words (zero or
  more) may be skipped there.
* ``[square brackets]`` mark words the editor added or replaced for clarity, including
  redaction labels such as ``[pangalan]`` or ``[place]``. Bracketed text is not looked up
  in the original, and a bracket may stand in for zero or more original words, so it
  permits a gap just as an ellipsis does. The spans in ``FidelityResult.matched`` show
  reviewers exactly which original words the quote kept.

Outside the marks, the quote's words must occur in the original in the same order, and
words that are adjacent in the quote must be adjacent in the original.

Words are compared after NFKC normalisation and case folding, ignoring whitespace and
punctuation, so curly and straight quotes do not matter (``marks_changed`` names, for whoever approves, a
question or exclamation mark a faithful quote changed). Diacritics are kept: ``ñ`` only
matches ``ñ`` (or ``Ñ``), never ``n``. An apostrophe or hyphen between two letters is part
of the word, as in ``di'ba`` or ``mag-aral``: ``mag-aral`` matches ``mag‑aral`` or
``mag–aral`` (any hyphen or en dash) but not ``magaral``, and ``di’ba`` matches ``di'ba``
but not ``diba``. Apostrophes at the edge of a word (``'yung``) and dashes between words
(``courts — they``) are punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_APOSTROPHES = "'`\u2018\u2019\u02bb\u02bc"
_HYPHENS = "-\u2010\u2012\u2013\u2212"
_JOINERS = _APOSTROPHES + _HYPHENS
_CANONICAL_JOINERS = str.maketrans(
    {**{ch: "'" for ch in _APOSTROPHES}, **{ch: "-" for ch in _HYPHENS}}
)
# Applied after NFKC, which has already turned "…" into "...".
_ELLIPSIS = re.compile(r"\.(?:\s*\.){2,}|\u22ef")


@dataclass(frozen=True)
class FidelityResult:
    """The outcome of ``check``.

    ``problem`` is a stable code for the view layer to translate: ``"empty"``,
    ``"no_words"``, ``"not_in_original"``, ``"out_of_order"``, ``"unbalanced_brackets"``
    or ``"only_editorial"``. For ``not_in_original``, ``missing`` quotes every stretch of
    the editor's words that is nowhere in the original, in the quote's order (all of them,
    so that the editor is not told of one, then of the next). When every word is there,
    ``detail`` quotes the run of words that has no place (``out_of_order``, or
    ``not_in_original`` for words not side by side). ``matched`` holds sorted, merged
    ``(start, end)`` character spans of the original, and is empty unless the quote is
    faithful.
    """

    ok: bool
    problem: str | None
    detail: str | None
    matched: tuple[tuple[int, int], ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Word:
    """A comparison key and where the word sits in the text it came from."""

    key: str
    start: int
    end: int


@dataclass(frozen=True)
class _Normalised:
    """NFKC text plus, for each of its characters, the source span it came from."""

    text: str
    starts: list[int]
    ends: list[int]


@dataclass(frozen=True)
class _ParsedQuote:
    """The quote's runs: words that must be adjacent in the original, split at marks."""

    runs: tuple[tuple[_Word, ...], ...]
    has_editorial_marks: bool


def check(quote: str, original: str) -> FidelityResult:
    """Check ``quote`` against ``original``, the reflection it was taken from."""
    if not quote.strip():
        return _failure("empty")
    parsed = _parse_quote(_normalise(quote))
    if parsed is None:
        return _failure("unbalanced_brackets")
    if not parsed.runs:
        return _failure("only_editorial" if parsed.has_editorial_marks else "no_words")

    original_words = _words(_normalise(original))
    codes = _codes(original_words)
    missing = _missing(parsed, codes, quote)
    if missing:
        return FidelityResult(ok=False, problem="not_in_original", detail=None, matched=(), missing=missing)

    haystack = "".join(codes[word.key] for word in original_words)
    needles = _needles(parsed, codes)
    placed: list[tuple[int, int]] = []
    for run, needle, at in zip(parsed.runs, needles, _earliest_fits(needles, haystack)):
        if at < 0:
            return _failure(_diagnose(needle, haystack), _as_typed(quote, run[0].start, run[-1].end))
        if placed and placed[-1][1] == at:
            placed[-1] = (placed[-1][0], at + len(needle))
        else:
            placed.append((at, at + len(needle)))

    spans = tuple((original_words[s].start, original_words[e - 1].end) for s, e in placed)
    return FidelityResult(ok=True, problem=None, detail=None, matched=spans)


def word_places(quote: str, original: str) -> tuple[frozenset[int], frozenset[int]]:
    """Which words of ``original`` (by their order in it) a faithful quote keeps, placed as early and as late as
    its runs fit: a run of common words ("the court") may fit in more than one sentence. Both are empty for a
    quote that is not faithful."""
    if (fitted := _fitted(quote, original)) is None:
        return frozenset(), frozenset()
    _original_words, _runs, needles, early, haystack = fitted
    late, end = [], len(haystack)
    for needle in reversed(needles):  # as late as each fits, from the last run back: exact by the same argument
        end = haystack.rfind(needle, 0, end)
        late.insert(0, end)
    return _words_at(early, needles), _words_at(late, needles)


_SENTENCE_END = re.compile(r"[.!?]")
_MOST_CUT_OFF = 12  # words of a sentence looked at before a quote's start and after its end


def left_out(quote: str, original: str) -> list[str]:
    """The words of ``original`` (as compared: case folded) that a faithful quote leaves out between its runs, at
    "…" or a bracket, and the rest of the sentences it starts and ends in ("… kami mahina" from "Hindi po kami
    mahina", "healing is quick" from "I don't think healing is quick"), its runs placed as early as they fit; empty
    for a quote that is not faithful."""
    if (fitted := _fitted(quote, original)) is None:
        return []
    original_words, _runs, needles, fits, _haystack = fitted
    between = [i for (at, needle), after in zip(zip(fits, needles), fits[1:]) for i in range(at + len(needle), after)]
    before = _cut_off(original, original_words, fits[0] - 1, -1)
    after = _cut_off(original, original_words, fits[-1] + len(needles[-1]), 1)
    return [original_words[i].key for i in [*before, *between, *after]]


def _cut_off(original: str, words: list[_Word], first: int, step: int) -> list[int]:
    """The words of the sentence a quote starts in that come before it (``step`` -1), or of the one it ends in that
    come after it (``step`` 1), nearest first."""
    cut = []
    i = first
    while 0 <= i < len(words) and len(cut) < _MOST_CUT_OFF:
        near, far = (words[i], words[i + 1]) if step < 0 else (words[i - 1], words[i])
        if _SENTENCE_END.search(original[near.end:far.start]):
            break
        cut.append(i)
        i += step
    return cut


def marks_changed(quote: str, original: str) -> list[tuple[str, str]]:
    """Where a faithful quote asks or exclaims and the reflection does not, or the other way round: pairs of the
    quote's word with its mark and the reflection's ("be?", "be."), its runs placed as early as they fit. The check
    ignores punctuation, so a statement could otherwise be published as a question. A full stop where the
    reflection has none is an editor ending a quote mid-sentence, and is not named."""
    if (fitted := _fitted(quote, original)) is None:
        return []
    original_words, runs, _needles, fits, _haystack = fitted
    quote_words = [word for run in runs for word in run]
    ends = [word.start for word in quote_words[1:]] + [len(quote)]
    places = [at + i for run, at in zip(runs, fits) for i in range(len(run))]
    starts = [original_words[place].start for place in places[1:]] + [None]

    def start_of(place: int) -> int | None:
        return original_words[place].start if place < len(original_words) else None

    changed = []
    for word, end, place, next_kept in zip(quote_words, ends, places, starts):
        after = quote[word.end:end]
        kept = original_words[place]
        if _EDITORS_WORDS.search(after):
            # Words in brackets follow: added ("can be [in court]?") or standing for the original's ("kay
            # [pangalan]?" for "kay Marites?"). The mark is the quote's either way, compared with the original's
            # first one up to the next word kept (at the end of the quote: past the original's next word).
            after = _EDITORS_WORDS.sub(" ", after)
            theirs = _mark(original[kept.end:next_kept if next_kept is not None else start_of(place + 2)])
        else:
            theirs = _mark(original[kept.end:start_of(place + 1)])
        ours = _mark(after)
        if ours is not None and ours != theirs and (ours in "?!" or theirs in ("?", "!")):
            changed.append((quote[word.start:word.end] + ours, original[kept.start:kept.end] + (theirs or "")))
    return changed


_EDITORS_WORDS = re.compile(r"\[[^\]]*\]")


def _mark(between: str) -> str | None:
    """The first full stop, question or exclamation mark between two words, an ellipsis not counted."""
    found = _SENTENCE_END.search(_ELLIPSIS.sub("", unicodedata.normalize("NFKC", between)))
    return found.group(0) if found else None


def _fitted(quote: str, original: str) -> tuple[list[_Word], tuple[tuple[_Word, ...], ...], list[str], list[int], str] | None:
    """For a faithful quote: the original's words, the quote's runs and the same as needles, where each fits
    earliest, and the coded original they were fitted in; None for a quote that is not faithful."""
    parsed = _parse_quote(_normalise(quote)) if quote.strip() else None
    original_words = _words(_normalise(original))
    codes = _codes(original_words)
    if parsed is None or not parsed.runs or any(word.key not in codes for run in parsed.runs for word in run):
        return None
    haystack = "".join(codes[word.key] for word in original_words)
    needles = _needles(parsed, codes)
    fits = list(_earliest_fits(needles, haystack))
    return None if fits[-1] < 0 else (original_words, parsed.runs, needles, fits, haystack)


def _words_at(fits: list[int], needles: list[str]) -> frozenset[int]:
    return frozenset(word for at, needle in zip(fits, needles) for word in range(at, at + len(needle)))


def _codes(original_words: list[_Word]) -> dict[str, str]:
    """One character per distinct word of the original: phrase search becomes fast substring search."""
    codes: dict[str, str] = {}
    for word in original_words:
        codes.setdefault(word.key, chr(len(codes)))
    return codes


def _needles(parsed: _ParsedQuote, codes: dict[str, str]) -> list[str]:
    return ["".join(codes[word.key] for word in run) for run in parsed.runs]


def _earliest_fits(needles: list[str], haystack: str) -> Iterator[int]:
    """Where each run fits, the earliest after the one before, until one does not (-1, the last). Taking the
    earliest fit of each run is exact, not a heuristic: it leaves the most room for the runs after it, so if any
    placement exists this one succeeds."""
    cursor = 0
    for needle in needles:
        at = haystack.find(needle, cursor)
        yield at
        if at < 0:
            return
        cursor = at + len(needle)


def highlight_segments(
    original: str, matched: Iterable[tuple[int, int]]
) -> list[tuple[str, bool]]:
    """Split ``original`` into consecutive ``(text, is_quoted)`` pieces for rendering."""
    segments: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in sorted(matched):
        if not cursor <= start <= end <= len(original):
            raise ValueError(f"span {(start, end)} overlaps another or lies outside the text")
        if start > cursor:
            segments.append((original[cursor:start], False))
        if end > start:
            segments.append((original[start:end], True))
        cursor = end
    if cursor < len(original):
        segments.append((original[cursor:], False))
    return segments


def _missing(parsed: _ParsedQuote, codes: dict[str, str], quote: str) -> tuple[str, ...]:
    """Each stretch of side-by-side words of ``quote`` that are nowhere in the original, as the editor typed it."""
    stretches = []
    for run in parsed.runs:
        stretch: list[_Word] = []
        for word in (*run, None):  # None ends the run's last stretch
            if word is not None and word.key not in codes:
                stretch.append(word)
            elif stretch:
                stretches.append(_as_typed(quote, stretch[0].start, stretch[-1].end))
                stretch = []
    return tuple(stretches)


_PAIRED = (("(", ")"), ("{", "}"), ("“", "”"), ("«", "»"), ('"', '"'))


def _as_typed(quote: str, start: int, end: int) -> str:
    """``quote[start:end]``, from a word to a word, with the parenthesis or quotation mark just outside it that
    closes or opens one inside it: "alert(1)", not "alert(1"."""
    for opening, closing in _PAIRED:
        inside = quote[start:end]
        opened = inside.count(opening) % 2 if opening == closing else inside.count(opening) - inside.count(closing)
        closed = opened if opening == closing else -opened
        if opened > 0 and quote[end:end + 1] == closing:
            end += 1
        elif closed > 0 and start > 0 and quote[start - 1] == opening:
            start -= 1
    return quote[start:end]


def _failure(problem: str, detail: str | None = None) -> FidelityResult:
    return FidelityResult(ok=False, problem=problem, detail=detail, matched=())


def _diagnose(needle: str, haystack: str) -> str:
    """Name why a run of words has no place after the runs before it."""
    if needle in haystack:
        return "out_of_order"  # the passage exists, but before an earlier part of the quote
    remaining = iter(haystack)
    if all(code in remaining for code in needle):
        return "not_in_original"  # in order but not side by side: an omission is unmarked
    return "out_of_order"


def _normalise(raw: str) -> _Normalised:
    """NFKC-normalise ``raw`` one base character (with its combining marks) at a time.

    Working cluster by cluster keeps track of where every normalised character came
    from, so matches can be reported as spans of the unnormalised text.
    """
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(raw):
        j = i + 1
        while j < len(raw) and unicodedata.category(raw[j]).startswith("M"):
            j += 1
        piece = unicodedata.normalize("NFKC", raw[i:j])
        pieces.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return _Normalised("".join(pieces), starts, ends)


def _is_word_char(ch: str) -> bool:
    return ch not in _APOSTROPHES and unicodedata.category(ch)[0] in "LNM"


def same_words(first: str, second: str) -> bool:
    """The same words in the same order, whatever the spacing, case or punctuation between them."""
    return [word.key for word in _words(_normalise(first))] == [word.key for word in _words(_normalise(second))]


def word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole word ``text[start:end]`` is part of, with what an apostrophe or hyphen joins to it
    ("taga-Cebu", "Maria's"): the check reads that as one word, so a label in brackets must stand for all of it."""
    while start >= 2 and text[start - 1] in _JOINERS and _is_word_char(text[start - 2]):
        start -= 1
        while start > 0 and _is_word_char(text[start - 1]):
            start -= 1
    while end + 1 < len(text) and text[end] in _JOINERS and _is_word_char(text[end + 1]):
        end += 1
        while end < len(text) and _is_word_char(text[end]):
            end += 1
    return start, end


def _words(source: _Normalised, lo: int = 0, hi: int | None = None) -> list[_Word]:
    """Words of ``source.text[lo:hi]``; an apostrophe or hyphen between letters joins."""
    text = source.text
    hi = len(text) if hi is None else hi
    words: list[_Word] = []
    i = lo
    while i < hi:
        if not _is_word_char(text[i]):
            i += 1
            continue
        j = i + 1
        while j < hi:
            if _is_word_char(text[j]):
                j += 1
            elif text[j] in _JOINERS and j + 1 < hi and _is_word_char(text[j + 1]):
                j += 2
            else:
                break
        key = text[i:j].casefold().translate(_CANONICAL_JOINERS)
        words.append(_Word(key, source.starts[i], source.ends[j - 1]))
        i = j
    return words


def _parse_quote(quote: _Normalised) -> _ParsedQuote | None:
    """Split the quote into runs at brackets and ellipses; ``None`` if brackets don't pair."""
    text = quote.text
    runs: list[tuple[_Word, ...]] = []
    current: list[_Word] = []
    has_marks = False

    def close_run() -> None:
        nonlocal has_marks
        has_marks = True
        if current:
            runs.append(tuple(current))
            current.clear()

    def take_plain(lo: int, hi: int) -> None:
        for ellipsis in _ELLIPSIS.finditer(text, lo, hi):
            current.extend(_words(quote, lo, ellipsis.start()))
            close_run()
            lo = ellipsis.end()
        current.extend(_words(quote, lo, hi))

    depth = 0
    plain_from = 0
    for i, ch in enumerate(text):
        if ch == "[":
            if depth == 0:
                take_plain(plain_from, i)
                close_run()
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                plain_from = i + 1
    if depth != 0:
        return None
    take_plain(plain_from, len(text))
    if current:
        runs.append(tuple(current))
    return _ParsedQuote(tuple(runs), has_marks)
