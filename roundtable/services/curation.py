"""Editors turn released reflections into quotes. Every read goes through ``consent``'s rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import flag_modified

from roundtable.db import constant, db, flush_or_refuse, lock_and_reread, utcnow
from roundtable.models import Participant, Quote, QuoteFindingDecision, Reflection, Roundtable, Theme, User
from roundtable.models.quotes import LIVE_STATUSES, quote_themes
from roundtable.services import audit, consent, crypto, fidelity, identifiers, listing, notices, participation, roundtables
from roundtable.services.errors import Conflict, Gone, NotFound, RuleViolation
from roundtable.services.pagination import Page, paginate
from roundtable.services.text import fold, search_key, search_terms, too_long

QUOTE_MAX = 2_000
DEFAULT_DESCRIPTOR = "survivor leader"


class NotReady(RuleViolation):
    """The quote is not ready to approve, for reasons its page shows (words not in the reflection, a translation,
    details still to decide). The message may quote its words: show it on a page, never in a cookie."""


def past_retention(reflection: Reflection) -> bool:
    """Past its roundtable's retention date a reflection stays only as the source of a quote already approved:
    nothing new is made of it."""
    return roundtables.past_retention(reflection.participant.roundtable)


def _past_retention_refused() -> RuleViolation:
    return RuleViolation(_l("This roundtable's retention date has passed: nothing new can be quoted from its words."))


# Every cause is named, whichever it was: which one is not an editor's to know (a hold of a quote never exported
# raises no notice).
def _reflection_gone() -> Gone:
    return Gone(_l("That reflection is no longer available for quoting: its author may have taken it back, or a "
                   "facilitator is holding it back for now."))


def _quote_gone() -> Gone:
    return Gone(_l("That quote is no longer available: its author may have taken their words back, an editor "
                   "discarded it as a draft, or a facilitator is holding its reflection back for now."))


def _still_quotable(target: Quote) -> None:
    """Take turns with the author's changes, then refuse if the quote or its reflection left the editors' sight
    meanwhile: nothing is written on words taken back, and the page that follows does not show them."""
    participation.wait_for_the_author(target.reflection)
    db.session.refresh(target)
    if target.status == "withdrawn" or not consent.may_quote_reflection(target.reflection):
        raise _quote_gone()


def reflections(*, roundtable_id: int | None = None, language: str | None = None, words: str | None = None,
                page: int = 1, per_page: int = 25) -> Page:
    """Reflections an editor may quote; with ``words``, only those that hold each of them."""
    still_kept = select(Roundtable.id).where(roundtables.within_retention())
    query = consent.reflections_with_authors().where(
        consent.curatable_reflection(), Participant.roundtable_id.in_(still_kept)
    )
    if roundtable_id:
        query = query.where(Participant.roundtable_id == roundtable_id)
    if language:
        query = query.where(Reflection.language == language)
    if terms := search_terms((words or "")[:SEARCH_LIMIT]):
        said = query.with_only_columns(Reflection.id, Reflection.text).order_by(*listing.REFLECTION_ORDER)
        found, looked_through_all = _holding(said, terms)
        return listing.page_of_reflections_among(query, found, page, per_page, looked_through_all=looked_through_all)
    return listing.page_of_reflections(query, page, per_page)


def reflection(reflection_id: int) -> Reflection:
    found = db.session.get(Reflection, reflection_id)
    if found is None or not consent.may_quote_reflection(found) or past_retention(found):
        raise _reflection_gone()
    return found


# Characters of a search an editor types that are looked for; the rest is left out.
SEARCH_LIMIT = 200
# The newest rows a search looks through, of those the other filters leave: each is decrypted to be looked at
# (about 0.1 s a thousand reflections, docs/benchmarks.md), and a request must not hold a worker for long.
SEARCHED_ROWS = 10_000


def quotes(*, roundtable_id: int | None = None, language: str | None = None, status: str | None = None,
           theme_id: int | None = None, words: str | None = None, page: int = 1, per_page: int = 25) -> Page:
    """Quotes an editor may see: only those of reflections the rule still allows; with ``words``, only those
    whose text or translation holds each of them.

    The list shows who said it, never the reflection's own words: those are not read nor decrypted.
    """
    query = _seen_by_editors()
    if roundtable_id:
        query = query.where(Participant.roundtable_id == roundtable_id)
    if language:
        query = query.where(Quote.language == language)
    if status in LIVE_STATUSES:  # anything else, typed into the address, filters nothing
        query = query.where(Quote.status == constant(status))
    if theme_id:
        query = query.where(Quote.themes.any(Theme.id == theme_id))
    if terms := search_terms((words or "")[:SEARCH_LIMIT]):
        said = query.with_only_columns(Quote.id, Quote.text, Quote.translation).order_by(Quote.id.desc())
        found, looked_through_all = _holding(said, terms)
        return listing.page_of_quotes_among(query, found, page, per_page, looked_through_all=looked_through_all)
    return listing.page_of_quotes(query, page, per_page)


def words_looked_for(typed: str) -> str:
    """What of a search typed is looked for: its first ``SEARCH_LIMIT`` characters, or nothing when they hold no
    word (only spaces, or accents on their own)."""
    looked_for = typed[:SEARCH_LIMIT].strip()
    return looked_for if search_terms(looked_for) else ""


def _holding(said, terms: list[str]) -> tuple[list[int], bool]:
    """The ids of the rows ``said`` selects (an id, then texts) whose texts together hold every term, in its order,
    among its first ``SEARCHED_ROWS``; and whether those were all it selects. The words are stored encrypted, so the
    database cannot look: each row is read and looked through here, in one pass."""
    found = []
    for seen, (row_id, *texts) in enumerate(db.session.execute(said.limit(constant(SEARCHED_ROWS + 1)))):
        if seen == SEARCHED_ROWS:
            return found, False
        looked_in = search_key("\n".join(text or "" for text in texts))
        if all(term in looked_in for term in terms):
            found.append(row_id)
    return found, True


def _seen_by_editors():
    """Quotes of reflections the rule still allows, not withdrawn: what any editor's page may show or count.
    Past its roundtable's retention date only an approved quote is left (what the daily purge keeps), before that
    purge has run too. (The rule is already checked here: repeating ``consent.exportable_quote`` in the OR tripled
    the time of the theme counts.)"""
    still_kept = select(Roundtable.id).where(roundtables.within_retention())
    return consent.quotes_with_authors().where(
        consent.curatable_reflection(), Quote.status != constant("withdrawn"),
        or_(Participant.roundtable_id.in_(still_kept), Quote.status == constant("approved")),
    )


def quote(quote_id: int) -> Quote:
    found = db.session.get(Quote, quote_id)
    if (
        found is None
        or found.status == "withdrawn"
        or not consent.may_quote_reflection(found.reflection)
        or (past_retention(found.reflection) and found.status != "approved")
    ):
        raise _quote_gone()
    return found


def _not_quoted_already(source: Reflection, text: str) -> None:
    """The same words of one reflection are one quote: twice, they would be approved and exported twice."""
    for quote in db.session.scalars(select(Quote).where(Quote.reflection_id == source.id, Quote.status != "withdrawn")):
        if not fidelity.same_words(quote.text or "", text):
            continue
        if quote.status == "declined":
            raise RuleViolation(_l("Its author declined these words in quote number %(n)s: they are not quoted again.",
                                   n=quote.id), field="text")
        raise RuleViolation(_l("These words are quoted already: quote number %(n)s.", n=quote.id), field="text")


def create_quote(editor: User, source: Reflection, *, text: str, language: str, translation: str | None,
                 translation_language: str | None, descriptor: str, themes: list[Theme] = ()) -> Quote:
    participation.wait_for_the_author(source)
    if not consent.may_quote_reflection(source):
        raise _reflection_gone()
    if past_retention(source):
        raise _past_retention_refused()
    _check_words(text, translation)
    descriptor = _checked_descriptor(descriptor, source)
    _not_quoted_already(source, text)
    new = Quote(
        reflection_id=source.id,
        reflection=source,
        text=text,
        language=language,
        translation=translation or None,
        translation_language=translation_language_for(language) if translation else None,
        descriptor=descriptor,
        status="draft",
        revision=1,
        created_by_id=editor.id,
        themes=list(themes),
    )
    db.session.add(new)
    db.session.flush()
    refresh_findings(new)
    audit.record("quote.created", actor=editor, target=new)
    return new


def update_quote(editor: User, target: Quote, *, expected_version: int, text: str, language: str,
                 translation: str | None, translation_language: str | None, descriptor: str,
                 themes: list[Theme] = ()) -> Quote:
    """Save an editor's changes; if someone saved in between, raise Conflict and change nothing."""
    _still_quotable(target)  # changed words may be put to them, as by ``approve``
    if past_retention(target.reflection):  # a changed quote would need an approval it can no longer get
        raise _past_retention_refused()
    if target.version_id != expected_version:
        raise Conflict(_l("Its author declined this quote while you were editing it.") if target.status == "declined"
                       else _l("Another editor saved this quote while you were editing it."))
    _check_words(text, translation)
    _translation_follows_the_language(target, language, translation)
    descriptor = _checked_descriptor(descriptor, target.reflection)
    # The translation, the attribution and the language are published with the words: a change to them needs a new
    # approval too. What an export carried is not what is published now: these, or (to an author who approves them)
    # its themes; its notice says which.
    changed = tuple(part for part, now, before in (
        ("words", text, target.text), ("translation", translation or None, target.translation),
        ("attribution", descriptor, target.descriptor), ("language", language, target.language),
    ) if now != before)
    words_changed = bool(changed)
    themes_changed = {theme.id for theme in themes} != {theme.id for theme in target.themes}
    if themes_changed:
        # Only the link table changes: the row is written anyway, so its version moves and a second editor's
        # page, opened before, is refused instead of quietly putting the old themes back.
        flag_modified(target, "descriptor")
        # The author who reviews quotes approves them with their themes, which are published beside the words
        # ("Family perpetrators" says something about them); what an editor tags for others is the editor's.
        words_changed = words_changed or _themes_seen_by_the_author(target)
    target.text = text
    target.language = language
    target.translation = translation or None
    target.translation_language = translation_language_for(language) if translation else None
    target.descriptor = descriptor
    target.themes = list(themes)
    if words_changed:
        _approve_again(editor, target, changed)
    flush_or_refuse(Conflict(_l("Another editor saved this quote while you were editing it.")))
    audit.record("quote.updated", actor=editor, target=target)
    return target


def _approve_again(editor: User, target: Quote, changed: tuple[str, ...] = ()) -> None:
    """What is published of a quote changed (``changed``: its words, translation, attribution, language; or else
    themes its author sees): it is a new revision, and what was approved, put to the author or declined needs a new
    approval. An exported quote is pulled: ``notices.CHANGED``, naming what changed, when an export holds what is
    no longer approved; ``notices.PUT_TO_AUTHOR`` when only its themes changed (the words may be used again once
    approved)."""
    target.revision += 1
    refresh_findings(target)
    if target.status == "approved":  # what an export carried is not what is approved any more
        notices.pulled(target, notices.CHANGED if changed else notices.PUT_TO_AUTHOR, actor=editor, changed=changed)
    elif changed:  # out of use already (a draft again too), as exported: no longer what was
        notices.words_changed_while_pulled(target, changed, actor=editor)
    if target.status not in ("approved", "awaiting_participant", "declined"):
        return
    # The author's approval, when they asked to review quotes, and always once the quote was put to them: what the
    # author was asked about, or declined, they answer again. They are asked only about words fit to approve;
    # until the editor makes them so, the quote is a draft.
    owed = target.status != "approved"
    to_author = owed or consent.author_requires_review(target.reflection.participant)
    ready = to_author and _fit_for_the_author(target)
    target.status = "awaiting_participant" if ready else "draft"
    target.back_to_author = owed and not ready
    target.approved_at = None
    target.approved_by_id = None
    if ready:
        audit.record("quote.sent_for_review", actor=editor, target=target)


def approve(editor: User, target: Quote, *, seen_version: int | None = None) -> None:
    """Approve a quote, or send it to its author first when they asked to review quotes. Approved already, or sent to
    its author since the page was opened (a double click: the second waits for the first at the author's turn, then
    finds it done), it stays as it is. ``seen_version``: the quote as the page showed it (its words, the decisions on
    its details); changed since, it is read again before approving."""
    _still_quotable(target)
    changed = seen_version is not None and seen_version != target.version_id
    if target.status == "approved" or (changed and target.status == "awaiting_participant"):
        return
    if target.status == "declined" and target.participant_approved_revision != target.revision:
        raise RuleViolation(_l("The author declined this quote. It cannot be approved over their decision."))
    if changed:
        raise RuleViolation(_l("This quote changed after you opened this page. Read it again, then approve."))
    if target.status == "awaiting_participant" and target.participant_approved_revision != target.revision:
        raise RuleViolation(_l("This quote waits for its author's answer."))
    if _put_to_author_already(target):
        raise RuleViolation(_l("The author declined these words, or has not answered yet: only they can approve them."))
    if past_retention(target.reflection):
        raise _past_retention_refused()
    _checked_descriptor(target.descriptor, target.reflection)  # a sensitive word added since it was saved, say
    problem = _not_ready(target)
    if problem:
        raise NotReady(problem)
    to_author = target.back_to_author or consent.author_requires_review(target.reflection.participant)
    if to_author and target.participant_approved_revision != target.revision:
        target.status = "awaiting_participant"
        target.back_to_author = False
        audit.record("quote.sent_for_review", actor=editor, target=target)
        return
    target.status = "approved"
    target.approved_at = utcnow()
    target.approved_by_id = editor.id
    audit.record("quote.approved", actor=editor, target=target)


def discard_draft(editor: User, target: Quote, *, seen_version: int) -> None:
    """Delete a draft that will not be used (its words are not the author's, say): kept, it would wait on the list
    for good and be counted among the quotes its author is told are "being made" of their words. Only a draft that
    is the editors' alone goes: not one its author was asked about (what they said of it stays), nor one an export
    carried (past exports and their notices name it by its number). ``seen_version``: the draft as the page showed
    it; changed since, it is read again first."""
    _still_quotable(target)
    if (kept := _why_kept(target)) is not None:
        raise kept
    if seen_version != target.version_id:
        raise _changed_before_discarded()
    audit.record("quote.discarded", actor=editor, target=target)
    db.session.execute(delete(QuoteFindingDecision).where(QuoteFindingDecision.quote_id == target.id))
    db.session.delete(target)  # and its rows of quote_themes, as the relationship's secondary table
    flush_or_refuse(_changed_before_discarded())


def _changed_before_discarded() -> RuleViolation:
    return RuleViolation(_l("This quote changed after you opened this page. Read it again, then discard it."))


def discardable(target: Quote) -> bool:
    """Whether its page offers to discard the quote (``discard_draft`` checks again when it is sent)."""
    return _why_kept(target) is None


def _why_kept(target: Quote) -> RuleViolation | None:
    if target.status != "draft":
        return RuleViolation(_l("Only a draft can be discarded, and this quote is no longer one. Read it again."))
    if target.back_to_author:
        return RuleViolation(_l("Its author was asked about an earlier version of this quote, so it is kept: they "
                                "will be asked about the new words once you approve them."))
    if notices.exported(target):
        return RuleViolation(_l("An export carried this quote, so it is kept: past exports and their notices name it "
                                "by its number."))
    return None


def _themes_seen_by_the_author(target: Quote) -> bool:
    """Whether the author approves this quote's themes too: they review quotes, or it was put to them."""
    return (target.status in ("awaiting_participant", "declined")
            or consent.author_requires_review(target.reflection.participant))


def _fit_for_the_author(target: Quote) -> bool:
    """What approval checks before words are put to their author (``approve`` says which check failed)."""
    return (consent.may_quote_reflection(target.reflection) and not _put_to_author_already(target)
            and _not_ready(target) is None)


def _not_ready(target: Quote) -> str | None:
    """Why these words may not be approved, or put to their author, yet: they are not the author's, a translation
    is missing, or an identifying detail waits for a decision."""
    problem = fidelity_message(fidelity_of(target)) or translation_problem(target)
    if problem:
        return problem
    pending = unresolved_findings(target)
    return unresolved_message(pending) if pending else None


_WORD = re.compile(r"\w+")


def _put_to_author_already(target: Quote) -> bool:
    """Words of another quote from the same reflection that its author declined or was asked about are in this one:
    a new quote of them (the same, trimmed, or with a word changed around them) would otherwise pass where that
    one may not. (Only authors and retention take a quote out of its author's hands: editors withdraw none.)"""
    in_authors_hands = db.session.scalars(select(Quote).where(
        Quote.reflection_id == target.reflection_id, Quote.id != target.id,
        or_(Quote.status.in_(("declined", "awaiting_participant")), Quote.back_to_author),
    ))
    words = _WORD.findall(fold(target.text or ""))
    source = target.reflection.text or ""
    kept = fidelity.word_places(target.text or "", source)
    for quote in in_authors_hands:
        asked = fidelity.word_places(quote.text or "", source)
        if kept[0] and asked[0]:  # both faithful: where in the reflection their words are decides
            if _shares_the_same_words_of_the_source(kept, asked):
                return True
        elif _shares_a_passage(words, _WORD.findall(fold(quote.text or ""))):
            return True
    return False


def _shares_a_passage(words: list[str], asked: list[str]) -> bool:
    """Half the words asked about, or half the new quote, are the same words in the same order (runs of three words
    or more: "I was", "in the", "sa akin" in common are everyday speech, not the same passage)."""
    if not words or not asked:
        return False
    blocks = SequenceMatcher(None, words, asked, autojunk=False).get_matching_blocks()
    shared = sum(block.size for block in blocks if block.size >= min(3, len(asked)))
    return shared * 2 >= min(len(words), len(asked))


def _shares_the_same_words_of_the_source(kept: tuple[frozenset[int], frozenset[int]],
                                         asked: tuple[frozenset[int], frozenset[int]]) -> bool:
    """Half of either quote is the very same words of the reflection, however it is cut (gaps every two words leave
    no run of three in common, yet publish what the author declined), wherever the new quote's words fit: a run
    of common words that also fits in another sentence is not counted as the declined one's."""
    declined = asked[0] | asked[1]
    shared = min(len(kept[0] & declined), len(kept[1] & declined))
    return shared * 2 >= min(len(kept[0]), len(asked[0]))


def themes(language: str = "en") -> list[Theme]:
    """Every theme, in the order of their names in ``language``: the choices of a filter or of a quote's themes."""
    return list(db.session.scalars(select(Theme).order_by(Theme.sort_column(language), Theme.id)))


def theme_page(number: int = 1, per_page: int = 50, language: str = "en") -> Page:
    """The themes page, in pages: the taxonomy grows with years of quotes."""
    return paginate(select(Theme).order_by(Theme.sort_column(language), Theme.id), number, per_page)


def themes_by_ids(ids: list[int]) -> list[Theme]:
    if not ids:
        return []
    return list(db.session.scalars(select(Theme).where(Theme.id.in_(ids))))


def _check_words(text: str, translation: str | None) -> None:
    if not text:
        raise RuleViolation(_l("A quote needs words."))
    for field, words in (("text", text), ("translation", translation or "")):
        if len(words) > QUOTE_MAX:
            raise RuleViolation(too_long(len(words), QUOTE_MAX), field=field)


# A number in a descriptor is an age, a year or a count ("survivor, 24", "born 1999", "youngest of five", "in her
# twenties", "ina ng dalawa"). ("One" and "isa", as in "one of the survivor leaders", say nothing about a person.)
_NUMBER_IN_WORDS = re.compile(
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|\w*teens?|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ies|hundreds?|thousands?|"
    r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\w+teenth|twentieth|thirtieth|"
    r"dalawa|tatlo|apat|lima|anim|pito|walo|siyam|sampu|labing\w*|dalawampu|tatlumpu|apatnapu|limampu|animnapu|"
    # "mother of twins" counts too.
    r"pitumpu|walumpu|siyamnapu|twins?|triplets?|quadruplets?|quads?|quintuplets?|sextuplets?|kambal)(?:ng|'t|’t)?\b",
    re.IGNORECASE,
)


_ROLE_WORDS = frozenset(_WORD.findall(DEFAULT_DESCRIPTOR))


def _names(descriptor: str, pseudonym: str) -> bool:
    """The pseudonym's words, in order, are in the descriptor: "sister of Sinag Umaga". A pseudonym of role words
    only ("Leader"), or of no word at all ("☆☆"), names no one there."""
    words = _WORD.findall(fold(pseudonym))
    if not words or set(words) <= _ROLE_WORDS:
        return False
    return f" {' '.join(words)} " in f" {' '.join(_WORD.findall(fold(descriptor)))} "


def _checked_descriptor(descriptor: str, source: Reflection) -> str:
    """The words printed after the pseudonym describe a role, never a person: nothing the detector would flag,
    no number, and no one else's pseudonym from the roundtable (which would link two people)."""
    descriptor = descriptor or DEFAULT_DESCRIPTOR
    roundtable = source.participant.roundtable
    others = db.session.scalars(select(Participant.pseudonym).where(
        Participant.roundtable_id == roundtable.id, Participant.id != source.participant_id))
    names_someone = any(_names(descriptor, pseudonym) for pseudonym in others)
    if (names_someone or _NUMBER_IN_WORDS.search(descriptor)
            or identifiers.detect(descriptor, extra_terms=sensitive_terms(roundtable))):
        raise RuleViolation(_l("The words after the pseudonym must not point to anyone: no name, pseudonym, place, "
                               "age, number, date or contact. For example: survivor leader."), field="descriptor")
    return descriptor


def fidelity_of(target: Quote) -> fidelity.FidelityResult:
    return fidelity.check(target.text or "", target.reflection.text or "")


def editors_words(target: Quote) -> list[str]:
    """The words in square brackets an editor added to a quote, each once, other than redaction labels and marks of
    an omission: the fidelity check does not look them up, so whoever approves is asked to read them again (an
    inserted "[no]" would turn what the author said around)."""
    labels = {label for pair in (*REDACTION_LABELS.values(), OTHER_DETAIL_LABELS) for label in pair}
    added = []
    for bracketed in re.findall(r"\[[^\[\]]*\]", target.text or ""):
        if bracketed not in labels and bracketed not in added and bracketed.strip("[]. …"):
            added.append(bracketed)
    return added


# Words that turn a statement around, in both languages (as the fidelity check compares them: case folded, one
# apostrophe). Left out at "…", they may make the author say the opposite ("Justice is … the verdict").
_NEGATIONS = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "nor", "neither", "cannot", "without",
    "hardly", "barely", "rarely", "seldom",
    # contractions typed without their apostrophe ("I dont think")
    "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "wont", "wouldnt",
    "shouldnt", "hasnt", "havent", "hadnt", "aint",
    "hindi", "di", "'di", "wala", "walang", "huwag", "'wag", "wag", "ayaw", "ayoko", "hinding-hindi", "hindi-hindi",
    # as texted
    "hinde", "indi", "wla", "hwag", "h'wag",
})


def negations_left_out(target: Quote) -> list[str]:
    """Words like "not" or "hindi" that the quote's omissions leave out of its reflection, each once: whoever
    approves is asked to read the quote again, as for words in brackets."""
    found = []
    for word in fidelity.left_out(target.text or "", target.reflection.text or ""):
        if (word in _NEGATIONS or word.endswith("n't")) and word not in found:
            found.append(word)
    return found


def marks_changed(target: Quote) -> list[str]:
    """Where the quote asks or exclaims and its reflection does not, or the other way round, said for whoever
    approves: the faithfulness check ignores punctuation."""
    return [
        _("“%(quote)s” where the reflection has “%(reflection)s”", quote=ours, reflection=theirs)
        for ours, theirs in fidelity.marks_changed(target.text or "", target.reflection.text or "")
    ]


def fidelity_message(result: fidelity.FidelityResult) -> str | None:
    """Why a quote is not faithful to the reflection, in the editor's language; None when it is."""
    if result.ok:
        return None
    # Every stretch of words not in the reflection ("“needs quiet rooms” and “people who believe us”"), not the first.
    detail = (format_list([f"“{words}”" for words in result.missing], locale=get_locale()) if result.missing
              else result.detail or "")
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


def _theme_name_taken(existing: Theme | None = None, name_en: str = "") -> RuleViolation:
    """Said beside the name that is taken: the English one, or else the Filipino one."""
    field = "name_fil" if existing is not None and existing.sort_key_en != search_key(name_en) else "name_en"
    return RuleViolation(_l("A theme with that name exists already."), field=field)


def _named(name_en: str, name_fil: str):
    """Themes with either name, whatever the case and accents ("healing" and "Healing", "Edukasyon" and "Édukasyon"
    would split one topic's counts): their sort keys are alike."""
    return (Theme.sort_key_en == search_key(name_en)) | (Theme.sort_key_fil == search_key(name_fil))


def add_theme(editor: User, name_en: str, name_fil: str) -> Theme:
    existing = db.session.scalar(select(Theme).where(_named(name_en, name_fil)).limit(1))
    if existing is not None:
        raise _theme_name_taken(existing, name_en)
    theme = Theme(name_en=name_en, name_fil=name_fil)
    db.session.add(theme)
    flush_or_refuse(_theme_name_taken())  # given by someone else since the check
    audit.record("theme.added", actor=editor, target=theme)
    return theme


# --- Themes: editors add, rename and remove them ---------------------------------------------

def theme(theme_id: int) -> Theme:
    found = db.session.get(Theme, theme_id)
    if found is None:
        raise NotFound(_l("That theme was not found."))
    return found


def theme_usage(theme_ids: list[int]) -> dict[int, int]:
    """How many quotes an editor may see carry each of these themes (a withdrawn quote, or one of a held or
    withdrawn reflection, is counted nowhere); a theme no such quote carries is left out."""
    if not theme_ids:
        return {}
    rows = db.session.execute(
        _seen_by_editors()
        .join(quote_themes, quote_themes.c.quote_id == Quote.id)
        .where(quote_themes.c.theme_id.in_(theme_ids))
        .with_only_columns(quote_themes.c.theme_id, func.count())
        .group_by(quote_themes.c.theme_id)
    )
    return {theme_id: count for theme_id, count in rows}


def rename_theme(editor: User, target: Theme, name_en: str, name_fil: str) -> int:
    """Rename a theme; returns how many quotes carrying it went back to their authors (see _put_to_authors_again)."""
    name_en, name_fil = (name_en or "").strip(), (name_fil or "").strip()
    if not name_en or not name_fil:
        raise RuleViolation(_l("Give the theme a name in Filipino and in English."))
    existing = db.session.scalar(select(Theme).where(Theme.id != target.id, _named(name_en, name_fil)).limit(1))
    if existing is not None:
        raise _theme_name_taken(existing, name_en)
    if (target.name_en, target.name_fil) == (name_en, name_fil):
        return 0
    target.name_en, target.name_fil = name_en, name_fil
    flush_or_refuse(_theme_name_taken())
    audit.record("theme.renamed", actor=editor, target=target)
    return _put_to_authors_again(editor, target)


def _put_to_authors_again(editor: User, target: Theme) -> int:
    """A theme renamed or taken off: the quotes carrying it whose authors approve their themes too (they review
    quotes, or were asked) are theirs to approve again, as after an editor's change to the quote. Returns how many.
    A declined quote stays declined: its author said no to these words, and is not asked about them again because
    a theme's name changed (a change to its words puts them to the author)."""
    labelled = (select(Quote).join(quote_themes, quote_themes.c.quote_id == Quote.id)
                .where(quote_themes.c.theme_id == target.id,
                       Quote.status.in_([constant("approved"), constant("awaiting_participant")])))
    # Their authors' turns first, all at once; then the quotes, as those authors' changes left them.
    participation.take_turns(Participant.id.in_(
        labelled.join(Reflection, Reflection.id == Quote.reflection_id).with_only_columns(Reflection.participant_id)))
    carrying = db.session.scalars(labelled.order_by(Quote.id).execution_options(populate_existing=True)).all()
    again = 0
    for quote in carrying:
        db.session.refresh(quote.reflection)
        if _themes_seen_by_the_author(quote):
            _approve_again(editor, quote)
            again += 1
    return again


def remove_theme(editor: User, target: Theme, *, detach: bool = False) -> tuple[int, int]:
    """Remove a theme. If quotes carry it, only with ``detach=True`` (the editor confirmed); returns how many carried
    it, and how many of them went back to their authors."""
    used = theme_usage([target.id]).get(target.id, 0)
    if used and not detach:
        raise RuleViolation(ngettext(
            "%(num)d quote carries this theme. Confirm that it should be taken off it.",
            "%(num)d quotes carry this theme. Confirm that it should be taken off them.", used,
        ))
    again = _put_to_authors_again(editor, target)  # counted in ``used`` or not (a held reflection's quote, say)
    db.session.execute(delete(quote_themes).where(quote_themes.c.theme_id == target.id))
    db.session.delete(target)
    db.session.flush()
    audit.record("theme.removed", actor=editor, target=target)
    return used, again


# --- Translation -----------------------------------------------------------------------------

def translation_language_for(language: str) -> str:
    """A Filipino or mixed quote is translated into English; an English quote into Filipino."""
    return "fil" if language == "en" else "en"


def _translation_follows_the_language(target: Quote, language: str, translation: str | None) -> None:
    """A quote changed into or out of English, its translation left as it was: it would be published, and
    exported, as a translation into the other language."""
    into = translation_language_for(language)
    if translation and translation == target.translation and target.translation_language not in (None, into):
        raise RuleViolation(_TRANSLATION_NOW_INTO[into], field="translation")


_TRANSLATION_NOW_INTO = {
    "en": _l("The quote's language changed, so its translation must now be into English: change the translation, "
             "or remove it."),
    "fil": _l("The quote's language changed, so its translation must now be into Filipino: change the translation, "
              "or remove it."),
}


def translation_problem(target: Quote) -> str | None:
    if target.language in ("fil", "mixed") and not (target.translation or "").strip():
        return _("A Filipino or mixed quote needs an English translation before it can be approved.")
    return None


# --- Identifying details in a quote ------------------------------------------------------------

FINDING_PURPOSE = "quote-finding"
KEEP_REASON_MAX = 300

REDACTION_LABELS = {
    "name": ("[name]", "[pangalan]"),
    "place": ("[place]", "[lugar]"),
    "contact": ("[contact]", "[contact]"),
    "handle": ("[account]", "[account]"),  # the same word in both: a quote and its translation read alike
    "age": ("[age]", "[edad]"),
    "date": ("[date]", "[petsa]"),
    "institution": ("[institution]", "[institusyon]"),
}

OTHER_DETAIL_LABELS = ("[detail]", "[detalye]")  # a detail of a kind not named above

KIND_LABELS = {
    "name": _l("name"),
    "place": _l("place"),
    "contact": _l("contact detail"),
    "handle": _l("online account"),
    "age": _l("age"),
    "date": _l("date"),
    "institution": _l("institution"),
}


def redaction_label(kind: str, language: str) -> str:
    """The bracketed label that replaces a redacted detail, in the quote's language (Taglish: Filipino)."""
    english, filipino = REDACTION_LABELS.get(kind, OTHER_DETAIL_LABELS)
    return english if language == "en" else filipino


@dataclass(frozen=True)
class FindingState:
    """One finding in the current words of a quote, with the editor's standing decision, if any."""

    index: int
    finding: identifiers.Finding
    digest: str
    decision: QuoteFindingDecision | None
    field: str = "text"  # or "translation": a name must not leave in the staff translation either

    @property
    def resolved(self) -> bool:
        return self.decision is not None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.finding.kind, self.finding.kind))


def sensitive_terms(target: Roundtable) -> list[str]:
    return [line.strip() for line in (target.sensitive_terms or "").splitlines() if line.strip()]


def sensitive_terms_from(text: str | None) -> list[str]:
    """The list typed one word or phrase a line: spaces tidied, repeats dropped, within the limits."""
    terms: list[str] = []
    for line in (text or "").splitlines():
        term = " ".join(line.split())
        if term and term.casefold() not in {t.casefold() for t in terms}:
            if len(term) > 100:
                raise RuleViolation(_l("Please keep each word or phrase under %(n)d characters.", n=100))
            terms.append(term)
    if len(terms) > 200:
        raise RuleViolation(_l("Please list at most %(n)d words or phrases.", n=200))
    return terms


def sensitive_terms_mark(target: Roundtable) -> str:
    """The list a page showed, as a keyed digest: an editor and a facilitator both keep it, and a save from a
    page opened before the other's would drop the words they added, and with them the check of every quote."""
    return _terms_mark(sensitive_terms(target))


def sensitive_terms_unchanged(text: str | None, read: str | None) -> bool:
    """Whether ``text`` is the list a page showed (``read``, its mark), however its lines were spaced."""
    return crypto.marks_match(read, _terms_mark(sensitive_terms_from(text)))


def _terms_mark(terms: list[str]) -> str:
    return crypto.lookup_digest("\n".join(terms), "sensitive-terms")


def set_sensitive_terms(actor, target: Roundtable, text: str | None, *, read: str | None) -> list[str]:
    """Replace a roundtable's list of sensitive words (one a line); the words are stored encrypted. ``read`` is
    the ``sensitive_terms_mark`` of the page the list was typed on. The roundtable's authors' turns come first
    (``participation.take_turns``): their quotes are read again after them."""
    participation.take_turns(Participant.roundtable_id == target.id)
    lock_and_reread(target)
    if not crypto.marks_match(read, sensitive_terms_mark(target)):
        raise Conflict(_l("The sensitive words were saved on another page after you opened this one. What is saved "
                          "now is shown under the box; your list is still in it. Combine them, then save again."),
                       field="sensitive_terms")
    terms = sensitive_terms_from(text)
    target.sensitive_terms = "\n".join(terms) or None
    for quote in db.session.scalars(
        select(Quote).join(Reflection).join(Participant).where(
            Participant.roundtable_id == target.id, Quote.text.is_not(None)
        ).options(contains_eager(Quote.reflection).contains_eager(Reflection.participant))
        .execution_options(populate_existing=True)
    ):
        before = quote.unresolved_findings
        refresh_findings(quote)
        if quote.unresolved_findings and not before:  # no longer exportable: editors pull it from what went out
            notices.pulled(quote, notices.DETAIL_FLAGGED, actor=actor)
    audit.record("roundtable.sensitive_terms_changed", actor=actor, target=target)
    return terms


QUOTE_FIELDS = ("text", "translation")


def finding_digest(finding: identifiers.Finding) -> str:
    return crypto.lookup_digest(f"{finding.kind}\x00{finding.text}", FINDING_PURPOSE)


def findings_of(target: Quote) -> list[FindingState]:
    """Run the detector over the quote's current words and its translation.

    A 'keep' counts while the same words are there, in either: a place kept in the Filipino quote
    may stay in its English translation too.
    """
    if not target.text:
        return []
    terms = sensitive_terms(target.reflection.participant.roundtable)
    decisions = {
        (d.kind, d.digest): d
        for d in db.session.scalars(select(QuoteFindingDecision).where(QuoteFindingDecision.quote_id == target.id))
    } if target.id else {}
    states = []
    for field in QUOTE_FIELDS:
        words = getattr(target, field) or ""
        for finding in identifiers.detect(words, extra_terms=terms):
            digest = finding_digest(finding)
            decision = decisions.get((finding.kind, digest)) or _kept_with_more_words(words, finding, decisions)
            states.append(FindingState(len(states), finding, digest, decision, field))
    return states


def _kept_with_more_words(text: str, finding: identifiers.Finding, decisions: dict) -> QuoteFindingDecision | None:
    """A 'keep' decided when the detector reported this detail with words around it ("When I was nine", where it now
    reports "nine"): what was kept then, these words with it, is kept still. Decisions stay keyed by the words
    they were made on."""
    if not decisions:
        return None
    before = [word.start() for word in re.finditer(r"\S+", text[:finding.start])][-4:]
    after = [finding.end + word.end() for word in re.finditer(r"\S+", text[finding.end:])][:4]
    for start in [*before, finding.start]:
        for end in [finding.end, *after]:
            wider = text[start:end].strip(" ,.;:!?\"“”()")
            if (start, end) != (finding.start, finding.end) and finding.text in wider:
                kept = decisions.get((finding.kind, finding_digest(identifiers.Finding(start, end, finding.kind, wider))))
                if kept is not None:
                    return kept
    return None


def refresh_findings(target: Quote) -> list[FindingState]:
    """Detect again and store how many details still wait for a decision."""
    states = findings_of(target)
    target.unresolved_findings = sum(1 for state in states if not state.resolved)
    return states


def unresolved_findings(target: Quote) -> list[FindingState]:
    return [state for state in findings_of(target) if not state.resolved]


def unresolved_message(pending: list[FindingState]) -> str:
    listed = ", ".join(f"{state.kind_label} “{state.finding.text}”" for state in pending)
    return _("Decide first what to do with each detail that could identify someone: %(list)s.", list=listed)


def highlight_findings(text: str, states: list[FindingState]) -> list[tuple[str, FindingState | None]]:
    """Split the quote into plain runs and finding runs, for <mark> highlighting."""
    segments: list[tuple[str, FindingState | None]] = []
    position = 0
    for state in sorted(states, key=lambda s: s.finding.start):
        start, end = state.finding.start, state.finding.end
        if start < position:
            continue
        if start > position:
            segments.append((text[position:start], None))
        segments.append((text[start:end], state))
        position = end
    if position < len(text):
        segments.append((text[position:], None))
    return segments


def _finding_at(target: Quote, index: int, digest: str, states: list[FindingState] | None = None) -> FindingState:
    for state in findings_of(target) if states is None else states:
        if state.index == index and state.digest == digest:
            return state
    raise RuleViolation(_l("The quote changed since you opened it. Please look at the details again."))


def redaction_label_of(target: Quote, state: FindingState) -> str:
    """The label that replaces a finding, in the language of the words it stands in."""
    language = target.translation_language if state.field == "translation" else target.language
    return redaction_label(state.finding.kind, language)


def redact_finding(editor: User, target: Quote, *, index: int, digest: str, expected_version: int) -> int:
    """Replace a finding's words by a bracketed label wherever the same detail is, in the quote and in its
    translation (one "Keep it" keeps them all; one press of "Replace" replaces them all); a change of words like any
    edit. Joined to more of its word ("taga-Cebu"), a label in the text the detail was found in takes that in too
    ("[taga-lugar]"): "taga-" alone is in no reflection. Returns how many places were replaced, in both texts."""
    states = findings_of(target)
    state = _finding_at(target, index, digest, states)
    words = {field: getattr(target, field) or "" for field in QUOTE_FIELDS}
    replaced = 0
    for field in QUOTE_FIELDS:
        text = words[field]
        language = target.translation_language if field == "translation" else target.language
        label = redaction_label(state.finding.kind, language)
        replaced_from = len(text)
        for start, end in sorted(_same_detail_in(text, field, state, states), reverse=True):
            whole_start, whole_end = fidelity.word_around(text, start, end) if field == state.field else (start, end)
            if whole_end > replaced_from:  # part of a word replaced already
                continue
            text = (text[:whole_start] + f"[{text[whole_start:start]}{label[1:-1]}{text[end:whole_end]}]"
                    + text[whole_end:])
            replaced_from = whole_start
            replaced += 1
        words[field] = text
    update_quote(
        editor, target, expected_version=expected_version, text=words["text"], language=target.language,
        translation=words["translation"] or None, translation_language=target.translation_language,
        descriptor=target.descriptor, themes=list(target.themes),
    )
    audit.record("quote.finding_redacted", actor=editor, target=target)
    return replaced


def _same_detail_in(text: str, field: str, redacted: FindingState, states: list[FindingState]) -> set[tuple[int, int]]:
    """Where the detail redacted is in ``text`` (the quote's ``field``): where the detector finds the same detail.
    Where it reads the same word as something else, the word stays, in either text: the dress in "Maria Clara gowns",
    a town found as a place of its own ("Santa Maria"). Where it passes over the word, the word stays in the text the
    detail was found in ("I post about kindness" after "IG: kindness"); in the other text, a name, a place, an account
    written the same way goes too (the detector may miss the English "Grace" that it found after the Filipino "ni"): a
    name redacted in the Filipino words must not leave in the English translation. Written the same way, capitals and
    all: "by God's grace" is no name. An age ("nine", "siyam") and a number alone ("9") are ordinary words elsewhere
    ("at nine in the morning", "alas-nuwebe", "siyam na tao ang dumalo", "Branch 9"): they go only where the detector
    finds the same age."""
    here = [each.finding for each in states if each.field == field]
    found = {(each.start, each.end) for each in here if _same_detail(each, redacted.finding)}
    if field == redacted.field or not _points_wherever_written(redacted.finding):
        return found
    something_else = [(each.start, each.end) for each in here if not _same_detail(each, redacted.finding)]
    # and the phrases it reads as no detail, read without the roundtable's sensitive words, which never outrank them
    something_else += identifiers.read(text)[1]
    return found | {
        match.span() for match in re.finditer(rf"(?<!\w){re.escape(redacted.finding.text)}(?!\w)", text)
        if not any(start < match.end() and match.start() < end for start, end in something_else)
    }


def _points_wherever_written(finding: identifiers.Finding) -> bool:
    """A name's or a place's words point to someone wherever they stand; an age's or a number's only where the
    detector reads them as one."""
    return finding.kind != "age" and any(character.isalpha() for character in finding.text)


def _same_detail(found: identifiers.Finding, redacted: identifiers.Finding) -> bool:
    """The same age, the same number: "Twelve" at the start of a sentence is "twelve". A name found as a place is the
    same detail: "Maria" is a town too, and "Salamat, Maria" is read as the town where "Si Maria" is read as a name."""
    same_kind = found.kind == redacted.kind or {found.kind, redacted.kind} == {"name", "place"}
    return same_kind and found.text.casefold() == redacted.text.casefold()


def keep_finding(editor: User, target: Quote, *, index: int, digest: str, reason: str) -> QuoteFindingDecision:
    """Keep a finding as written, with a short reason; it stays resolved while the same words stay."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise RuleViolation(_l("Say briefly why this detail can stay."))
    if len(reason) > KEEP_REASON_MAX:
        raise RuleViolation(too_long(len(reason), KEEP_REASON_MAX))
    _still_quotable(target)
    state = _finding_at(target, index, digest)
    decision = state.decision or QuoteFindingDecision(
        quote_id=target.id, kind=state.finding.kind, digest=state.digest, decision="keep"
    )
    decision.reason = reason
    decision.revision = target.revision
    decision.decided_by_id = editor.id
    decision.decided_at = utcnow()
    db.session.add(decision)
    db.session.flush()
    refresh_findings(target)
    db.session.flush()  # the quote's count changes too, and with it its version for the next save
    audit.record("quote.finding_kept", actor=editor, target=target)
    return decision


# --- Summary: approved, exportable quotes per theme and language ---------------------------------

SUMMARY_LANGUAGES = ("fil", "en", "mixed")


@dataclass(frozen=True)
class SummaryRow:
    theme: Theme | None  # None: quotes without a theme
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Summary:
    rows: list[SummaryRow]
    quotes: int  # each once: a quote with two themes is in two rows


def summary(language: str = "en") -> Summary:
    """Quotes an export would hold right now (the one rule, and no undecided detail), per theme and language,
    counted by the database in grouped queries: no quote is loaded or decrypted."""
    exportable = (
        consent.quotes_with_authors()
        .where(consent.exportable_quote(), Quote.unresolved_findings == 0)
        .with_only_columns(Quote.id, Quote.language)
        .subquery()
    )
    counted = db.session.execute(
        select(quote_themes.c.theme_id, exportable.c.language, func.count())
        .select_from(exportable)
        .outerjoin(quote_themes, quote_themes.c.quote_id == exportable.c.id)
        .group_by(quote_themes.c.theme_id, exportable.c.language)
    )
    counts: dict[int | None, dict[str, int]] = {}
    for theme_id, quote_language, number in counted:
        counts.setdefault(theme_id, dict.fromkeys(SUMMARY_LANGUAGES, 0))[quote_language] = number
    empty = dict.fromkeys(SUMMARY_LANGUAGES, 0)
    rows = [SummaryRow(t, counts.get(t.id, dict(empty))) for t in themes(language)]
    if None in counts:
        rows.append(SummaryRow(None, counts[None]))
    return Summary(rows, db.session.scalar(select(func.count()).select_from(exportable)) or 0)
