"""Interface languages: Filipino (``fil``) and English. Babel reads ``tl`` as Filipino too."""

from __future__ import annotations

from collections.abc import Mapping

from babel import dates as babel_dates
from babel.lists import format_list
from babel.units import format_unit
from flask import current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_babel import gettext as _
from flask_babel import refresh as refresh_babel
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from roundtable.services.roundtables import MIDNIGHT, ends_next_day

LANGUAGES = ("fil", "en")
_ALIASES = {"tl": "fil", "fil": "fil", "en": "en"}


def normalize(code: str | None) -> str | None:
    if not code or not isinstance(code, str):  # a cookie of another release, say: no language chosen
        return None
    return _ALIASES.get(code.replace("_", "-").split("-")[0].lower())


def select_locale() -> str | None:
    if not has_request_context():  # a command line, whose other output is in English too
        return "en"
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


def catalogue():
    """This request's translations, looked up once per request.

    Flask-Babel finds them again on every call (four context look-ups each); a list page makes
    hundreds of calls. Like Flask-Babel's own locale, the choice holds until ``refresh()``.
    """
    found = g.get("_catalogue")
    if found is None:
        found = g._catalogue = get_translations()
    return found


def refresh() -> None:
    """Choose the locale again, e.g. once we know who is asking."""
    refresh_babel()
    g.pop("_catalogue", None)
    g.pop("_labels", None)


def install_template_gettext(jinja_env) -> None:
    jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )


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


def select_time_zone() -> str:
    """The organisation's time zone for Flask-Babel's dates and times, and for ``clock``."""
    return current_app.config["TIME_ZONE"]


def staff_time(moment, *, seconds: bool = False) -> str:
    """A stored (UTC) moment on the organisation's clock, with its offset: "2026-12-03 09:41 +08:00"."""
    return format_datetime(moment, "yyyy-MM-dd HH:mm:ss xxx" if seconds else "yyyy-MM-dd HH:mm xxx")


def meeting_time(roundtable) -> str | None:
    """When a roundtable meets, in the reader's language ("Saturday, December 5, 2026, 2:00 – 4:00 PM"), or
    None when no day is set. Times are the room's clock, shown as they were entered: no time zone applies."""
    if roundtable.meets_on is None:
        return None
    day = format_date(roundtable.meets_on, format="full")
    starts, ends = roundtable.starts_at, roundtable.ends_at
    if starts is None:
        return day
    locale = get_locale()
    if ends is None:
        hours = time_of_day(starts)
    elif ends_next_day(starts, ends) or starts == MIDNIGHT:
        # "{0} – {1}", as Babel joins them: Babel's own interval is for one day, and reads "12:00–1:30 AM", noon
        hours = locale.interval_formats[None].format(time_of_day(starts), meeting_end(starts, ends))
    else:
        hours = babel_dates.format_interval(starts, ends, "hm", locale=locale)
    return _("%(day)s, %(hours)s", day=day, hours=hours)


def meeting_end(starts, ends) -> str:
    """When a meeting that starts at ``starts`` ends, in the reader's language: "4:30 PM", "12:00 midnight" ("12:00
    AM" is often taken for noon; both languages read "h:mm"), or "1:00 AM (next day)"."""
    if ends == MIDNIGHT:
        # Held to the time by a narrow no-break space, as Babel holds "AM" to it ("12:00\u202fAM"): a narrow screen
        # breaks the line before the time, not between it and the word.
        return _("%(time)s\u202fmidnight", time=babel_dates.format_time(ends, "h:mm", locale=get_locale()))
    if ends_next_day(starts, ends):
        # Held to the time, and together, by no-break spaces: a narrow screen does not leave "(next day)", or
        # "day)", alone at the start of a line, where it no longer says which time is the next day's.
        return _("%(time)s\u00a0(next\u00a0day)", time=time_of_day(ends))
    return time_of_day(ends)


def time_of_day(moment) -> str:
    """A time of day as the pages say it, in the reader's language: "4:30 PM"."""
    return babel_dates.format_time(moment, format="short", locale=get_locale())


def hours_and_minutes(minutes: int) -> str:
    """A length of time in the reader's language, in Babel's words: "13 hours and 30 minutes", "14 na oras"."""
    locale = get_locale()
    parts = divmod(minutes, 60)
    return format_list([format_unit(count, unit, length="long", locale=locale)
                        for count, unit in zip(parts, ("duration-hour", "duration-minute")) if count], locale=locale)


# Lazy, so a list of 25 rows translates 25 labels, not every label 25 times.
_STATUS_LABELS = {
    "draft": _l("Draft"),
    "open": lazy_pgettext("roundtable status", "Open"),
    "closed": _l("Closed"),
    "archived": _l("Archived"),
    "submitted": _l("Submitted"),
    "released": _l("Released to curation"),
    "held": _l("Held"),
    "withdrawn": _l("Withdrawn"),
    "purged": _l("Erased"),
    "awaiting_participant": _l("Waiting for the author"),
    "approved": _l("Approved"),
    "declined": _l("Declined by the author"),
}
_LANGUAGE_LABELS = {"fil": _l("Filipino"), "en": _l("English"), "mixed": _l("Mixed (Taglish)")}
ROLE_LABELS = {"admin": _l("Administrator"), "facilitator": _l("Facilitator"), "editor": _l("Editor")}


def status_label(status: str) -> str:
    """Human words for every status a person can see, in the page's language."""
    label = _STATUS_LABELS.get(status)
    return _translated_once(label) if label is not None else status


# A quote's status as its author reads it on "My words": about their own answer, not the staff's "the author".
_QUOTE_LABELS_FOR_THE_AUTHOR = {
    "awaiting_participant": _l("Waiting for your answer"),
    "declined": _l("You declined it"),
    "approved by them": _l("You approved it"),
}


def quote_label_for_the_author(quote) -> str:
    """The status of a quote of their words, said to its author (one approved by editors alone is "Approved")."""
    approved_by_them = quote.status == "approved" and quote.participant_approved_revision == quote.revision
    label = _QUOTE_LABELS_FOR_THE_AUTHOR.get("approved by them" if approved_by_them else quote.status)
    return _translated_once(label) if label is not None else status_label(quote.status)


def role_label(role: str) -> str:
    label = ROLE_LABELS.get(role)
    return _translated_once(label) if label is not None else role


def language_choices() -> list[tuple[str, str]]:
    """The languages words are written in, each with its name (read in the page's language when shown): the
    writing form, the export filter and the export files all name them alike."""
    return list(_LANGUAGE_LABELS.items())


def language_label(code: str | None) -> str:
    label = _LANGUAGE_LABELS.get(code or "")
    return _translated_once(label) if label is not None else (code or "")


# What the audit log's codes mean, for the admin who reads it. A code without a label is shown as it is.
_AUDIT_ACTIONS = {
    "consent.recorded": _l("Consent form answered (on joining, or a new version)"),
    "consent.granted": _l("Permission given"),
    "consent.revoked": _l("Permission taken back"),
    "consent.form_changed": _l("Consent form changed"),
    "export.created": _l("Quotes exported"),
    "notice.acknowledged": _l("Notice of a withdrawal after export read"),
    "participant.joined": _l("Joined a roundtable"),
    "participant.withdrawn": _l("Took back all their words"),
    "participant.words_erased": _l("Words erased at once"),
    "keys.rotated": _l("Stored text re-encrypted under the newest key"),
    "prompt.added": _l("Prompt added"),
    "prompt.updated": _l("Prompt changed"),
    "prompt.moved": _l("Prompt moved"),
    "prompt.removed": _l("Prompt removed"),
    "quote.created": _l("Quote made"),
    "quote.updated": _l("Quote edited"),
    "quote.discarded": _l("Draft quote discarded"),
    "quote.sent_for_review": _l("Quote sent to its author"),
    "quote.approved": _l("Quote approved"),
    "quote.approved_by_participant": _l("Quote approved by its author"),
    "quote.declined_by_participant": _l("Quote declined by its author"),
    "quote.withdrawn": _l("Quote withdrawn"),
    "quote.source_held": _l("Exported quote's reflection held back"),
    "quote.detail_flagged": _l("Identifying detail found in an exported quote"),
    "quote.changed_after_export": _l("Exported quote changed"),  # what of it: ``quote_parts_label``
    "quote.put_to_author_after_export": _l("Exported quote put to its author for review"),
    "quote.finding_redacted": _l("Identifying detail taken out of a quote"),
    "quote.finding_kept": _l("Flagged detail kept, with a reason"),
    "reflection.saved": _l("Draft saved"),
    "reflection.submitted": _l("Reflection submitted"),
    "reflection.released": _l("Released to the editors"),
    "reflection.held": _l("Held back"),
    "reflection.deleted": _l("Reflection deleted by its author"),
    "reflection.note_saved": _l("Private note saved"),
    "retention.purged": _l("Words erased after the retention date"),
    "roundtable.created": _l("Roundtable created"),
    "roundtable.updated": _l("Roundtable changed"),
    "roundtable.open": _l("Roundtable opened"),
    "roundtable.closed": _l("Roundtable closed"),
    "roundtable.archived": _l("Roundtable archived"),
    "roundtable.handed_over": _l("Roundtable handed to another facilitator"),
    "roundtable.sensitive_terms_changed": _l("Sensitive words changed"),
    "staff.created": _l("Staff account created"),
    "staff.activated": _l("Staff account activated"),
    "staff.renamed": _l("Staff account's display name changed"),
    "staff.deactivated": _l("Staff account deactivated"),
    "staff.login": _l("Password accepted"),  # recorded before the second factor: a sign-in may still fail there
    "staff.login_failed": _l("Sign-in failed"),
    "staff.logout": _l("Signed out"),
    "staff.password_changed": _l("Password changed"),
    "staff.password_confirmation_failed": _l("Password confirmation failed"),
    "staff.recovery_code_used": _l("Recovery code used"),
    "staff.recovery_codes_replaced": _l("Recovery codes replaced (set-up confirmed twice)"),
    "staff.roles_changed": _l("Roles changed"),
    "staff.second_factor_enrolled": _l("Two-step sign-in set up"),
    "staff.second_factor_failed": _l("Wrong two-step sign-in code"),
    "staff.second_factor_passed": _l("Two-step sign-in code accepted"),
    "staff.second_factor_reset": _l("Two-step sign-in reset"),
    "theme.added": _l("Theme added"),
    "theme.renamed": _l("Theme renamed"),
    "theme.removed": _l("Theme removed"),
}
# Who acted, and on what: audit events name a kind of record and its number, never its content.
# A staff member acting and a staff account acted on are one kind of record, named alike on one row.
_STAFF_ACCOUNT = _l("Staff account")
_AUDIT_RECORDS = {
    "staff": _STAFF_ACCOUNT,
    "system": _l("System"),
    "user": _STAFF_ACCOUNT,
    "participant": _l("Participant"),
    "roundtable": _l("Roundtable"),
    "prompt": _l("Prompt"),
    "reflection": _l("Reflection"),
    "quote": _l("Quote"),
    "theme": _l("Theme"),
    "export": lazy_pgettext("audit record", "Export"),
    "consentrecord": _l("Consent record"),
}


# What of a quote changed (``audit.QUOTE_PARTS``), as its notice and the audit log name it.
_QUOTE_PARTS = {
    "words": lazy_pgettext("what of a quote changed", "words"),
    "translation": lazy_pgettext("what of a quote changed", "translation"),
    "attribution": lazy_pgettext("what of a quote changed", "attribution"),
    "language": lazy_pgettext("what of a quote changed", "language"),
}


def quote_parts_label(parts) -> str:
    """ "words and attribution": the parts of a quote named, in the page's language."""
    return format_list([_translated_once(_QUOTE_PARTS[part]) for part in parts if part in _QUOTE_PARTS],
                       locale=get_locale())


def audit_action_label(code: str) -> str:
    label = _AUDIT_ACTIONS.get(code)
    return _translated_once(label) if label is not None else code


def audit_record_label(kind: str | None, number: int | None) -> str:
    """ "Quote #12", "Kalahok #16", "System": a kind of record in the page's language, and its number."""
    if not kind:
        return ""
    label = _AUDIT_RECORDS.get(kind)
    name = _translated_once(label) if label is not None else kind
    return f"{name} #{number}" if number is not None else name


def _translated_once(label) -> str:
    """A label repeated on every row of a list is translated once per request."""
    done = g.setdefault("_labels", {})
    key = id(label)  # a lazy string hashes by its translation, which is what we want to avoid
    if key not in done:
        done[key] = str(label)
    return done[key]
