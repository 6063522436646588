"""Interface languages: Filipino (``fil``) and English. Babel reads ``tl`` as Filipino too."""

from __future__ import annotations

from collections.abc import Mapping

from flask import g, request, session
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import pgettext

LANGUAGES = ("fil", "en")
_ALIASES = {"tl": "fil", "fil": "fil", "en": "en"}


def normalize(code: str | None) -> str | None:
    if not code:
        return None
    return _ALIASES.get(code.replace("_", "-").split("-")[0].lower())


def select_locale() -> str:
    chosen = normalize(session.get("lang"))
    if chosen:
        return chosen
    participant = g.get("participant")
    if participant is not None:
        return participant.language
    for code, _quality in request.accept_languages:
        found = normalize(code)
        if found:
            return found
    return None  # Flask-Babel falls back to BABEL_DEFAULT_LOCALE


def current_language() -> str:
    return str(get_locale().language if get_locale().language in LANGUAGES else "en")


def in_language(record, field: str, language: str | None = None) -> tuple[str, str]:
    """Text of a bilingual field in the wanted language, falling back to the other one.

    Returns ``(text, lang)`` so the template can mark a fallback with its own ``lang``.
    """
    language = language or current_language()
    other = "en" if language == "fil" else "fil"
    def value(lang: str) -> str:
        name = f"{field}_{lang}"
        found = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
        return found or ""

    text = value(language)
    if text.strip():
        return text, language
    return value(other), other


def long_date(value) -> str:
    return format_date(value, format="long")


def status_label(status: str) -> str:
    """Human words for every status a person can see, in the page's language."""
    labels = {
        "draft": _("Draft"),
        "open": pgettext("roundtable status", "Open"),
        "closed": _("Closed"),
        "archived": _("Archived"),
        "submitted": _("Submitted"),
        "released": _("Released to curation"),
        "held": _("Held"),
        "withdrawn": _("Withdrawn"),
        "purged": _("Erased"),
        "awaiting_participant": _("Waiting for the author"),
        "approved": _("Approved"),
        "declined": _("Declined by the author"),
    }
    return labels.get(status, status)


def language_label(code: str | None) -> str:
    return {"fil": _("Filipino"), "en": _("English"), "mixed": _("Mixed (Taglish)")}.get(code or "", code or "")
