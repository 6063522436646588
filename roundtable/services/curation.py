"""Editors turn released reflections into quotes. Every read goes through ``consent``'s rule."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from roundtable.db import db, utcnow
from roundtable.models import Participant, Quote, Reflection, Theme, User
from roundtable.services import audit, consent, fidelity
from roundtable.services.errors import Conflict, NotFound, RuleViolation
from roundtable.services.pagination import Page, paginate

QUOTE_MAX = 2_000
DEFAULT_DESCRIPTOR = "survivor leader"


def reflections(*, roundtable_id: int | None = None, language: str | None = None,
                page: int = 1, per_page: int = 25) -> Page:
    query = consent.reflections_with_authors().where(consent.curatable_reflection())
    if roundtable_id:
        query = query.where(Participant.roundtable_id == roundtable_id)
    if language:
        query = query.where(Reflection.language == language)
    query = query.options(selectinload(Reflection.participant), selectinload(Reflection.prompt))
    return paginate(query.order_by(Reflection.id.desc()), page, per_page)


def reflection(reflection_id: int) -> Reflection:
    found = db.session.get(Reflection, reflection_id)
    if found is None or not consent.may_quote_reflection(found):
        raise NotFound(_l("That reflection is not available for quoting."))
    return found


def quotes(*, roundtable_id: int | None = None, language: str | None = None, status: str | None = None,
           theme_id: int | None = None, page: int = 1, per_page: int = 25) -> Page:
    """Quotes an editor may see: only those of reflections the rule still allows."""
    query = consent.quotes_with_authors().where(consent.curatable_reflection(), Quote.status != "withdrawn")
    if roundtable_id:
        query = query.where(Participant.roundtable_id == roundtable_id)
    if language:
        query = query.where(Quote.language == language)
    if status:
        query = query.where(Quote.status == status)
    if theme_id:
        query = query.where(Quote.themes.any(Theme.id == theme_id))
    query = query.options(
        selectinload(Quote.themes), selectinload(Quote.reflection).selectinload(Reflection.participant)
    )
    return paginate(query.order_by(Quote.id.desc()), page, per_page)


def quote(quote_id: int) -> Quote:
    found = db.session.get(Quote, quote_id)
    if found is None or found.status == "withdrawn" or not consent.may_quote_reflection(found.reflection):
        raise NotFound(_l("That quote is not available."))
    return found


def create_quote(editor: User, source: Reflection, *, text: str, language: str, translation: str | None,
                 translation_language: str | None, descriptor: str, themes: list[Theme] = ()) -> Quote:
    if not consent.may_quote_reflection(source):
        raise RuleViolation(_l("The author's consent does not allow quoting this reflection."))
    _check_words(text, translation)
    new = Quote(
        reflection_id=source.id,
        reflection=source,
        text=text,
        language=language,
        translation=translation or None,
        translation_language=translation_language if translation else None,
        descriptor=descriptor or DEFAULT_DESCRIPTOR,
        status="draft",
        revision=1,
        created_by_id=editor.id,
        themes=list(themes),
    )
    db.session.add(new)
    db.session.flush()
    audit.record("quote.created", actor=editor, target=new)
    return new


def update_quote(editor: User, target: Quote, *, expected_version: int, text: str, language: str,
                 translation: str | None, translation_language: str | None, descriptor: str,
                 themes: list[Theme] = ()) -> Quote:
    """Save an editor's changes; if someone saved in between, raise Conflict and change nothing."""
    if target.version_id != expected_version:
        raise Conflict(_l("Another editor saved this quote while you were editing it."))
    _check_words(text, translation)
    words_changed = (text, translation or None) != (target.text, target.translation)
    target.text = text
    target.language = language
    target.translation = translation or None
    target.translation_language = translation_language if translation else None
    target.descriptor = descriptor or DEFAULT_DESCRIPTOR
    target.themes = list(themes)
    if words_changed:
        target.revision += 1
        if target.status in ("approved", "awaiting_participant", "declined"):
            target.status = "draft"
            target.approved_at = None
            target.approved_by_id = None
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_l("Another editor saved this quote while you were editing it.")) from None
    audit.record("quote.updated", actor=editor, target=target)
    return target


def approve(editor: User, target: Quote) -> None:
    """Approve a quote, or send it to its author first when they asked to review quotes."""
    if target.status == "declined" and target.participant_approved_revision != target.revision:
        raise RuleViolation(_l("The author declined this quote. It cannot be approved over their decision."))
    if not consent.may_quote_reflection(target.reflection):
        raise RuleViolation(_l("The author's consent does not allow quoting this reflection."))
    problem = fidelity_message(fidelity_of(target))
    if problem:
        raise RuleViolation(problem)
    if consent.author_requires_review(target.reflection.participant) and target.participant_approved_revision != target.revision:
        target.status = "awaiting_participant"
        audit.record("quote.sent_for_review", actor=editor, target=target)
        return
    target.status = "approved"
    target.approved_at = utcnow()
    target.approved_by_id = editor.id
    audit.record("quote.approved", actor=editor, target=target)


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.name_en)))


def themes_by_ids(ids: list[int]) -> list[Theme]:
    if not ids:
        return []
    return list(db.session.scalars(select(Theme).where(Theme.id.in_(ids))))


def _check_words(text: str, translation: str | None) -> None:
    if not text:
        raise RuleViolation(_l("A quote needs words."))
    if len(text) > QUOTE_MAX or len(translation or "") > QUOTE_MAX:
        raise RuleViolation(_l("Please keep it under %(n)d characters.", n=QUOTE_MAX))


def fidelity_of(target: Quote) -> fidelity.FidelityResult:
    return fidelity.check(target.text or "", target.reflection.text or "")


def fidelity_message(result: fidelity.FidelityResult) -> str | None:
    """Why a quote is not faithful to the reflection, in the editor's language; None when it is."""
    if result.ok:
        return None
    detail = result.detail or ""
    messages = {
        "empty": lambda: _("The quote is empty."),
        "no_words": lambda: _("The quote has no words."),
        "only_editorial": lambda: _("The quote has only editorial marks and no words of the author."),
        "unbalanced_brackets": lambda: _("A square bracket is opened or closed without its partner."),
        "out_of_order": lambda: _("These words are in the reflection, but not in this order: %(detail)s.", detail=detail),
    }
    default = lambda: _(  # noqa: E731
        "These words are not in the reflection as written: %(detail)s. Mark any gap with an ellipsis (…).",
        detail=detail,
    )
    return messages.get(result.problem or "", default)()


def add_theme(editor: User, name_en: str, name_fil: str) -> Theme:
    existing = db.session.scalar(select(Theme).where((Theme.name_en == name_en) | (Theme.name_fil == name_fil)))
    if existing is not None:
        raise RuleViolation(_l("A theme with that name exists already."))
    theme = Theme(name_en=name_en, name_fil=name_fil)
    db.session.add(theme)
    db.session.flush()
    audit.record("theme.added", actor=editor, target=theme)
    return theme
