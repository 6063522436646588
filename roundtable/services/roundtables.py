"""Roundtables: creating and running them, their prompts, consent form and join code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, time
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select

from roundtable import clock
from roundtable.db import constant, db, lock_and_reread
from roundtable.models import AuditEvent, ConsentClause, Participant, Prompt, Reflection, Roundtable, User
from roundtable.numbers import LARGEST
from roundtable.services import audit, crypto
from roundtable.services.errors import Conflict, NotFound, RuleViolation
from roundtable.services.pagination import Page, paginate

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud in a room or copied from a card cannot be misread.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6


@dataclass(frozen=True)
class ClauseTemplate:
    key: str
    required: bool
    text_en: str
    text_fil: str


DEFAULT_CLAUSES: tuple[ClauseTemplate, ...] = (
    ClauseTemplate(
        "take_part", True,
        "I choose to take part in this roundtable. I can stop at any time.",
        "Pinipili kong makilahok sa talakayang ito. Maaari akong tumigil anumang oras.",
    ),
    ClauseTemplate(
        "store_words", True,
        "Roundtable may keep what I write, encrypted, until this roundtable's retention date.",
        "Maaaring itago ng Roundtable ang isusulat ko, naka-encrypt, hanggang sa petsa ng pagtatago ng talakayang ito.",
    ),
    ClauseTemplate(
        "internal_use", False,
        "Staff of the organisation may read my words to learn from them and improve their work.",
        "Maaaring basahin ng mga kawani ng organisasyon ang aking mga salita upang matuto at mapabuti ang kanilang gawain.",
    ),
    ClauseTemplate(
        "quote_publicly", False,
        "My words may be quoted in public advocacy under my pseudonym, never with my real name.",
        "Maaaring sipiin ang aking mga salita sa pampublikong adbokasiya gamit ang aking alyas, hindi kailanman ang tunay kong pangalan.",
    ),
    ClauseTemplate(
        "review_quotes", False,
        "Show me every quote of my words before it is used, so I can approve or decline it.",
        "Ipakita muna sa akin ang bawat sipi ng aking mga salita bago ito gamitin, upang maaprubahan o matanggihan ko ito.",
    ),
)


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalar(select(Roundtable.id).where(Roundtable.join_code == code)) is None:
            return code


def normalize_join_code(raw: str) -> str:
    """Case-insensitive, and tolerant of spaces and dashes people type between groups."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def create(
    facilitator: User,
    *,
    title_en: str,
    title_fil: str,
    description_en: str,
    description_fil: str,
    retention_until: date,
    prompts: list[tuple[str, str]],
    meets_on: date | None = None,
    starts_at: time | None = None,
    ends_at: time | None = None,
) -> Roundtable:
    check_retention(retention_until)
    check_schedule(meets_on, starts_at, ends_at, retention_until)
    if not prompts:
        raise RuleViolation(_l("Add at least one prompt."))
    roundtable = Roundtable(
        title_en=title_en,
        title_fil=title_fil,
        description_en=description_en,
        description_fil=description_fil,
        retention_until=retention_until,
        meets_on=meets_on,
        starts_at=starts_at,
        ends_at=ends_at,
        facilitator_id=facilitator.id,
        join_code=new_join_code(),
        status="draft",
        consent_version=1,
    )
    for position, (text_en, text_fil) in enumerate(prompts, start=1):
        roundtable.prompts.append(Prompt(position=position, text_en=text_en, text_fil=text_fil))
    for position, clause in enumerate(DEFAULT_CLAUSES, start=1):
        roundtable.clauses.append(
            ConsentClause(
                version=1, position=position, key=clause.key, required=clause.required,
                text_en=clause.text_en, text_fil=clause.text_fil,
            )
        )
    db.session.add(roundtable)
    db.session.flush()
    audit.record("roundtable.created", actor=facilitator, target=roundtable)
    return roundtable


# What the facilitator's edit page shows of a roundtable, besides its sensitive words (see curation).
EDITED_FIELDS = ("title_fil", "title_en", "description_fil", "description_en", "meets_on", "starts_at", "ends_at",
                 "retention_until")

CHANGED_MEANWHILE = _l("This roundtable was saved on another page after you opened this one. What is saved now is "
                       "shown under each field where it differs from yours; your changes are still in the form. "
                       "Check them, then save again.")


def edit_mark(roundtable: Roundtable) -> str:
    """What the edit page showed, as a keyed digest. Saved from a page opened before another save (a second tab,
    a colleague), the form would otherwise put back, unseen, what that save changed."""
    shown = "\x1f".join(str(getattr(roundtable, name) or "") for name in EDITED_FIELDS)
    return crypto.lookup_digest(shown, "roundtable-edit")


def update(roundtable: Roundtable, actor: User, *, read: str | None, **fields) -> None:
    """``read`` is the ``edit_mark`` of the page the changes were made on."""
    lock_and_reread(roundtable)  # two saves take turns; the second sees the first
    changed = check_update(roundtable, read=read, **fields)
    if not changed:  # saved as it was (perhaps by this same form, sent twice): nothing to check or record
        return
    for name, value in changed.items():
        setattr(roundtable, name, value)
    audit.record("roundtable.updated", actor=actor, target=roundtable)


def saved_since(roundtable: Roundtable, read: str | None) -> bool:
    """Whether the roundtable was saved (on another page) since the edit page that sent ``read`` was shown."""
    return not crypto.marks_match(read, edit_mark(roundtable))


def check_update(roundtable: Roundtable, *, read: str | None, **fields) -> dict:
    """The fields ``update`` would change, refused as it would refuse them, nothing changed: a form that could not
    be saved anyway is refused before a question is asked about it."""
    changed = {name: value for name, value in fields.items() if getattr(roundtable, name) != value}
    if not changed:
        return changed
    if saved_since(roundtable, read):
        raise Conflict(CHANGED_MEANWHILE)
    if "retention_until" in fields and fields["retention_until"] != roundtable.retention_until:
        check_retention(fields["retention_until"])
        if fields["retention_until"] > roundtable.retention_until and _anyone_joined(roundtable):
            # Everyone who joined consented to "kept until" the date they were shown; keeping longer needs
            # a consent nobody gave. Erasing sooner takes nothing from them.
            raise RuleViolation(
                _l("People who joined agreed to have their words kept until the date shown to them. "
                   "The date can move earlier, but not later."),
                field="retention_until",
            )
    check_schedule(*(fields.get(name, getattr(roundtable, name))
                     for name in ("meets_on", "starts_at", "ends_at", "retention_until")),
                   saved_day=roundtable.meets_on, saved_hours=(roundtable.starts_at, roundtable.ends_at))
    return changed


def erases_sooner_for_good(roundtable: Roundtable, retention_until: date | None) -> bool:
    """Whether saving ``retention_until`` brings the erasure of people's words nearer for good: once someone has
    joined, the date cannot move later again, and a slip (2026 for 2027) would erase everyone's words at the next
    purge. Asked about first. Before anyone joins there are no words to erase, and the date can be put back."""
    return retention_until is not None and retention_until < roundtable.retention_until and _anyone_joined(roundtable)


ARCHIVED = _l("This roundtable is archived: its prompts and consent form stay as they were.")
PAST_RETENTION = _l("This roundtable's retention date has passed: its prompts and consent form stay as they were.")


def frozen_because(roundtable: Roundtable):
    """Why the prompts and consent form of ``roundtable`` stay as they were, or None while they may change. An
    archived roundtable is a record of what happened; past its retention date no one answers a question or agrees
    to keep words any more (its words are erased, or wait to be)."""
    if roundtable.status == "archived":
        return ARCHIVED
    if past_retention(roundtable):
        return PAST_RETENTION
    return None


def refuse_if_frozen(roundtable: Roundtable) -> None:
    if (why := frozen_because(roundtable)) is not None:
        raise RuleViolation(why)


def _refuse_a_question_asked_already(roundtable: Roundtable, text_en: str, text_fil: str,
                                     besides: Prompt | None = None) -> None:
    """A prompt cannot be removed once people may answer it, so a second copy (a form sent again from the browser's
    history carries a new key) would stay for good: its words, in either language, may not be another's."""
    def same(a: str, b: str) -> bool:
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()

    for other in roundtable.prompts:
        if other is besides:
            continue
        for field, theirs, ours in (("text_fil", other.text_fil, text_fil), ("text_en", other.text_en, text_en)):
            if same(theirs, ours):
                raise RuleViolation(_l("Question %(n)s of this roundtable already asks this. Change the words, or "
                                       "edit question %(n)s instead.", n=other.position), field=field)


def add_prompt(roundtable: Roundtable, actor: User, text_en: str, text_fil: str) -> Prompt:
    lock_and_reread(roundtable)  # with a removal or a move at once, they take turns: positions stay 1, 2, 3…
    refuse_if_frozen(roundtable)
    _refuse_a_question_asked_already(roundtable, text_en, text_fil)
    position = max((p.position for p in roundtable.prompts), default=0) + 1
    prompt = Prompt(position=position, text_en=text_en, text_fil=text_fil)
    roundtable.prompts.append(prompt)
    db.session.flush()
    audit.record("prompt.added", actor=actor, target=prompt)
    return prompt


PROMPT_GONE = _l("That prompt is no longer on this roundtable: it was removed, on this page or another one. "
                 "These are its prompts now.")
PROMPTS_STAY_ONCE_OPENED = _l("Prompts can be removed only until the roundtable first opens: from then on, people "
                              "may be answering them. Their words can still be made clearer.")


def check_remove_prompt(roundtable: Roundtable, prompt_id: int) -> Prompt:
    """What ``remove_prompt`` refuses, refused without removing anything (before the facilitator is asked). A
    draft was never open: no one has joined it, so no one has answered its prompts or is answering them now."""
    refuse_if_frozen(roundtable)
    prompt = _prompt_of(roundtable, prompt_id)
    if roundtable.status != "draft" or _written_to(prompt):
        raise RuleViolation(PROMPTS_STAY_ONCE_OPENED)
    if len(roundtable.prompts) == 1:
        raise RuleViolation(_l("A roundtable needs at least one prompt: add another one before removing this one."))
    return prompt


def remove_prompt(roundtable: Roundtable, prompt_id: int, actor: User) -> None:
    """The prompts after it move up one place."""
    lock_and_reread(roundtable)  # a second sending (a double click) finds it removed
    prompt = check_remove_prompt(roundtable, prompt_id)
    roundtable.prompts.remove(prompt)
    _number(roundtable.prompts)
    audit.record("prompt.removed", actor=actor, target=prompt)


def prompt_order_mark(roundtable: Roundtable) -> str:
    """The order of the prompts a page showed, as a keyed digest: a move sent from a page opened before another
    move or removal (a second tab, a colleague) would swap a prompt with one it was not beside there."""
    return _order_mark(roundtable.prompts)


def move_prompt(roundtable: Roundtable, prompt_id: int, actor: User, *, up: bool, read: str | None) -> Prompt:
    """One place up or down, swapped with its neighbour; ``read`` is the ``prompt_order_mark`` of the page the
    button was on. Returns the prompt, in its new place."""
    lock_and_reread(roundtable)  # two moves take turns; the second sees the first
    refuse_if_frozen(roundtable)
    prompt = _prompt_of(roundtable, prompt_id)
    prompts = list(roundtable.prompts)
    before = _moved(prompts, prompt, up=not up)
    if before != prompts and crypto.marks_match(read, _order_mark(before)):
        return prompt  # moved already, by this same button pressed twice
    if not crypto.marks_match(read, _order_mark(prompts)):
        raise Conflict(_l("The prompts were moved or removed on another page after you opened this one. These are "
                          "their places now: move the prompt again if it is still needed."))
    after = _moved(prompts, prompt, up=up)
    if after != prompts:
        _number(after)
        audit.record("prompt.moved", actor=actor, target=prompt)
    return prompt


def _prompt_of(roundtable: Roundtable, prompt_id: int) -> Prompt:
    prompt = next((prompt for prompt in roundtable.prompts if prompt.id == prompt_id), None)
    if prompt is None:
        raise RuleViolation(PROMPT_GONE)
    return prompt


def _written_to(prompt: Prompt) -> bool:
    """Whether any reflection was ever written to ``prompt``: withdrawn and erased ones keep their row."""
    return db.session.scalar(select(Reflection.id).where(Reflection.prompt_id == prompt.id).limit(1)) is not None


def _moved(prompts: list[Prompt], prompt: Prompt, *, up: bool) -> list[Prompt]:
    """``prompts`` with ``prompt`` swapped with the one above (or below) it; as they are at either end."""
    at = prompts.index(prompt)
    to = at - 1 if up else at + 1
    if not 0 <= to < len(prompts):
        return prompts
    moved = list(prompts)
    moved[at], moved[to] = moved[to], moved[at]
    return moved


def _number(prompts: list[Prompt]) -> None:
    for position, prompt in enumerate(prompts, start=1):
        prompt.position = position


def _order_mark(prompts: list[Prompt]) -> str:
    return crypto.lookup_digest(",".join(str(prompt.id) for prompt in prompts), "prompt-order")


def answers_to(prompt: Prompt) -> int:
    """How many reflections, drafts included, answer this prompt: rewording it puts them under other words."""
    return db.session.scalar(select(func.count()).select_from(Reflection).where(
        Reflection.prompt_id == prompt.id, Reflection.status.not_in([constant("withdrawn"), constant("purged")]),
    )) or 0


def prompt_mark(prompt: Prompt) -> str:
    """The prompt's words a page showed, as a keyed digest: saved from a page opened before another save (a
    second tab, a colleague), the form would put back, unseen, the words that save wrote."""
    return crypto.lookup_digest(f"{prompt.text_en}\x1f{prompt.text_fil}", "prompt-edit")


def update_prompt(prompt: Prompt, actor: User, text_en: str, text_fil: str, *, read: str | None) -> None:
    """``read`` is the ``prompt_mark`` of the page the words were changed on."""
    lock_and_reread(prompt)
    if (prompt.text_en, prompt.text_fil) == (text_en, text_fil):  # saved already, perhaps by this form sent twice
        return
    refuse_if_frozen(prompt.roundtable)
    if not crypto.marks_match(read, prompt_mark(prompt)):
        raise Conflict(_l("This prompt was saved on another page after you opened this one. What is saved now is "
                          "shown under each box; your words are still in the form. Combine them, then save again."))
    _refuse_a_question_asked_already(prompt.roundtable, text_en, text_fil, besides=prompt)
    prompt.text_en, prompt.text_fil = text_en, text_fil
    audit.record("prompt.updated", actor=actor, target=prompt)


def still_run_by(facilitator: User) -> int:
    """How many roundtables this facilitator runs whose words are kept still (archived ones too, until their
    retention date): no one else can moderate them or read their care notes."""
    return db.session.scalar(_run_by(facilitator).where(within_retention()).with_only_columns(func.count())) or 0


def facilitators_other_than(account: User) -> list[User]:
    """Active facilitators who could take over this account's roundtables."""
    return [user for user in db.session.scalars(
        select(User).where(User.active.is_(True), User.id != account.id).order_by(User.username)
    ) if user.has_role("facilitator")]


def named_successor(user_id: int | None) -> User | None:
    """The account a hand-over form names: None for "—", or for a form sent without one or with a number no account
    can have (refused as such)."""
    return db.session.get(User, user_id) if user_id and 0 < user_id <= LARGEST else None


def hand_over(account: User, successor: User | None, *, actor: User) -> int:
    """Every roundtable ``account`` runs goes to ``successor``, who moderates it from now on (someone leaves, or
    changes role). Returns how many; each is audited."""
    check_successor(account, successor)
    moved = list(db.session.scalars(_run_by(account)))
    for roundtable in moved:
        _hand(roundtable, account, successor, actor)
    return len(moved)


def count_run_by(account: User) -> int:
    """How many roundtables ``hand_over`` would move: all that ``account`` runs, those past retention too."""
    return db.session.scalar(_run_by(account).with_only_columns(func.count())) or 0


def _run_by(account: User):
    return select(Roundtable).where(Roundtable.facilitator_id == account.id)


def hand_over_one(roundtable: Roundtable, successor: User | None, *, actor: User) -> None:
    """The facilitator who runs ``roundtable`` gives it to a colleague (leave, another room), who moderates it
    from now on; the giver no longer sees it."""
    lock_and_reread(roundtable)  # a second sending, or an administrator's hand-over meanwhile, finds it moved
    check_hand_over_one(roundtable, successor, actor=actor)
    _hand(roundtable, actor, successor, actor)


def check_hand_over_one(roundtable: Roundtable, successor: User | None, *, actor: User) -> None:
    """What ``hand_over_one`` refuses, refused without handing anything over (before the giver is asked)."""
    if roundtable.facilitator_id != actor.id:
        raise NotFound(_l("That roundtable was not found."))
    _check_successor(actor, successor, _l("Choose an active facilitator to hand the roundtable to."))


def check_successor(account: User, successor: User | None) -> None:
    """What ``hand_over`` refuses of the colleague named to take ``account``'s roundtables."""
    _check_successor(account, successor, _l("Choose an active facilitator to hand the roundtables to."))


def _check_successor(account: User, successor: User | None, message) -> None:
    if (successor is None or successor.id == account.id or not successor.active
            or not successor.has_role("facilitator")):
        raise RuleViolation(message, field="successor")


def _hand(roundtable: Roundtable, previous: User, successor: User, actor: User) -> None:
    roundtable.facilitator_id = successor.id
    audit.record("roundtable.handed_over", actor=actor, target=roundtable, previous=previous, successor=successor)


# A draft made by mistake is archived without ever being opened to anyone.
TRANSITIONS = {"open": ("draft", "closed"), "closed": ("open",), "archived": ("closed", "draft")}


def set_status(roundtable: Roundtable, actor: User, status: str) -> None:
    """Move ``roundtable`` to ``status``. Already there (a double click, a page sent again), nothing happens: the
    first sending did it. Two sendings at once take turns, so one change is made and recorded once."""
    lock_and_reread(roundtable)
    if roundtable.status == status and status in TRANSITIONS:
        return
    if roundtable.status not in TRANSITIONS.get(status, ()):
        raise RuleViolation(_l("This roundtable cannot move to that status now."))
    if status == "open" and past_retention(roundtable):  # open, it would still tell everyone it is closed
        raise RuleViolation(_l("This roundtable's retention date has passed, so it cannot open."))
    roundtable.status = status
    audit.record(f"roundtable.{status}", actor=actor, target=roundtable)


def _of_facilitator(facilitator: User):
    return select(Roundtable).where(Roundtable.facilitator_id == facilitator.id).order_by(Roundtable.id.desc())


class RoundtableTitle(NamedTuple):
    """What a filter's choices show of a roundtable. Loading whole roundtables for a list's filter took
    more than the title columns alone (about 1 ms of the editor's quote list on the benchmark data)."""

    id: int
    title_en: str
    title_fil: str
    join_code: str  # tells apart roundtables of the same title

    title = Roundtable.title  # the model's own choice of language, read from these two fields


def _titles(query) -> list[RoundtableTitle]:
    columns = query.with_only_columns(Roundtable.id, Roundtable.title_en, Roundtable.title_fil, Roundtable.join_code)
    return [RoundtableTitle(*row) for row in db.session.execute(columns)]


def titles_for_facilitator(facilitator: User) -> list[RoundtableTitle]:
    """All of a facilitator's roundtables, newest first, for a filter's choices."""
    return _titles(_of_facilitator(facilitator))


def page_for_facilitator(facilitator: User, page: int = 1, per_page: int = 25) -> Page:
    return paginate(_of_facilitator(facilitator), page, per_page)


class HandedOver(NotFound):
    """A roundtable this facilitator ran was handed to a colleague (by them, or by an administrator): they knew
    of it, so its page says who runs it now instead of "not found"."""

    def __init__(self, roundtable: Roundtable) -> None:
        super().__init__(_l("That roundtable was handed over."))
        self.roundtable = roundtable


def get_for_facilitator(roundtable_id: int, facilitator: User) -> Roundtable:
    """A facilitator's own roundtable; any other looks exactly like one that does not exist, except one they
    handed over (``HandedOver``)."""
    roundtable = db.session.get(Roundtable, roundtable_id)
    if roundtable is not None and roundtable.facilitator_id == facilitator.id:
        return roundtable
    if roundtable is not None and ran_before(roundtable, facilitator):
        raise HandedOver(roundtable)
    raise NotFound(_l("That roundtable was not found."))


def ran_before(roundtable: Roundtable, facilitator: User) -> bool:
    """Whether ``facilitator`` ran ``roundtable`` before one of its hand-overs (as the audit log records them)."""
    details = db.session.scalars(select(AuditEvent.detail).where(
        AuditEvent.action == constant("roundtable.handed_over"), AuditEvent.target_type == constant("roundtable"),
        AuditEvent.target_id == roundtable.id,
    ))
    return any(str(facilitator.id) in audit.detail_text(detail).get("previous", ()) for detail in details)


def past_retention(roundtable: Roundtable) -> bool:
    """Past its retention date a roundtable's words are erased, or kept only as the source of a published quote:
    nothing new is written, moderated or quoted from them."""
    return roundtable.retention_until < clock.today()


def within_retention() -> ColumnElement:
    """``past_retention``'s opposite, as a condition on Roundtable, for queries."""
    return Roundtable.retention_until >= constant(clock.today())  # one statement a day, planned once


def takes_words(roundtable: Roundtable) -> bool:
    """Open, and not past its retention date: words written after it would be erased at the next purge."""
    return roundtable.status == "open" and not past_retention(roundtable)


class NotTakingWords(RuleViolation):
    """The code is right, but its roundtable is not open (yet, or any more): not a guess."""


def closed_to_words() -> NotTakingWords:
    return NotTakingWords(_l("This roundtable is closed and does not accept new words."))


def find_open_by_code(raw_code: str) -> Roundtable:
    code = normalize_join_code(raw_code)
    roundtable = db.session.scalar(select(Roundtable).where(Roundtable.join_code == code)) if code else None
    if roundtable is None or roundtable.status == "archived":
        raise NotFound(_l("We could not find a roundtable with that code. Check the code and try again."))
    if roundtable.status == "draft":  # the code handed out before the room was opened: a whole room tries it
        raise NotTakingWords(_l("This roundtable is not open yet. Ask your facilitator to open it, then try again."))
    if not takes_words(roundtable):
        raise closed_to_words()
    return roundtable


def titles() -> list[RoundtableTitle]:
    """Every roundtable, newest first, for a filter's choices."""
    return _titles(select(Roundtable).order_by(Roundtable.id.desc()))


RETENTION_MAX_YEARS = 10


def check_retention(retention_until: date) -> None:
    today = clock.today()
    if retention_until <= today:
        raise RuleViolation(_l("The retention date must be in the future."), field="retention_until")
    if retention_until > _years_after(today, RETENTION_MAX_YEARS):
        raise RuleViolation(
            _l("Words can be kept for at most %(n)d years: choose a date before then.", n=RETENTION_MAX_YEARS),
            field="retention_until",
        )


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _anyone_joined(roundtable: Roundtable) -> bool:
    return db.session.scalar(select(Participant.id).where(Participant.roundtable_id == roundtable.id).limit(1)) is not None


MIDNIGHT = time(0)
MEETING_WITHIN_YEARS = RETENTION_MAX_YEARS  # later, it would come after the words are erased anyway
# Longer is taken for a slip of the 24-hour clock (14:00 to 04:00 typed for 4 PM). Not under 12: the refusal of one run
# past midnight offers the same end on the other side of midnight or noon, which then always fits.
MEETING_MAX_HOURS = 12


def check_schedule(meets_on: date | None, starts_at: time | None, ends_at: time | None,
                   retention_until: date | None = None, *, saved_day: date | None = None,
                   saved_hours: tuple[time | None, time | None] | None = None) -> None:
    """Every part of when a roundtable meets is optional, but a time needs its day, an end needs its start,
    and it is not after the words are erased (the roundtable takes no words then). An end earlier than the start
    is on the next day (22:00 to 00:00, 21:00 to 01:00: see ``ends_next_day``); one equal to it is a slip, and so
    is one more than ``MEETING_MAX_HOURS`` after it (14:00 to 04:00 for 4 PM). A past day is allowed: a roundtable
    may be recorded afterwards; but not one centuries off, as a browser's date box makes "12/12/26" (0026-12-12),
    checked unless it is the ``saved_day`` kept as it was (a roundtable met years ago is still edited). So are the
    ``saved_hours`` of a meeting saved longer before the limit: kept as they were, the rest of the form saves."""
    today = clock.today()
    if meets_on not in (None, saved_day) and not (
            _years_after(today, -MEETING_WITHIN_YEARS) <= meets_on <= _years_after(today, MEETING_WITHIN_YEARS)):
        raise RuleViolation(_l("The day of the meeting is more than %(n)d years from today. Check its year: write "
                               "all four digits, as in 2027-12-31.", n=MEETING_WITHIN_YEARS), field="meets_on")
    if (starts_at is not None or ends_at is not None) and meets_on is None:
        raise RuleViolation(_l("Give the day of the meeting as well."), field="meets_on")
    if ends_at is not None and starts_at is None:
        raise RuleViolation(_l("Give the time the meeting starts as well."), field="starts_at")
    if starts_at is not None and ends_at == starts_at:
        raise RuleViolation(_l("The meeting would end the moment it starts. Give the time it ends, or leave it "
                               "empty."), field="ends_at")
    if (None not in (starts_at, ends_at) and (starts_at, ends_at) != saved_hours
            and _length_in_minutes(starts_at, ends_at) > MEETING_MAX_HOURS * 60):
        raise RuleViolation(_too_long(starts_at, ends_at, meets_on, retention_until), field="ends_at")
    if meets_on is not None and retention_until is not None and meets_on > retention_until:
        raise RuleViolation(_l("The meeting would come after the date its words are erased. Choose an earlier day, "
                               "or keep the words longer."), field="meets_on")
    if _runs_into_erasing(meets_on, starts_at, ends_at, retention_until):
        raise RuleViolation(_l("The meeting would run past midnight into the day its words are erased. Let it end "
                               "by midnight, or keep the words longer."), field="ends_at")


def _runs_into_erasing(meets_on: date | None, starts_at: time | None, ends_at: time | None,
                       retention_until: date | None) -> bool:
    """Whether the meeting runs past midnight (ending at it is not) into the day after its words are kept."""
    runs_past_midnight = ends_next_day(starts_at, ends_at) and ends_at != MIDNIGHT
    return runs_past_midnight and retention_until is not None and meets_on == retention_until


def ends_next_day(starts_at: time | None, ends_at: time | None) -> bool:
    """True for a meeting whose end time is earlier than its start: it ends on the next day, at midnight or
    after (stored as typed, on the day it starts)."""
    return starts_at is not None and ends_at is not None and ends_at < starts_at


def _length_in_minutes(starts_at: time, ends_at: time) -> int:
    """How long a meeting lasts, in whole minutes: to its end on the same day or, earlier than the start, the next."""
    return (_minute_of_day(ends_at) - _minute_of_day(starts_at)) % (24 * 60)


def _minute_of_day(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _too_long(starts_at: time, ends_at: time, meets_on: date | None, retention_until: date | None):
    """Says how long the meeting would be, from its start to its end as read, and the limit. The end 12 hours off,
    on the other side of midnight or noon, is offered for a slip of the clock: for a meeting run past midnight as
    typed (14:00 to 04:00: 4:00 PM, the 24-hour clock's slip), and for one ending at midnight (11:00 to 00:00:
    12:00 PM, as a 12-hour picker's "12:00 AM" is often taken for noon). Offered only when the meeting it makes
    could be saved: always short enough, but one run past midnight into the day its words are erased could not. A
    long day that ends before midnight (08:00 to 21:00) offers none: the end on the other side of noon would make a
    meeting of an hour or so, not likely meant."""
    from roundtable import i18n  # here, not at the top: i18n reads MIDNIGHT and ends_next_day from this module

    length = i18n.hours_and_minutes(_length_in_minutes(starts_at, ends_at))
    most = i18n.hours_and_minutes(MEETING_MAX_HOURS * 60)
    start, end = i18n.time_of_day(starts_at), i18n.meeting_end(starts_at, ends_at)
    other_end = time(*divmod((_minute_of_day(ends_at) + 12 * 60) % (24 * 60), 60))
    if not ends_next_day(starts_at, ends_at) or _runs_into_erasing(meets_on, starts_at, other_end, retention_until):
        return _l("This meeting would last %(length)s, from %(start)s to %(end)s. A meeting can last at most "
                  "%(most)s.", length=length, start=start, end=end, most=most)
    if ends_at == MIDNIGHT:  # read as the end of its own day, as typed: that is said, with the start
        return _l("This meeting would last %(length)s, from %(start)s to %(end)s. Did you mean %(other_end)s? A "
                  "meeting can last at most %(most)s.", length=length, start=start, end=end,
                  other_end=i18n.meeting_end(starts_at, other_end), most=most)
    return _l("This meeting would last %(length)s, ending %(end)s. Did you mean %(other_end)s? A meeting can last at "
              "most %(most)s.", length=length, end=end, other_end=i18n.meeting_end(starts_at, other_end), most=most)
