"""Free text from people: cleaned on the way in, stored as plain text."""

from __future__ import annotations

import html
import re
import unicodedata

import bleach
from flask_babel import format_number
from flask_babel import lazy_gettext as _l

# HTML's element names (WHATWG HTML, plus the obsolete ones browsers still parse). Only these are markup: "<tito>"
# or "<pangalan>", typed by someone keeping a name out of their words, stays as written.
_ELEMENTS = (
    "a abbr acronym address applet area article aside audio b base basefont bdi bdo big blink blockquote body br"
    " button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em"
    " embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html"
    " i iframe img input ins kbd label legend li link main map mark marquee math menu meta meter nav noembed"
    " noframes noscript object ol optgroup option output p param picture plaintext pre progress q rp rt ruby s samp"
    " script search section select slot small source span strike strong style sub summary sup svg table tbody td"
    " template textarea tfoot th thead time title tr track tt u ul var video wbr xmp"
).split()
_NOT_MARKUP = re.compile(rf"<(?!/?(?:{'|'.join(_ELEMENTS)})\b|!--)", re.IGNORECASE)
# Control characters, and invisible ones that make two names look alike or a name look empty: zero-width and
# direction marks, soft hyphen, word joiners, byte-order mark, Hangul and braille blanks, tag characters.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\u2800\u3164\ufeff\uffa0\ufffe\uffff\U000e0000-\U000e007f]"
    # The zero-width joiner too, except between two emoji, where it makes one of them: "woman" + "scales" is a judge.
    "|\u200d(?![\u2600-\u27bf\U0001f000-\U0001faff])|(?<![\u2600-\u27bf\ufe0f\U0001f000-\U0001faff])\u200d"
)
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """Strip markup and control characters; what is left is plain text to be escaped on output.

    Markup is HTML's own elements and comments; other words in angle brackets are kept as typed.

    Cleaning repeats until nothing changes, so an escaped tag (``&lt;b&gt;``) cannot turn
    into markup after unescaping.
    """
    if not value:
        return ""
    # Control characters go first: bleach's parser would turn each into a "?" that then looks typed.
    text = _CONTROL.sub("", _SURROGATES.sub("", value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(5):
        protected = _NOT_MARKUP.sub("&lt;", text)
        cleaned = html.unescape(bleach.clean(protected, tags=set(), attributes={}, strip=True, strip_comments=True))
        if cleaned == text:
            break
        text = cleaned
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    if not multiline:
        text = " ".join(text.split())
    else:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip()


def fold(value: str) -> str:
    """A comparison key: case-insensitive, spacing-insensitive."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


# Curly quotes and apostrophes, as phone keyboards type them, are the straight ones: "children’s" is "children's".
_STRAIGHT_QUOTES = str.maketrans({**dict.fromkeys("‘’‚‛′", "'"),
                                  **dict.fromkeys("“”„‟″", '"')})


def search_key(value: str) -> str:
    """What words are looked for in: ``fold``, letters without their accents ("Piñas" is found as "pinas"), and
    straight quotes."""
    if value.isascii():  # most words typed here: the same key, without the Unicode steps (a third of a search's time)
        return " ".join(value.lower().split())
    decomposed = unicodedata.normalize("NFKD", value.translate(_STRAIGHT_QUOTES))
    return fold("".join(char for char in decomposed if not unicodedata.combining(char)))


def search_terms(words: str) -> list[str]:
    """The words typed into a search box, each to be found (in any order, also inside longer words)."""
    return search_key(words).split()


class Count:
    """A number in a lazy message, said the reader's way ("10,000") when the message is read, not when it is
    made: limits are set once at import, their messages read in each person's language."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __str__(self) -> str:
        return format_number(self.value)


def too_long(written: int, limit: int):
    """Words over a limit, said with how many characters there are, so that the person knows how much to cut: the
    same in a form and in a service's own check."""
    return _l("You wrote %(written)s characters; use at most %(max)s.", written=Count(written), max=Count(limit))
