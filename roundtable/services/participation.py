"""A survivor leader's side: joining with a code, the passphrase, and writing reflections.

Nothing about the person is stored beyond a pseudonym, a language and a passphrase digest.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from base64 import urlsafe_b64encode
from datetime import date, timedelta
from itertools import count

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, select, update

from roundtable import i18n
from roundtable.db import constant, db, lock_row, lock_rows, utcnow
from roundtable.models import Participant, Prompt, Reflection, Roundtable
from roundtable.models.reflections import LANGUAGES
from roundtable.services import audit, consent, crypto, fidelity, identifiers, passphrases, roundtables, withdrawal
from roundtable.services.errors import Conflict, NotFound, RuleViolation
from roundtable.services.text import clean_text, fold, search_key, too_long

PSEUDONYM_MAX = 40
REFLECTION_MAX = 10_000
# How long words put back in the box after Back, once sent, are asked about (``AlreadySent``): a page left open.
SENT_A_SHORT_TIME_AGO = timedelta(hours=1)
# A pseudonym is printed with every quote: no email, handle, link or number someone could be reached by
# ("+63 917 123 4567" and "fb.com/juan" as much as "09171234567").
_LOOKS_LIKE_CONTACT = re.compile(
    r"@|(?:\d[\s.()+-]*){5,}|https?:|www\.|\w\.(?:com|net|org|ph|me|io|co|info|app|biz|xyz|tv|gg|ly)\b",
    re.IGNORECASE,
)


def end_sessions(participant_id: int) -> None:
    """Every session cookie signed in so far stops opening this participant's words."""
    db.session.execute(
        update(Participant)
        .where(Participant.id == participant_id)
        .values(session_version=Participant.session_version + 1)
    )


# Apostrophes and hyphens as phone keyboards type them ("‘Nay", "Jose‐Maria") are one apostrophe and one hyphen:
# otherwise "‘Nay Lita" and "'Nay Lita" would be two people who look like one.
_ONE_APOSTROPHE_ONE_HYPHEN = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-", "–": "-"})


def _plain_letter(character: str) -> bool:
    """A letter a to z, or one with accents on it (á, ñ, ü, ẽ): canonically, an ASCII letter and combining marks.
    Other Latin letters are refused, not made plain: many read as a to z ("ı", "ɑ", "ǀ" as "i", "a", "I") but are
    not one in every font or to every reader. Compatibility forms ("ſ", "ﬁ", full-width, bold) are refused too:
    they are other ways of drawing a letter, "ſ" one that looks like an "f"."""
    base, *marks = unicodedata.normalize("NFD", character)
    return base.isascii() and base.isalpha() and all(unicodedata.combining(mark) for mark in marks)


def _written_plainly(pseudonym: str) -> bool:
    """Letters a to z, accented or not (ñ, the old Filipino g̃ too), digits, spaces, and - ' . only: a pseudonym
    that looks like another one in the same room (a Cyrillic "а", a dotless "ı", an invisible filler) would put one
    person's words under another's name, in staff views and in exports."""
    return all(
        character in " -'." or ("0" <= character <= "9") or _plain_letter(character)
        or (character == "\u0303" and index and pseudonym[index - 1].isalpha())  # a tilde on a letter: g̃
        for index, character in enumerate(pseudonym)
    )


def _as_kept(pseudonym: str) -> str:
    return " ".join(unicodedata.normalize("NFC", pseudonym).translate(_ONE_APOSTROPHE_ONE_HYPHEN).split())


# Marks and spaces a reader passes over: "Bituin." beside a comma ("Bituin., survivor leader"), "Tala-Dagat" and
# "TalaDagat" read as "Tala Dagat".
_PASSED_OVER = str.maketrans("", "", " .'-")


def _pseudonym_key(pseudonym: str) -> str:
    """What makes two pseudonyms one in a roundtable (its unique key): case, accents, spaces and . ' - aside,
    "Ulap Büghaw", "ulap-bughaw" and "Ulap Bughaw." are "Ulap Bughaw", read alike beside a quote. Shown, the
    pseudonym stays as typed. (migrations/versions/0014 has a copy.)"""
    return search_key(pseudonym).translate(_PASSED_OVER)


def check_pseudonym(roundtable: Roundtable, pseudonym: str) -> str:
    pseudonym = _as_kept(pseudonym)
    if len(pseudonym) < 2:
        raise RuleViolation(_l("Choose a pseudonym of at least 2 characters."))
    if len(pseudonym) > PSEUDONYM_MAX:
        raise RuleViolation(_l("Choose a pseudonym of at most %(n)d characters.", n=PSEUDONYM_MAX))
    if _LOOKS_LIKE_CONTACT.search(pseudonym):
        # An account's @ ("@Bayani") is named: refused as "an email", it left them guessing what to change.
        raise RuleViolation(_l("A pseudonym cannot contain an email, a link, a phone number or an @."))
    if not _written_plainly(pseudonym):
        raise RuleViolation(_l("Use only the letters a to z, with or without accents (such as é or ñ), numbers, "
                               "spaces, hyphens, apostrophes or full stops in a pseudonym."))
    key = _pseudonym_key(pseudonym)
    if len(key) < 2:  # "--" or "' '": no name beside a quote, and all of them one key
        raise RuleViolation(_l("Choose a pseudonym with at least 2 letters or numbers."))
    taken = db.session.scalar(
        select(Participant.id).where(Participant.roundtable_id == roundtable.id, Participant.pseudonym_key == key)
    )
    if taken:
        raise RuleViolation(_l("Someone in this roundtable already uses that pseudonym. Please choose another."))
    return pseudonym


class MayPointToSomeone(RuleViolation):
    """A question more than a refusal: the pseudonym may be a real name or place; is it made up?"""


def confirm_made_up(pseudonym: str, *, said_made_up: str | None) -> None:
    """A pseudonym the identifying-detail detector reads as a real name, a place or another detail ("Santos" in
    "Maria Santos") is taken only once its author has said they made it up: it is printed beside every quote of
    their words. ``said_made_up`` is the pseudonym they said that of (another typed in its place is asked about
    again)."""
    words = list(dict.fromkeys(finding.text for finding in identifiers.detect(pseudonym)))
    if words and fold(_as_kept(said_made_up or "")) != fold(_as_kept(pseudonym)):
        raise MayPointToSomeone(_l(
            "“%(words)s” may be a real name or place. If it could point to you, change your pseudonym. "
            "If you made it up, tick the box and continue.", words=", ".join(words)))


def join(
    roundtable: Roundtable, *, language: str, pseudonym: str, granted: set[str], adult_confirmed: bool,
    shown_version: int | None = None, kept_until_shown: date | None = None, said_made_up: str | None = None,
    join_key: str | None = None,
) -> tuple[Participant, str]:
    """Create the participant and their first consent record; return them with their passphrase.

    The passphrase is returned once and never stored: only its keyed digest is. ``said_made_up``: see
    ``confirm_made_up``. ``join_key``: the one-time key of this join (kept in its cookie); sent again, the join
    gives the participant it made and the same passphrase (see ``_made_by``, ``_new_passphrase``).
    """
    if not roundtables.takes_words(roundtable):
        raise roundtables.closed_to_words()
    if language not in ("fil", "en"):
        raise RuleViolation(_l("Choose Filipino or English."))
    # People in one room join at once; taking turns, two who chose the same pseudonym at the same moment get
    # "already in use" instead of an error from the unique constraint, and the same form sent twice is one join.
    lock_row(Roundtable, roundtable.id)
    made = _made_by(roundtable, join_key)
    if made is not None:  # its first answer was lost (a slow connection) or is not the one on the screen (a tap)
        # Gone back to the consent page meanwhile, they may have answered it otherwise (or a changed form): the
        # answer now is theirs, not the first.
        if consent.current_grants(made) != frozenset(granted) or consent.needs_new_consent(made):
            consent.record_consent(made, granted, adult_confirmed=adult_confirmed, shown_version=shown_version,
                                   kept_until_shown=kept_until_shown)
        return made, _new_passphrase(made.language, join_key, theirs=made)[0]
    pseudonym = check_pseudonym(roundtable, pseudonym)
    confirm_made_up(pseudonym, said_made_up=said_made_up)
    passphrase, digest = _new_passphrase(language, join_key)
    participant = Participant(
        roundtable_id=roundtable.id,
        roundtable=roundtable,
        pseudonym=pseudonym,
        pseudonym_key=_pseudonym_key(pseudonym),
        language=language,
        passphrase_digest=digest,
        join_key_digest=_join_key_digest(join_key) if join_key else None,
    )
    db.session.add(participant)
    db.session.flush()
    consent.record_consent(participant, granted, adult_confirmed=adult_confirmed, shown_version=shown_version,
                           kept_until_shown=kept_until_shown)
    audit.record("participant.joined", actor=participant, target=roundtable)
    return participant, passphrase


def _made_by(roundtable: Roundtable, join_key: str | None) -> Participant | None:
    """The participant this very join made already, if it was sent before, and they have not typed their
    passphrase back yet."""
    if not join_key:
        return None
    return db.session.scalar(select(Participant).where(
        Participant.join_key_digest == _join_key_digest(join_key), Participant.roundtable_id == roundtable.id,
        Participant.withdrawn_at.is_(None),
    ))


def joined(participant: Participant) -> None:
    """They typed their passphrase back: their join is over, and sending its form again makes nothing more."""
    participant.join_key_digest = None


def _new_passphrase(language: str, join_key: str | None = None, *,
                    theirs: Participant | None = None) -> tuple[str, str]:
    """A passphrase no one else has, and its digest.

    Made by a join with its ``join_key``, it is drawn from that key and the server's lookup key: the same join sent
    again gives ``theirs`` the very passphrase its first answer carried, though only its digest was kept. A new one
    in its place would leave whichever of two answers the browser shows (a second tap) with words that open
    nothing."""
    for attempt in count():
        seed = None if join_key is None else bytes.fromhex(crypto.lookup_digest(f"{join_key} {attempt}", "join seed"))
        passphrase = passphrases.generate(language, seed)
        digest = _passphrase_digest(passphrase)
        holder = db.session.scalar(select(Participant.id).where(Participant.passphrase_digest == digest))
        if holder is None or (theirs is not None and holder == theirs.id):
            return passphrase, digest


def _join_key_digest(join_key: str) -> str:
    return crypto.lookup_digest(join_key, "join")


def find_by_passphrase(phrase: str) -> Participant | None:
    """One indexed lookup by digest: no scan of participants, no hint of what exists. Whoever holds the passphrase
    of someone who took back everything is told so, not that the passphrase is wrong."""
    normalized = passphrases.normalize(phrase)
    if not normalized:
        return None
    found = db.session.scalar(select(Participant).where(Participant.passphrase_digest == _passphrase_digest(normalized)))
    if found is not None and found.withdrawn_at is not None:
        raise RuleViolation(_l("Everything written with this passphrase was taken back, as was asked. "
                               "None of it can be opened again."))
    return found


def _passphrase_digest(passphrase: str) -> str:
    return crypto.lookup_digest(passphrases.normalize(passphrase), "passphrase")


def prompt_for(participant: Participant, prompt_id: int) -> Prompt:
    prompt = db.session.get(Prompt, prompt_id)
    if prompt is None or prompt.roundtable_id != participant.roundtable_id:
        raise NotFound(_l("That question was not found."))
    return prompt


class ReflectionDeleted(NotFound):
    """A reflection its author deleted, opened again by them (Back after deleting it, another tab): said so, where
    a plain "not found" made them fear more was lost. Anyone else's reflection is never said to be deleted."""


def own_reflection(participant: Participant, reflection_id: int, *, deleted_too: bool = False) -> Reflection:
    """A participant's own reflection; anyone else's looks like one that does not exist. ``deleted_too``: one they
    deleted as well (the same "Delete" sent again)."""
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None or reflection.participant_id != participant.id or reflection.status == "purged":
        raise NotFound(_l("That reflection was not found."))
    if reflection.status == "withdrawn" and not deleted_too:  # by its author: taking back all words signs them out
        raise ReflectionDeleted(_l("This reflection was deleted"))  # the page's heading
    return reflection


def reflections_of(participant: Participant) -> list[Reflection]:
    return list(
        db.session.scalars(
            select(Reflection)
            .where(Reflection.participant_id == participant.id, Reflection.status.not_in(("withdrawn", "purged")))
            .order_by(Reflection.prompt_id, Reflection.id)
        )
    )


def reflection_by_key(participant: Participant, prompt: Prompt, idempotency_key: str) -> Reflection | None:
    """The reflection an open writing page saves into (it carries the same key on every save): only its author's,
    and only for that page's prompt; a key sent with another prompt would move the words to another question."""
    reflection = db.session.scalar(select(Reflection).where(Reflection.idempotency_key == idempotency_key))
    if reflection is not None and (reflection.participant_id, reflection.prompt_id) != (participant.id, prompt.id):
        raise NotFound(_l("That reflection was not found."))
    return reflection


def no_longer_a_draft(reflection: Reflection) -> str:
    """What an autosave says when the draft its page saves into (its key) is no longer a draft: submitted or deleted
    on another page or tab (or phone) holding the same session, as the page showed it. Only the words here can keep
    what was typed since: a button would not save them as this draft either. "" for anything else (purged with its
    roundtable, which then takes no words and says so first)."""
    if reflection.status == "withdrawn":
        return str(_l("This draft was deleted on another page or tab, so your words here were not saved: copy them "
                      "if you want to keep them."))
    if reflection.status in ("submitted", "released", "held"):
        return str(_l("This draft was submitted on another page or tab, so your words here were not saved: copy "
                      "them if you want to keep them, then open it again in “My words”."))
    return ""


# Built once: the writing page runs it on every view, and building and keying a statement cost more than running it.
_PROMPT_WITH_DRAFT = (
    select(Prompt, Reflection)
    .outerjoin(Reflection, and_(
        Reflection.prompt_id == Prompt.id, Reflection.participant_id == bindparam("participant_id"),
        Reflection.status == constant("draft"),
    ))
    .where(Prompt.id == bindparam("prompt_id"), Prompt.roundtable_id == bindparam("roundtable_id"))
    .order_by(Reflection.id.desc())
    .limit(constant(1))
)


def prompt_with_draft(participant: Participant, prompt_id: int) -> tuple[Prompt, Reflection | None]:
    """A question of the participant's roundtable and their newest draft answer to it, in one query."""
    found = db.session.execute(_PROMPT_WITH_DRAFT, {
        "participant_id": participant.id, "prompt_id": prompt_id, "roundtable_id": participant.roundtable_id,
    }).first()
    if found is None:
        raise NotFound(_l("That question was not found."))
    return found.Prompt, found.Reflection


def take_turn(participant: Participant) -> None:
    """The participant's changes take turns: call before reading what a change will touch.

    The same form can arrive twice at once: a double click, or an autosave still on its way when "Submit" is
    pressed. Taking turns, the second sees what the first did and goes on from there, as a retry does, instead
    of storing a reflection again (which the unique idempotency key refuses with an error) or changing a quote
    the first already changed (which its version refuses).
    """
    lock_row(Participant, participant.id)


def take_turns(*criteria) -> None:
    """A change that touches many authors' words at once (a purge, a theme renamed, sensitive words saved) takes
    turns with each of them: their rows, those ``criteria`` select, are held in the order of their ids, as every such
    change holds them, so two of them never wait for each other; and always before the roundtable's row, which an
    author's own change takes after theirs. Read what they hang from only after this."""
    lock_rows(Participant, *criteria)


def choose_language(participant: Participant, language: str) -> None:
    """The interface language a participant chose: their pages open in it when they come back."""
    if language in i18n.LANGUAGES:
        participant.language = language


def wait_for_the_author(reflection: Reflection) -> None:
    """Staff who act on a reflection take turns with its author's changes, then read it as it now is.

    An author who edits, deletes or withdraws while an editor quotes or approves, or a facilitator decides,
    would otherwise lose: the staff member's check passed on words the author was changing.
    """
    lock_row(Participant, reflection.participant_id)
    db.session.refresh(reflection)


def _shared_before(participant: Participant, prompt: Prompt, text: str) -> Reflection | None:
    """The same words already submitted for the same question and still waiting for the facilitator. Back after
    Submit shows the writing page again with a new key (the reflection is no longer a draft) and the browser puts
    the words back in the box; sent again, they are the reflection already shared, not a second one."""
    for shared in db.session.scalars(select(Reflection).where(
        Reflection.participant_id == participant.id, Reflection.prompt_id == prompt.id,
        Reflection.status == constant("submitted"),
    )):
        if shared.text == text:
            return shared
    return None


class AlreadySent(RuleViolation):
    """A question more than a refusal: words for a new reflection hold the whole of one their author sent for the
    same question a short time ago (``sent``). Back after Submit shows the writing page, the browser puts the words
    sent back in the box, and more typed after them would be sent a second time: as a new reflection, or in place
    of the one sent?"""

    def __init__(self, sent: Reflection) -> None:
        super().__init__(_l("You already submitted these words, or part of them, for this question. Submit them as "
                            "a new reflection, or change the reflection you submitted?"))
        self.sent = sent


def _sent_a_short_time_ago(participant: Participant, prompt: Prompt, text: str) -> Reflection | None:
    """Their newest reflection sent for the question a short time ago whose words ``text`` holds whole."""
    words = " ".join(text.split())
    for sent in db.session.scalars(select(Reflection).where(
        Reflection.participant_id == participant.id, Reflection.prompt_id == prompt.id,
        Reflection.status.in_(("submitted", "released", "held")),
        Reflection.updated_at >= utcnow() - SENT_A_SHORT_TIME_AGO,
    ).order_by(Reflection.id.desc())):
        if sent.text and " ".join(sent.text.split()) in words:
            return sent
    return None


def sent_to_change(participant: Participant, prompt: Prompt, reflection_id: str) -> Reflection:
    """The reflection sent for this question that a page asking about it (``AlreadySent``) offers to change."""
    reflection = own_reflection(participant, int(reflection_id)) if reflection_id.isdigit() else None
    if reflection is None or reflection.prompt_id != prompt.id or reflection.status == "draft":
        raise NotFound(_l("That reflection was not found."))
    return reflection


def _take_back_quotes_of_words_gone(participant: Participant, reflection: Reflection, text: str) -> None:
    """The author changed their words: a quote made of words they took out goes, text and all (none is approved,
    or the words could not change). A quote still found in the new words stays, for the editors' work on it."""
    for quote in withdrawal.quotes_of_reflections([reflection.id])[reflection.id]:
        if quote.status != "withdrawn" and not fidelity.check(quote.text or "", text).ok:
            withdrawal.withdraw_quote(quote, actor=participant)
            withdrawal.erase_quote(quote)


def already_shared_as(reflection: Reflection | None, *, text: str, language: str) -> bool:
    """Whether a shared reflection already holds these words, in this language: "Submit changes" sent without a
    change (or sent twice) is not a change, and takes nothing out of the facilitator's hands."""
    return (reflection is not None and reflection.status not in ("draft", "withdrawn", "purged")
            and reflection.text == text and reflection.language == language)


def words_mark(reflection: Reflection | None) -> str:
    """What a writing page carries of the words it opened with, or last saved (``seen`` of ``save_reflection``):
    a short digest of them, "" for no reflection yet. Only the words count: changed elsewhere, they would be lost."""
    if reflection is None or reflection.text is None:
        return ""
    return urlsafe_b64encode(hashlib.sha256(reflection.text.encode()).digest()[:6]).decode()


#: Between the two words in ``tried`` (writing.js: the first sent without an answer, and the last): a control
#: character, which no saved words hold.
TRIED_APART = "\x1f"


def _changed_elsewhere(reflection: Reflection, *, text: str, seen: str | None, idempotency_key: str,
                       tried: str | None = None) -> bool:
    """Words saved from a page that did not show the reflection's words as they are now (another tab or phone
    saved since) would silently take their place: the page's ``seen`` (``words_mark``) tells. The same words sent
    again (a retry, a double click) change nothing, and a page that showed no words yet saves into the reflection it
    made itself (its key) even if it never heard back. Nor are words the page sent without hearing back (``tried``:
    the answer lost as the signal dropped, so its ``seen`` is older) another's: that save may have been stored."""
    if seen is None or reflection.text == text or seen == words_mark(reflection):
        return False
    if tried and reflection.text in {clean_text(words) for words in tried.split(TRIED_APART)[:2]}:
        return False
    return not (seen == "" and idempotency_key and reflection.idempotency_key == idempotency_key)


def save_reflection(
    participant: Participant,
    prompt: Prompt,
    *,
    text: str,
    language: str,
    submit: bool,
    idempotency_key: str,
    reflection: Reflection | None = None,
    ask: bool = False,
    seen: str | None = None,
    tried: str | None = None,
) -> Reflection:
    """Save a draft or submit. Retrying the same form (same ``idempotency_key``) never stores twice.

    ``seen``: the ``words_mark`` of the reflection as the page showed it. Its words changed since (saved from another
    tab), the page's words are refused (``Conflict``) rather than put in their place; None checks nothing. ``tried``:
    words the page sent since without hearing whether they were saved (``TRIED_APART`` between them): they, found in
    the reflection, are the page's own, not changed elsewhere.

    With ``ask``, a new reflection holding more than the words of one sent a short time ago is asked about
    (``AlreadySent``) instead of stored: without, as when a page closes with nobody there, it is stored."""
    if not roundtables.takes_words(participant.roundtable):
        raise roundtables.closed_to_words()
    if language not in LANGUAGES:
        raise RuleViolation(_l("Choose the language you wrote in."))
    if submit and not text:  # a shared reflection's page has no draft to save (QA r5-3): it can be deleted
        raise RuleViolation(
            _l("A reflection you shared cannot be left empty. Put your words back, or, if you want it gone, go back "
               "to “My words” and choose “Delete”.")
            if reflection is not None and reflection.status not in ("draft", "withdrawn", "purged") else
            _l("Write something before you submit, or save it as a draft.")
        )
    if len(text) > REFLECTION_MAX:
        raise RuleViolation(too_long(len(text), REFLECTION_MAX))
    if reflection is None and idempotency_key:
        reflection = reflection_by_key(participant, prompt, idempotency_key)
    if reflection is None and text:
        shared = _shared_before(participant, prompt, text)
        if shared is not None:  # the same words sent again: stored once, with the language now chosen
            if submit:
                shared.language = language
            return shared  # autosaved, as the browser put them back after Back: not a second reflection either
        sent = _sent_a_short_time_ago(participant, prompt, text) if ask else None
        if sent is not None:
            raise AlreadySent(sent)
    if reflection is not None:
        if reflection.status in ("withdrawn", "purged"):
            raise NotFound(_l("That reflection was not found."))
        if reflection.status != "draft" and not submit:
            raise RuleViolation(_l("This reflection was already shared; it cannot become a draft again."))
        if reflection.id is not None and withdrawal.has_approved_quote(reflection):
            raise RuleViolation(
                _l("A quote of this reflection was approved, so it can no longer be changed. You can still delete it.")
            )
        if already_shared_as(reflection, text=text, language=language):
            return reflection  # it stays where it is: the facilitator's decision, and the quotes made of it, too
        if _changed_elsewhere(reflection, text=text, seen=seen, idempotency_key=idempotency_key, tried=tried):
            raise Conflict(
                _l("This draft was changed on another page or tab. Your words here were not saved: copy them, "
                   "then open the draft again.") if reflection.status == "draft" else
                _l("This reflection was changed on another page or tab. Your changes here were not submitted: copy "
                   "them, then open the reflection again.")
            )
    else:
        reflection = Reflection(
            participant_id=participant.id, prompt_id=prompt.id, idempotency_key=idempotency_key or None
        )
        db.session.add(reflection)
    if reflection.id is not None and reflection.text != text:
        _take_back_quotes_of_words_gone(participant, reflection, text)
    reflection.text = text
    reflection.language = language
    if submit:
        if reflection.status != "submitted":
            reflection.submitted_at = utcnow()
        reflection.status = "submitted"
        reflection.decided_at = None
    else:
        reflection.status = "draft"
    db.session.flush()
    audit.record("reflection.submitted" if submit else "reflection.saved", actor=participant, target=reflection)
    return reflection
