"""Free text from people: cleaned on the way in, stored as plain text."""

from __future__ import annotations

import html
import re
import unicodedata

import bleach

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """Strip markup and control characters; what is left is plain text to be escaped on output.

    Cleaning repeats until nothing changes, so an escaped tag (``&lt;b&gt;``) cannot turn
    into markup after unescaping.
    """
    if not value:
        return ""
    # Control characters go first: bleach's parser would turn each into a "?" that then looks typed.
    text = _CONTROL.sub("", _SURROGATES.sub("", value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(5):
        cleaned = html.unescape(bleach.clean(text, tags=set(), attributes={}, strip=True, strip_comments=True))
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
