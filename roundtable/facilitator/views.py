"""Facilitators run their own roundtables and moderate what is written in them."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _, lazy_gettext as _l
from markupsafe import Markup

from roundtable.access import roles_required
from roundtable.changes import (
    ask_first, asked_first, back_to_list_when_gone, change, field_named, flash_at, no_success_said, say_refused,
    sent_before,
)
from roundtable.db import db
from roundtable.facilitator.forms import (
    NOTE_BOX, TYPED_BOXES, ConsentFormForm, DecisionForm, EditPromptForm, EditRoundtableForm, HandOverForm,
    MovePromptForm, NewPromptForm, NewRoundtableForm, NoteForm, RemovePromptForm, RoundtableForm, StatusForm,
)
from roundtable.forms import say_saved_now
from roundtable.i18n import current_language, long_date, meeting_end, meeting_time
from roundtable.models import Prompt, Roundtable, User
from roundtable.navigation import last_page_instead
from roundtable.numbers import number_arg
from roundtable.services import consent, curation, moderation, review, roundtables
from roundtable.services.errors import Conflict, RuleViolation

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")
facilitator_only = roles_required("facilitator")
# Where a roundtable's page says what became of a prompt moved or removed: above its list, so that the next Tab
# reaches the prompts' buttons again.
PROMPTS = "prompts"
# Where a decision on a reflection is said: above the moderation list it leads back to; and where its page says its
# note was saved: above the note. There too the message takes the focus, not the top of the page.
MODERATION = "moderation"
NOTE = "note"
# Where the other pages a change leads to say it, taking the focus as well: a roundtable's page under its title (made,
# edited, opened or closed; a form it no longer offers), and above its consent form (a new version); the list of
# roundtables under its title (one handed over).
ROUNDTABLE = "roundtable"
CONSENT = "consent"
MY_ROUNDTABLES = "my-roundtables"


def _own(roundtable_id: int):
    return roundtables.get_for_facilitator(roundtable_id, g.user)


@bp.errorhandler(roundtables.HandedOver)
def handed_over(exc: roundtables.HandedOver):
    """A page of a roundtable this facilitator handed over (or an administrator did) says who runs it now. A form
    sent from a page opened before cannot be saved; what was typed into it is shown, to pass on."""
    db.session.rollback()
    item = exc.roundtable
    said = _("“%(title)s” is run by %(name)s now: it was handed over.", title=item.title(current_language()),
             name=_colleague(item.facilitator))
    typed = TYPED_BOXES.typed(request.form) if request.method == "POST" else []
    if not typed:
        flash_at(MY_ROUNDTABLES, said)
        return redirect(url_for("facilitator.my_roundtables"))
    say_refused()
    no_success_said()  # an error page, as the app's own error pages are
    return render_template("facilitator/handed_over.html", said=said, typed=typed,
                           successor=_colleague(item.facilitator)), 409


@bp.get("/")
@facilitator_only
def my_roundtables():
    page = roundtables.page_for_facilitator(g.user, request.args.get("page", 1, type=number_arg))
    return render_template("facilitator/roundtables.html", page=page)


@bp.route("/roundtables/new", methods=["GET", "POST"])
@facilitator_only
def new_roundtable():
    form = NewRoundtableForm()
    if form.validate_on_submit():
        with change(errors_on=form.retention_until, once=form, sent_twice_at=ROUNDTABLE) as outcome:
            roundtable = roundtables.create(
                g.user,
                title_en=form.title_en.data, title_fil=form.title_fil.data,
                description_en=form.description_en.data, description_fil=form.description_fil.data,
                retention_until=form.retention_until.data,
                prompts=[(form.prompt_en.data, form.prompt_fil.data)],
                **_schedule(form),
            )
            outcome.location = url_for("facilitator.roundtable", roundtable_id=roundtable.id)
        if outcome.saved:
            flash_at(ROUNDTABLE, _("Roundtable created. Open it when you are ready for people to join."))
        if outcome.location:
            return redirect(outcome.location)
    return _roundtable_form_page(form, None)


@bp.get("/roundtables/<int:roundtable_id>")
@facilitator_only
def roundtable(roundtable_id: int):
    return _roundtable_page(_own(roundtable_id))


def _roundtable_page(item: Roundtable, *, prompt_form: NewPromptForm | None = None,
                     hand_over_form: HandOverForm | None = None):
    return render_template(
        "facilitator/roundtable.html", roundtable=item, answers=consent.answers_in(item), status_form=StatusForm(),
        prompt_form=prompt_form or NewPromptForm(), hand_over_form=hand_over_form or _hand_over_form(),
        frozen=roundtables.frozen_because(item) is not None, prompt_order=roundtables.prompt_order_mark(item),
        prompts_stay=roundtables.PROMPTS_STAY_ONCE_OPENED,
    )


@bp.get("/roundtables/<int:roundtable_id>/participants")
@facilitator_only
def participants(roundtable_id: int):
    """Who joined and what they answer: what staff honour in person (a statement the facilitator added about the
    room, internal use) needs the names of those who said no, and the facilitator sees whether everyone got in."""
    item = _own(roundtable_id)
    names = consent.who_said_no(item, request.args.get("page", 1, type=number_arg))
    if (last := last_page_instead(names)) is not None:
        return last
    return render_template("facilitator/participants.html", roundtable=item, answers=consent.answers_in(item),
                           names=names)


def _hand_over_form() -> HandOverForm:
    form = HandOverForm(prefix="handover")
    colleagues = roundtables.facilitators_other_than(g.user)
    form.successor.choices = [(0, "—")] + [(user.id, _colleague(user)) for user in colleagues]
    return form


def _colleague(user: User) -> str:
    return f"{user.display_name} ({user.username})"


@bp.post("/roundtables/<int:roundtable_id>/hand-over")
@facilitator_only
def hand_over(roundtable_id: int):
    form = _hand_over_form()
    if (first := sent_before(form, at=MY_ROUNDTABLES)) is not None:  # a double click: the roundtable is not theirs now
        return redirect(first)
    item = _own(roundtable_id)
    if form.validate_on_submit():
        successor = roundtables.named_successor(form.successor.data)
        asks_first = not asked_first()
        with change(errors_on=form.successor, once=None if asks_first else form,
                    sent_twice_at=MY_ROUNDTABLES) as outcome:
            if asks_first:  # a colleague who cannot take it is refused before the question
                roundtables.check_hand_over_one(item, successor, actor=g.user)
            else:
                roundtables.hand_over_one(item, successor, actor=g.user)
                outcome.location = url_for("facilitator.my_roundtables")
        if outcome.saved and asks_first:
            return ask_first(
                _("Hand “%(title)s” over to %(name)s?", title=item.title(current_language()), name=_colleague(successor)),
                _("%(name)s runs and moderates it from now on, with its reflections and private notes. You will no "
                  "longer see it.", name=_colleague(successor)),
                yes=_("Yes, hand it over"), back=url_for("facilitator.roundtable", roundtable_id=item.id))
        if outcome.saved:
            flash_at(MY_ROUNDTABLES, _("“%(title)s” is run by %(name)s now. You no longer see it or its reflections.",
                                       title=item.title(current_language()), name=_colleague(successor)))
        if outcome.location:  # handed over, by this sending or by the same form sent a moment before
            return redirect(outcome.location)
    return _roundtable_page(item, hand_over_form=form)


def join_qr_svg(join_url: str, title: str) -> Markup:
    """The join URL as a QR code in inline SVG markup: presentation attributes only, no style (CSP).
    A viewBox instead of a fixed size, so that the stylesheet's 60 mm (70 mm in print) scales the code."""
    svg = segno.make(join_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=title, svgclass="qr", lineclass=None, omitsize=True
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


# What the printed card says, in Filipino and in English whatever the facilitator reads: people in the room read one
# or the other.
_CARD_WORDS = {
    "code": _l("Join code"),
    "how": _l("To join, open this address on your phone, or scan the code:"),
    "private": _l("You will not be asked for your name, email or phone number."),
}


@bp.get("/roundtables/<int:roundtable_id>/card")
@facilitator_only
def join_card(roundtable_id: int):
    """A printable card (one A4 or Letter page): its words in both languages, the join code, a QR code."""
    item = _own(roundtable_id)
    join_url = url_for("participant.join", code=item.join_code, _external=True)
    qr = join_qr_svg(join_url, _("QR code that opens %(url)s", url=join_url))
    said = {}
    for language in ("fil", "en"):
        with force_locale(language):
            said[language] = {**{key: str(words) for key, words in _CARD_WORDS.items()}, "when": meeting_time(item)}
    return render_template("facilitator/join_card.html", roundtable=item, join_url=join_url, qr=qr, said=said)


@bp.route("/roundtables/<int:roundtable_id>/edit", methods=["GET", "POST"])
@facilitator_only
def edit_roundtable(roundtable_id: int):
    item = _own(roundtable_id)
    form = EditRoundtableForm(obj=item)
    if request.method == "GET":
        form.read.data, form.terms_read.data = roundtables.edit_mark(item), curation.sensitive_terms_mark(item)
    if form.validate_on_submit():
        if asked_first("no"):  # the earlier date was not meant: the form as it was typed
            flash(_("Nothing was saved yet. Your changes are below: check the date to keep the words until, then "
                    "save."))
            return _roundtable_form_page(form, item)
        fields = dict(title_en=form.title_en.data, title_fil=form.title_fil.data,
                      description_en=form.description_en.data, description_fil=form.description_fil.data,
                      retention_until=form.retention_until.data, **_schedule(form))
        asks_first = not asked_first() and roundtables.erases_sooner_for_good(item, form.retention_until.data)
        with change(errors_on=field_named(form, otherwise=form.read)) as outcome:
            if asks_first:  # a form that could not be saved anyway is refused before the question
                roundtables.check_update(item, read=form.read.data, **fields)
            else:
                roundtables.update(item, g.user, read=form.read.data, **fields)
                if form.sensitive_terms.raw_data:  # posted by the edit form; the words feed the quote check
                    _save_sensitive_terms(item, form.sensitive_terms.data, read=form.terms_read.data)
        if outcome.saved and asks_first:
            return _ask_before_erasing_sooner(item, form.retention_until.data)
        if outcome.saved:
            flash_at(ROUNDTABLE, _("Changes saved."))
            return redirect(url_for("facilitator.roundtable", roundtable_id=item.id))
        if isinstance(outcome.refusal, Conflict):  # the roundtable's, or only its sensitive words'
            _show_what_is_saved_now(form, item, words_only=outcome.refusal.field == "sensitive_terms")
    elif form.is_submitted() and roundtables.saved_since(item, form.read.data):
        # Refused for what it holds, perhaps only next to what another page saved (a start time): that is said first.
        form.read.errors = [str(roundtables.CHANGED_MEANWHILE), *form.read.errors]
        _show_what_is_saved_now(form, item, words_only=False)
    return _roundtable_form_page(form, item)


def _ask_before_erasing_sooner(item: Roundtable, retention_until) -> str:
    """A retention date moved earlier on a roundtable people joined cannot move later again: a slip of the year
    would erase everyone's words at the next purge, so the new date is asked about, with the rest of the form."""
    day = long_date(retention_until)
    return ask_first(
        _("Keep the words only until %(date)s?", date=day),
        _("After %(date)s, the words written in “%(title)s” are erased, except approved quotes whose authors still "
          "allow them.", date=day, title=item.title(current_language())),
        _("People have joined under the date they were shown, so the date can never be moved later again."),
        yes=_("Yes, keep them only until %(date)s", date=day), no=_("No, go back to the form"))


def _show_what_is_saved_now(form: EditRoundtableForm, item: Roundtable, *, words_only: bool) -> None:
    """After a refusal because another page saved first: under each field where the form differs from what is
    saved, what is saved, so the two can be combined; the form's marks become the saved ones, so that saving
    again, having seen them, goes through."""
    saved_terms = curation.sensitive_terms(item)
    fields = () if words_only else roundtables.EDITED_FIELDS
    differs = [(form[name], getattr(item, name)) for name in fields
               if (form[name].data or None) != (getattr(item, name) or None)]
    try:
        typed_terms = curation.sensitive_terms_from(form.sensitive_terms.data)
    except RuleViolation:  # refused beside the box (a phrase too long): neither the list shown nor the one saved
        typed_terms = None
    if typed_terms is not None and curation.sensitive_terms_unchanged(form.sensitive_terms.data, form.terms_read.data):
        form.sensitive_terms.data = "\n".join(saved_terms)  # not changed here: the list as saved now
    elif typed_terms != saved_terms:
        differs.append((form.sensitive_terms, "; ".join(saved_terms)))
    for field, value in differs:
        if field is form.ends_at and value is not None:  # "12:00 midnight", "1:00 AM (next day)", as the pages say it
            value = meeting_end(item.starts_at, value)
        say_saved_now(field, value)
    form.read.data, form.terms_read.data = roundtables.edit_mark(item), curation.sensitive_terms_mark(item)


def _roundtable_form_page(form: RoundtableForm, item: Roundtable | None):
    return render_template(
        "facilitator/roundtable_form.html", form=form, roundtable=item,
        retention_max_years=roundtables.RETENTION_MAX_YEARS, meeting_max_hours=roundtables.MEETING_MAX_HOURS,
    )


def _schedule(form: RoundtableForm) -> dict:
    return {"meets_on": form.meets_on.data, "starts_at": form.starts_at.data, "ends_at": form.ends_at.data}


def _save_sensitive_terms(item, text: str | None, *, read: str | None) -> None:
    """Saved only when the facilitator changed the list the page showed (an editor may have saved another one
    since, which stays), and only when it differs from what is saved: saving rechecks every quote of the
    roundtable and is audited."""
    if curation.sensitive_terms_unchanged(text, read):
        return
    if curation.sensitive_terms_from(text) != curation.sensitive_terms(item):
        curation.set_sensitive_terms(g.user, item, text, read=read)


_STATUS_NOW = {
    "open": _l("The roundtable is open now: people can join with its code and write."),
    "closed": _l("The roundtable is closed now: no one can join it or write new words."),
    "archived": _l("The roundtable is archived now."),
}


@bp.post("/roundtables/<int:roundtable_id>/status")
@facilitator_only
def set_status(roundtable_id: int):
    item = _own(roundtable_id)
    form = StatusForm()
    if form.validate_on_submit():
        if form.status.data in ("closed", "archived") and form.confirmed.data != "yes":
            return render_template("facilitator/confirm_status.html", roundtable=item, form=form)
        with change() as outcome:
            roundtables.set_status(item, g.user, form.status.data)
        if outcome.saved:
            flash_at(ROUNDTABLE, str(_STATUS_NOW[form.status.data]))
    else:
        form.say_why_not()
    return redirect(url_for("facilitator.roundtable", roundtable_id=item.id))


@bp.post("/roundtables/<int:roundtable_id>/prompts")
@facilitator_only
def add_prompt(roundtable_id: int):
    item = _own(roundtable_id)
    form = NewPromptForm()
    if form.validate_on_submit():
        with change(errors_on=field_named(form, otherwise=form.text_en), once=form, sent_twice_at=PROMPTS) as outcome:
            roundtables.add_prompt(item, g.user, form.text_en.data, form.text_fil.data)
            outcome.location = url_for("facilitator.roundtable", roundtable_id=item.id)
        if outcome.saved:
            flash_at(PROMPTS, _("Prompt added."))
        if outcome.location:
            return redirect(outcome.location)
    return _roundtable_page(item, prompt_form=form)


@bp.route("/prompts/<int:prompt_id>", methods=["GET", "POST"])
@facilitator_only
def edit_prompt(prompt_id: int):
    prompt = db.session.get(Prompt, prompt_id)
    if prompt is None:
        abort(404)
    _own(prompt.roundtable_id)
    if (frozen := _frozen_on_opening(prompt.roundtable)) is not None:
        return frozen
    form = EditPromptForm(obj=prompt)
    if request.method == "GET":
        form.read.data = roundtables.prompt_mark(prompt)
    if form.validate_on_submit():
        # A refusal is said at the box it names, else at the first box whose words differ from what is saved
        # (Filipino comes first).
        first_changed = form.text_fil if form.text_fil.data != prompt.text_fil else form.text_en
        with change(errors_on=field_named(form, otherwise=first_changed)) as outcome:
            roundtables.update_prompt(prompt, g.user, form.text_en.data, form.text_fil.data, read=form.read.data)
        if outcome.saved:
            flash_at(PROMPTS, _("Changes saved."))
            return redirect(url_for("facilitator.roundtable", roundtable_id=prompt.roundtable_id))
        if isinstance(outcome.refusal, Conflict):  # what is saved now under each box; saving again goes through
            for field, saved in ((form.text_fil, prompt.text_fil), (form.text_en, prompt.text_en)):
                if field.data != saved:
                    say_saved_now(field, saved)
            form.read.data = roundtables.prompt_mark(prompt)
    return render_template("facilitator/prompt_form.html", form=form, prompt=prompt, answers=roundtables.answers_to(prompt))


@bp.post("/roundtables/<int:roundtable_id>/prompts/<int:prompt_id>/move")
@facilitator_only
def move_prompt(roundtable_id: int, prompt_id: int):
    item = _own(roundtable_id)
    form = MovePromptForm()
    if form.validate_on_submit():
        with change(place=PROMPTS) as outcome:
            prompt = roundtables.move_prompt(item, prompt_id, g.user, up=form.direction.data == "up",
                                             read=form.order.data)
        if outcome.saved:
            flash_at(PROMPTS, _("Prompt moved: it is number %(n)s now.", n=prompt.position))
    else:
        form.say_why_not(PROMPTS)
    return redirect(url_for("facilitator.roundtable", roundtable_id=item.id))


@bp.post("/roundtables/<int:roundtable_id>/prompts/<int:prompt_id>/remove")
@facilitator_only
def remove_prompt(roundtable_id: int, prompt_id: int):
    item = _own(roundtable_id)
    form = RemovePromptForm()
    back = url_for("facilitator.roundtable", roundtable_id=item.id)
    if form.validate_on_submit():
        asks_first = not asked_first()
        with change(place=PROMPTS) as outcome:
            if asks_first:  # a prompt that could not be removed anyway is refused before the question
                prompt = roundtables.check_remove_prompt(item, prompt_id)
            else:
                roundtables.remove_prompt(item, prompt_id, g.user)
        if outcome.saved and asks_first:
            words = prompt.text_fil if current_language() == "fil" else prompt.text_en
            return ask_first(
                _("Remove prompt %(n)s?", n=prompt.position),
                _("“%(words)s” is removed in both languages. The prompts after it move up one place.", words=words),
                yes=_("Yes, remove it"), back=back)
        if outcome.saved:
            flash_at(PROMPTS, _("Prompt removed."))
    else:
        form.say_why_not(PROMPTS)
    return redirect(back)


def _frozen_on_opening(item: Roundtable):
    """An archived roundtable's prompts and consent form stay as they were, as do those of one past its retention
    date: opening their forms leads back to the roundtable, saying so. A form already open and sent is refused by
    the service, its words kept."""
    if request.method == "GET" and (why := roundtables.frozen_because(item)) is not None:
        flash_at(ROUNDTABLE, str(why))
        return redirect(url_for("facilitator.roundtable", roundtable_id=item.id))
    return None


@bp.get("/moderation")
@facilitator_only
def moderation_queue():
    status = request.args.get("status")
    if status not in moderation.MODERATION_STATUSES:  # an address typed or kept from elsewhere
        status = "submitted"
    own = roundtables.titles_for_facilitator(g.user)
    roundtable_id = request.args.get("roundtable", type=number_arg)
    if roundtable_id not in {roundtable.id for roundtable in own}:  # handed over since, or typed: not a filter that
        roundtable_id = None  # the drop-down could show, so the list is of them all, as it shows
    page = moderation.queue(
        g.user, status=status, roundtable_id=roundtable_id, page=request.args.get("page", 1, type=number_arg),
    )
    if (last := last_page_instead(page)) is not None:
        return last
    return render_template(
        "facilitator/moderation.html", page=page, status=status, statuses=moderation.MODERATION_STATUSES,
        roundtables=own, roundtable_id=roundtable_id, roundtable_of={roundtable.id: roundtable for roundtable in own},
    )


@bp.route("/reflections/<int:reflection_id>", methods=["GET", "POST"])
@facilitator_only
@back_to_list_when_gone(lambda: _queue_as_left(), shows_back=NOTE_BOX)
def reflection(reflection_id: int):
    item = moderation.get(g.user, reflection_id)
    decision_form = DecisionForm(prefix="decision")
    note_form = NoteForm(prefix="note")
    if request.method == "GET":
        note_form.note.data = item.moderator_note or ""
    if decision_form.submit_ok():
        with change() as outcome:
            decided = moderation.decide(g.user, item, decision_form.decision.data, read=decision_form.read.data)
        if outcome.saved:
            released = item.status == "released"
            if decided:
                flash_at(MODERATION, _("Released to curation.") if released else _("Held back from curation."))
            else:  # pressed again on a page that showed it so
                flash_at(MODERATION, _("This reflection was already released to curation. Nothing changed.")
                         if released else _("This reflection was already held back from curation. Nothing changed."))
            return redirect(_queue_as_left())
    decision_form.say_why_not()  # buttons have no place for an error of their own
    note_refused = False
    if note_form.submit_ok():
        with change(errors_on=note_form.note) as outcome:
            moderation.save_note(g.user, item, note_form.note.data, read=note_form.read.data)
        if outcome.saved:
            flash_at(NOTE, _("Note saved."))
            return redirect(url_for("facilitator.reflection", reflection_id=item.id, **_queue_filters()))
        note_refused = True
    decision_form.read.data = moderation.read_mark(item)  # what this page shows, the newest words included
    note_form.read.data = moderation.note_mark(item)
    return render_template(
        "facilitator/reflection.html", reflection=item, decision_form=decision_form, note_form=note_form,
        queue_url=_queue_as_left(), note_refused=note_refused,
        quoting_allowed=consent.QUOTE_PUBLICLY in consent.current_grants(item.participant),
    )


def _queue_filters() -> dict[str, str]:
    """The moderation list's filter and page, carried in a reflection's address so a decision leads back there."""
    return {key: request.args[key] for key in ("status", "roundtable", "page") if request.args.get(key)}


def _queue_as_left() -> str:
    return url_for("facilitator.moderation_queue", **_queue_filters())


@bp.route("/roundtables/<int:roundtable_id>/consent", methods=["GET", "POST"])
@facilitator_only
def consent_form(roundtable_id: int):
    """Change the consent form: a new version; returning participants are asked to consent again."""
    item = _own(roundtable_id)
    if (frozen := _frozen_on_opening(item)) is not None:
        return frozen
    current = item.current_clauses()
    form = ConsentFormForm()
    if request.method == "GET":
        form.version.data = item.consent_version
        for clause in current:
            _add_statement_row(form, clause)
    else:
        form.keys_shown = consent.keys_until(item, form.version.data)
    if form.validate_on_submit():
        drafts = _statements_sent(form, current)
        known = {clause.key for clause in current}
        # Asked first: taking public quotes off ends every quote of the roundtable as its participants answer, a
        # statement made required leaves whoever said no to it to agree or take back all their words, and one added
        # as required leaves everyone who joined to do so.
        removes_quotes = (consent.QUOTE_PUBLICLY in known
                          and all(draft.key != consent.QUOTE_PUBLICLY for draft in drafts))
        made_required = [] if form.confirmed.data == "yes" else consent.made_required_after_no(item, drafts)
        added_required = None if form.confirmed.data == "yes" else consent.added_as_required(item, drafts)
        asks_first = form.confirmed.data != "yes" and (removes_quotes or bool(made_required or added_required))
        # Kept: the rest of what was typed is still in the form (even if, meanwhile, no one's "no" is left to ask about).
        if form.confirmed.data == "no":
            if consent.saved_already(item, drafts, seen=form.version.data):
                flash(_("These changes were saved already: the consent form is now version %(n)s, shown below as "
                        "saved. To undo one of them, change it below and save.", n=item.consent_version))
                return redirect(url_for("facilitator.consent_form", roundtable_id=item.id))
            if made_required or added_required or not removes_quotes:  # everything as typed, what was asked about too
                kept = _("Nothing was saved yet. Your changes are below: check which statements are required to take "
                         "part, then save.")
            else:
                _keep_statement(form, consent.QUOTE_PUBLICLY)
                kept = _("The statement on public quotes stays on the form. Your other changes are below, not saved "
                         "yet.")
            with change(errors_on=form.field_for) as outcome:  # a version saved since is said now, not at the next save
                consent.check_form_version(item, drafts, seen=form.version.data)
            if isinstance(outcome.refusal, Conflict):
                _show_consent_form_saved_now(form, item)
            else:
                flash(kept)
            return _consent_form_page(item, form)
        with change(errors_on=form.field_for) as outcome:
            if asks_first:  # a form that could not be saved anyway is refused before the question
                consent.check_form_version(item, drafts, seen=form.version.data)
            else:
                version = consent.new_form_version(item, g.user, drafts, seen=form.version.data)
        if outcome.saved and asks_first:
            return render_template(
                "facilitator/confirm_consent_change.html", roundtable=item, removes_quotes=removes_quotes,
                quotes=review.quotes_of_roundtable_in_use_or_making(item) if removes_quotes else 0,
                made_required=made_required, added_required=added_required,
                fields=[(name, value) for name, value in request.form.items(multi=True) if name != "confirmed"])
        if outcome.saved:
            if version == form.version.data:  # (sent twice, the second finds the version the first made: it is new)
                flash_at(CONSENT, _("Nothing changed: the consent form stays version %(n)s.", n=version))
            elif consent.anyone_asked_again(item):
                flash_at(CONSENT, _("The consent form is now version %(n)s. Participants will be asked to consent "
                                    "again the next time they open “My words”.", n=version))
            else:
                flash_at(CONSENT, _("The consent form is now version %(n)s.", n=version))
            return redirect(url_for("facilitator.roundtable", roundtable_id=item.id))
        if isinstance(outcome.refusal, Conflict):
            _show_consent_form_saved_now(form, item)
    elif form.is_submitted() and form.came_back_whole():  # a box refused here hides nothing the service refuses
        with change(errors_on=form.field_for) as outcome:
            consent.check_form_version(item, _statements_sent(form, current), seen=form.version.data)
        if isinstance(outcome.refusal, Conflict):
            _show_consent_form_saved_now(form, item)
    return _consent_form_page(item, form)


def _statements_sent(form: ConsentFormForm, current) -> list[consent.ClauseDraft]:
    """The form as sent, to be checked or saved: the statements shown (a statement is removed by its box, never by a
    row missing from what was sent), and the new one if anything of it was typed (without its key it is refused,
    never left out without a word)."""
    sent = {entry.key.data: entry for entry in form.clauses}
    known = {clause.key for clause in current}
    drafts = []
    for clause in current:
        entry = sent.get(clause.key)
        if entry is None:
            drafts.append(consent.ClauseDraft(clause.key, clause.text_en, clause.text_fil, clause.required))
        elif not entry.remove.data:
            drafts.append(_statement_sent(entry))
    # A row another page removed, shown again after a refusal and kept here: the statement comes back.
    drafts += [_statement_sent(entry) for key, entry in sent.items() if key not in known and not entry.remove.data]
    if form.new_key.data or form.new_text_fil.data or form.new_text_en.data:
        added = consent.ClauseDraft((form.new_key.data or "").strip().lower(), (form.new_text_en.data or "").strip(),
                                    (form.new_text_fil.data or "").strip(), bool(form.new_required.data))
        if added not in drafts:  # not on the form already, as this same form sent before put it there
            drafts.append(added)
    return drafts


def _consent_form_page(item: Roundtable, form: ConsentFormForm):
    form.number_statements()
    return render_template("facilitator/consent_form.html", roundtable=item, form=form,
                           fixed_requirement=consent.fixed_requirement)


def _keep_statement(form: ConsentFormForm, key: str) -> None:
    for entry in form.clauses:
        if entry.key.data == key:
            entry.remove.data = False


def _statement_sent(entry) -> consent.ClauseDraft:
    return consent.ClauseDraft(entry.key.data, entry.text_en.data or "", entry.text_fil.data or "",
                               bool(entry.required.data))


def _add_statement_row(form, clause) -> None:
    form.clauses.append_entry(
        {"key": clause.key, "text_fil": clause.text_fil, "text_en": clause.text_en, "required": clause.required}
    )


def _show_consent_form_saved_now(form, item: Roundtable) -> None:
    """After a refusal because another page saved a newer version: what that version says under each statement
    that differs, and its new statements as rows of their own; saving again, having seen them, goes through."""
    saved = {clause.key: clause for clause in item.current_clauses()}
    for entry in form.clauses:
        clause = saved.get(entry.key.data)
        if clause is None:
            entry.form["remove"].saved_now = _("The other page removed this statement. Tick the box to leave it out; "
                                               "saved without it ticked, the statement stays.")
            continue
        for part in ("text_fil", "text_en"):
            if (entry.form[part].data or "").strip() != getattr(clause, part).strip():
                say_saved_now(entry.form[part], getattr(clause, part))
        if bool(entry.required.data) != clause.required:
            say_saved_now(entry.form["required"], _("required to take part") if clause.required else _("optional"))
    shown = {entry.key.data for entry in form.clauses}
    for key, clause in saved.items():
        if key not in shown:
            _add_statement_row(form, clause)
    form.version.data = item.consent_version
