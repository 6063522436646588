"""The survivor leader's area: join with a code, consent, a passphrase, write, return.

No JavaScript is needed anywhere here, and nothing about the person is asked or logged.
"""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import date

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from roundtable import access, i18n, identity
from roundtable.access import participant_required, public
from roundtable.changes import change, field_named, flash_at, no_success_said
from roundtable.db import db
from roundtable.extensions import accepted, limiter, refused, signed_in_participant
from roundtable.models import Roundtable
from roundtable.participant.forms import (
    ClauseChangeForm, ConsentForm, DeleteReflectionForm, JoinForm, PassphraseCheckForm, PseudonymForm, QuoteReviewForm,
    ReflectionForm, ReturnForm, WithdrawForm,
)
from roundtable.services import consent, crypto, participation, passphrases, review, roundtables, withdrawal
from roundtable.services.errors import Conflict, RuleViolation

bp = Blueprint("participant", __name__)


@bp.before_request
def _one_change_at_a_time() -> None:
    """Every change a signed-in participant sends waits for their previous one (see ``participation.take_turn``)."""
    if request.method == "POST" and g.get("participant") is not None:
        participation.take_turn(g.participant)


PASSPHRASE_SHOWN_FOR = 10 * 60  # seconds after the pseudonym was chosen, or after "I need more time"
MORE_TIME_AT_MOST = 10  # times "I need more time" starts them again (WCAG 2.2.1 asks for ten); then they end
# How long after those minutes "I need more time" or the two words typed back still count, whatever the idle time: the
# page stays on screen past them while someone types, and the answer may be slow on its way. Opening the page then
# shows nothing.
LATE_ANSWER_GRACE = 5 * 60


def _join_state() -> dict:
    """What the person joining chose so far. It lapses after the participant idle time, like a session does:
    on a shared phone, the next person must not find the choices, or the passphrase shown once, still open.
    Once they have joined, not before the minutes the passphrase page promises: then its own words say why."""
    state = session.get("join") or {}
    lasts = current_app.config["PARTICIPANT_IDLE_MINUTES"] * 60
    if "passphrase" in state:
        lasts = max(lasts, PASSPHRASE_SHOWN_FOR + LATE_ANSWER_GRACE)
    if state and int(time.time()) - state.get("at", 0) > lasts:
        session.pop("join", None)
        if "passphrase" in state:
            _passphrase_no_longer_shown()
        flash(_("You were away for a while, so joining starts again here. Nothing you chose was kept."))
        return {}
    return state


def _passphrase_no_longer_shown():
    """They joined, and the passphrase page is over: on to the page where the words are typed."""
    flash(_("For your safety a passphrase is shown only for a few minutes. If you wrote it down, type it here. "
            "If not, join again with another pseudonym."))
    abort(redirect(url_for("participant.return_")))


def _keep_join_state(state: dict) -> dict:
    session["join"] = {**state, "at": int(time.time())}
    return session["join"]


def _joining_roundtable() -> Roundtable:
    """The roundtable chosen on /join; start again if it is gone or closed meanwhile. A page of this join opened
    again (Back, on a slow phone) once they joined leads on, not back to the start: to the passphrase while it is
    shown, since it is shown nowhere else, or, once they typed two of its words, to their words."""
    state = _join_state()
    if "passphrase" in state:
        abort(redirect(url_for("participant.join_passphrase")))
    if not state and g.participant is not None:
        abort(redirect(url_for("participant.my_words")))
    roundtable = db.session.get(Roundtable, state.get("roundtable_id", 0))
    if roundtable is None or roundtable.status != "open":
        session.pop("join", None)
        if roundtable is not None:  # closed while they were joining: said, not an empty page to start again on
            flash(str(roundtables.closed_to_words()), "error")
        abort(redirect(url_for("participant.join")))
    return roundtable


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit("20 per minute;100 per hour", methods=["POST"], deduct_when=refused)  # a room joins at once
@public
def join():
    if "passphrase" in _join_state():  # Back past the join's pages: the passphrase is shown nowhere else
        return redirect(url_for("participant.join_passphrase"))
    form = JoinForm(code=request.args.get("code", ""), language=i18n.current_language())
    switch_to = _language_sent_with_the_words()
    if switch_to:  # the page again in that language, the code as typed: nothing was tried
        form.language.data = switch_to
        accepted()
    elif form.validate_on_submit():
        try:
            roundtable = roundtables.find_open_by_code(form.code.data)
        except RuleViolation as problem:
            form.code.errors.append(str(problem))
            if isinstance(problem, roundtables.NotTakingWords):
                accepted()  # a right code, not a guess: a room on one connection must not lock itself out
        else:
            identity.leave_participant()  # someone signed in on this phone: every copy of their session ends
            session["lang"] = form.language.data
            _keep_join_state({"roundtable_id": roundtable.id})
            return redirect(url_for("participant.join_consent"))
    return render_template("participant/join.html", form=form)


@bp.route("/join/consent", methods=["GET", "POST"])
@public
def join_consent():
    roundtable = _joining_roundtable()
    clauses = roundtable.current_clauses()
    form = ConsentForm()
    form.clauses.choices = [(c.key, c.key) for c in clauses]
    if request.method == "GET":  # nothing ticked for them: what they ticked, on words that have not changed since
        state = _join_state()
        form.clauses.data = state.get("granted", [])
        _untick_what_changed(form, roundtable, state.get("form_version"), _kept_until_read(state),
                             i18n.current_language())
        form.adult.data = state.get("adult", False)
    # The header's language button sends what was ticked: the page comes back in that language, as it was.
    if not _language_sent_with_the_words() and form.validate_on_submit():
        granted = set(form.clauses.data or [])
        try:
            consent.check_choices(
                roundtable, granted, adult_confirmed=bool(form.adult.data), shown_version=form.form_version.data,
                kept_until_shown=form.kept_until_shown(),
            )
        except RuleViolation as problem:
            for each in problem.each():  # the statements and the age, both, when both are missing
                form.field_for(each).errors = [str(each)]
            if isinstance(problem, consent.FormChanged):  # shown again: ticks stay only on words read as they are
                _untick_what_changed(form, roundtable, form.form_version.data, form.kept_until_shown(),
                                     i18n.current_language())
        else:
            state = _join_state()
            _keep_join_state({
                **state, "granted": sorted(granted), "adult": True, "form_version": form.form_version.data,
                "kept_until": form.kept_until_shown().isoformat(),
                # this join's own: its pseudonym form sent twice (a second tap, a slow answer) is one join
                "key": state.get("key") or secrets.token_urlsafe(16),
            })
            return redirect(url_for("participant.join_pseudonym"))
    return render_template("participant/join_consent.html", form=form, roundtable=roundtable, clauses=clauses)


@bp.route("/join/pseudonym", methods=["GET", "POST"])
# A room joins on one address: refusals (a pseudonym taken, or asked about) are what probing makes; joining
# itself is capped only well above any room.
@limiter.limit("60 per minute", methods=["POST"], deduct_when=refused)
@limiter.limit("300 per minute", methods=["POST"])
@public
def join_pseudonym():
    roundtable = _joining_roundtable()
    state = _join_state()
    if not state.get("adult"):
        return redirect(url_for("participant.join_consent"))
    try:  # the facilitator changed the form, or kept words longer, after it was read: read it again
        consent.check_choices(roundtable, set(state.get("granted", [])), adult_confirmed=True,
                              shown_version=state.get("form_version", -1),
                              kept_until_shown=_kept_until_read(state) or date.min)
    except RuleViolation as problem:
        return _read_the_consent_form_again(state, problem)
    form = PseudonymForm()
    asking = False  # whether the page asks if the pseudonym is made up (participation.confirm_made_up)
    if _language_sent_with_the_words():
        if form.asked_about.data:  # asked before the language changed: asked again in it, the box as it was
            try:
                participation.confirm_made_up(form.pseudonym.data, said_made_up=None)
            except participation.MayPointToSomeone as question:
                form.pseudonym.errors = [str(question)]
                asking = True
    elif form.validate_on_submit():
        with change(errors_on=form.pseudonym) as outcome:
            participant, passphrase = participation.join(
                roundtable,
                language=i18n.current_language(),  # chosen on /join, or changed since in the header
                pseudonym=form.pseudonym.data,
                granted=set(state.get("granted", [])),
                adult_confirmed=True,
                shown_version=state["form_version"],
                kept_until_shown=_kept_until_read(state) or date.min,
                said_made_up=form.asked_about.data if form.made_up.data else None,
                join_key=state.get("key"),
            )
        if isinstance(outcome.refusal, consent.FormChanged):  # changed in the moment between reading and joining
            return _read_the_consent_form_again(state, outcome.refusal)
        if isinstance(outcome.refusal, participation.MayPointToSomeone):  # asked now: the box starts unticked
            form.asked_about.data, form.made_up.data, asking = form.pseudonym.data, False, True
        if outcome.saved:
            words = passphrase.split()
            first, second = sorted(secrets.SystemRandom().sample(range(len(words)), 2))
            _keep_join_state({
                "participant_id": participant.id,
                "passphrase": crypto.encrypt(passphrase),
                "language": participant.language,  # of the passphrase's words, whatever the page's is later
                "check": [first, second],
            })
            return redirect(url_for("participant.join_passphrase"))
    suggestions = passphrases.suggest_pseudonyms(i18n.current_language(), 3)
    return render_template("participant/join_pseudonym.html", form=form, roundtable=roundtable, suggestions=suggestions,
                           asking=asking)


def _kept_until_read(state: dict) -> date | None:
    return date.fromisoformat(state["kept_until"]) if state.get("kept_until") else None


def _untick_what_changed(form: ConsentForm, roundtable, version: int | None, kept_until: date | None,
                         language: str) -> None:
    again = consent.to_read_again(roundtable, version, kept_until, language)
    form.clauses.data = [key for key in form.clauses.data or [] if key not in again]


def _read_the_consent_form_again(state: dict, problem: RuleViolation):
    """What was ticked answered other words, or another date: the consent page again, saying why."""
    _keep_join_state({**state, "adult": False})
    flash(str(problem), "error")
    return redirect(url_for("participant.join_consent"))


@bp.route("/join/passphrase", methods=["GET", "POST"])
@public
def join_passphrase():
    """Shown once. The participant proves they kept it by typing two of its words back."""
    state = _join_state()
    if "passphrase" not in state:
        return redirect(url_for("participant.join" if g.participant is None else "participant.my_words"))
    form = PassphraseCheckForm()
    switched = _language_sent_with_the_words()  # the words typed come back as they were, unchecked
    # Its CSRF token was checked before this view, as every POST's is (access.enforce): only the words are not.
    more_time = form.is_submitted() and form.more_time.data
    if more_time and state.get("more_time", 0) < MORE_TIME_AT_MOST:
        # Asked for, never given by opening the page again: that is how the next person on a shared phone would
        # keep it on screen. Pressed a little late it still counts (the answer was on its way, or, without
        # JavaScript, the page stayed on screen past its minutes): the words are on that screen already. The page
        # answers itself, not a redirect: without JavaScript, the words typed so far stay in their boxes.
        state = _keep_join_state({**state, "more_time": state.get("more_time", 0) + 1})
        flash(_("Your secret passphrase is shown for %(minutes)s more minutes.", minutes=PASSPHRASE_SHOWN_FOR // 60))
    more_time_left = state.get("more_time", 0) < MORE_TIME_AT_MOST
    # Long enough to write it down and type two words back; after that, the next person on a shared phone must
    # not find it on this page. Two words typed right still count then: they show nothing.
    shown_too_long = int(time.time()) - state.get("at", 0) > PASSPHRASE_SHOWN_FOR
    passphrase = crypto.decrypt(state["passphrase"])
    words = passphrase.split()
    first, second = state["check"]
    form.first.label.text = _("Word number %(n)s", n=first + 1)  # which words are asked changes each time
    form.second.label.text = _("Word number %(n)s", n=second + 1)
    if not switched and not more_time and form.validate_on_submit():
        asked = ((form.first, first), (form.second, second))
        wrong = [field for field, index in asked if passphrases.normalize(field.data) != words[index]]
        if not wrong:
            session.pop("join", None)
            try:
                participant = participation.find_by_passphrase(passphrase)
            except RuleViolation as taken_back:  # in another tab, already: /return says so again
                flash(str(taken_back), "error")
                participant = None
            if participant is None:
                return redirect(url_for("participant.return_"))
            # A language changed on this page is theirs from now on (the passphrase keeps its words).
            participation.choose_language(participant, i18n.current_language())
            participation.joined(participant)
            db.session.commit()
            identity.sign_in_participant(participant)
            return redirect(url_for("participant.before_you_write"))
        for field in wrong:
            field.errors.append(_("This word does not match. Look at your passphrase again; it is still shown above."))
    if shown_too_long:
        session.pop("join", None)
        _passphrase_no_longer_shown()
    return render_template("participant/join_passphrase.html", form=form, words=words,
                           words_language=state.get("language"), shown_minutes=PASSPHRASE_SHOWN_FOR // 60,
                           shown_seconds_left=max(0, PASSPHRASE_SHOWN_FOR - (int(time.time()) - state.get("at", 0))),
                           more_time_left=more_time_left, warn_seconds=identity.WARN_BEFORE)


@bp.get("/closed")
@public  # the session may have ended already
def closed_for_safety():
    """Where a page that closed itself with nobody there goes: it ends the session (every copy of it) before its own
    idle time is up, so that whoever picks up the phone finds the passphrase form, not "My words". Only a
    participant's: anyone else sent here (a link, a staff sign-in's next page) is left as they were. While another
    of their pages is in use, in another tab, this one says so and shows nothing else."""
    if not identity.close_for_safety() and g.participant is not None:
        return render_template("participant/page_closed.html")
    return redirect(url_for("participant.return_"))


@bp.route("/return", methods=["GET", "POST"])
# A room returns at once after a break, on one address, and seven words typed on a phone often hold a typo: 20
# refusals a minute held a whole room, right passphrases too. Guessing seven words is hopeless at any rate here.
@limiter.limit("60 per minute;100 per hour", methods=["POST"], deduct_when=refused)
@public
def return_():
    if g.participant is not None:
        return redirect(url_for("participant.my_words"))
    form = ReturnForm()
    if _language_sent_with_the_words():
        accepted()  # the page again in that language, the passphrase as typed (in the form, never the address)
    elif form.validate_on_submit():
        try:
            participant = participation.find_by_passphrase(form.passphrase.data)
        except RuleViolation as taken_back:
            form.passphrase.errors.append(str(taken_back))
        else:
            if participant is not None:
                # A language chosen on this page, by whoever holds the phone now, is theirs from now on; else
                # the one they chose before comes back (what an earlier person on the phone left does not count).
                chosen = session.get("lang") if session.get("lang_chosen") else None
                if chosen:
                    participation.choose_language(participant, chosen)
                if participant.join_key_digest is not None:  # back with the passphrase: their join is over
                    participation.joined(participant)
                db.session.commit()
                identity.sign_in_participant(participant)
                return redirect(url_for("participant.my_words"))
            # Said of every passphrase it does not know: past the retention date the words and the digest that
            # found them are erased (``retention.erase_what_outlives_the_words``), and no one learns which it was.
            form.passphrase.errors.append(_(
                "We could not open your words with that passphrase. Check each word and try again. If your "
                "roundtable's retention date has passed, its words were erased on that date, as its consent form "
                "said, and no passphrase opens them now."
            ))
    ended = identity.ended_elsewhere()
    expired = identity.why_it_ended()
    return render_template("participant/return.html", form=form, expired=expired, ended=ended,
                           offline=expired == identity.LAPSED_OFFLINE)


@bp.get("/before-you-write")
@participant_required
def before_you_write():
    return render_template("participant/before.html", roundtable=g.participant.roundtable)


@bp.route("/my", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], key_func=signed_in_participant)
@participant_required
def my_words():
    participant = g.participant
    # With a quote waiting for an answer, the language buttons send the notes typed for the editor (see base.html):
    # the page comes back in that language with them, as typed. The language is theirs from now on.
    if switch_to := _language_sent_with_the_words():
        participation.choose_language(participant, switch_to)
        db.session.commit()
    if consent.needs_new_consent(participant):
        return redirect(url_for("participant.renew_consent"))
    if request.method == "POST" and not switch_to:
        return redirect(url_for("participant.my_words"))
    return _my_words_page(participant)


def _my_words_page(participant, refused: QuoteReviewForm | None = None, refused_id: int | None = None):
    """The participant's page; with ``refused``, the answer to quote ``refused_id`` that was not taken, shown
    again with its note as typed (and focused, as the page opens at its top)."""
    record = consent.current_record(participant)
    quotes = review.quotes_of(participant)
    reflections = participation.reflections_of(participant)
    locked = {q.reflection_id for q in quotes if q.status == "approved"}

    def review_form(quote) -> QuoteReviewForm:
        # Sent (a language button, an answer to another quote refused), each note comes back as it was typed.
        form = refused if quote.id == refused_id else QuoteReviewForm(prefix=f"q{quote.id}")
        form.revision.data = quote.revision  # the words on the page now: answering again, having read them, counts
        return form

    return render_template(
        "participant/my_words.html",
        roundtable=participant.roundtable,
        reflections=reflections,
        locked=locked,
        grants=consent.current_grants(participant),
        too_late_to_approve=review.TOO_LATE_TO_APPROVE,
        clauses=consent.clauses_of_version(participant.roundtable, record.form_version) if record else [],
        quotes=quotes,
        counts=review.quote_counts(participant),
        review_form=review_form,
        refused=refused,  # (the answer not taken, for the page's title)
        refused_id=refused_id,
        takes_words=roundtables.takes_words(participant.roundtable),
        # the notes typed for the editor are one form, which the language buttons send
        language_form="quote-answers" if any(q.status == "awaiting_participant" for q in quotes) else None,
    )


@bp.route("/write/<int:prompt_id>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], key_func=signed_in_participant)
@participant_required
def write(prompt_id: int):
    participant = g.participant
    prompt, draft = participation.prompt_with_draft(participant, prompt_id)
    return _reflection_page(prompt, draft)


@bp.route("/my/reflections/<int:reflection_id>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], key_func=signed_in_participant)
@participant_required
def edit(reflection_id: int):
    reflection = participation.own_reflection(g.participant, reflection_id)
    return _reflection_page(reflection.prompt, reflection)


def _reflection_page(prompt, reflection):
    participant = g.participant
    form = ReflectionForm(obj=reflection if request.method == "GET" else None)
    if request.method == "GET":
        form.idempotency_key.data = reflection.idempotency_key if reflection and reflection.idempotency_key else uuid.uuid4().hex
        form.seen.data = participation.words_mark(reflection)
        if reflection is None:
            form.language.data = participant.language
    switch_to = _language_sent_with_the_words()
    # Asked about words already submitted, "Change the one I submitted": these words go in its place.
    changing = (participation.sent_to_change(participant, prompt, form.change_sent.data)
                if request.method == "POST" and form.change_sent.data and not switch_to else None)
    into = changing or reflection
    # A reflection already shared is never a draft again: taking a break from it shares the changes too, and
    # changing the language keeps the changes on the page, not sent. A draft is saved before the page changes.
    shared = into is not None and into.status != "draft"
    asked = changing  # the reflection already submitted the page asks about
    if form.validate_on_submit() and not (switch_to and (shared or not form.text.data)):
        submit = not switch_to and (bool(form.submit.data) or changing is not None or (shared and bool(form.leave.data)))
        unchanged = submit and shared and participation.already_shared_as(
            into, text=form.text.data or "", language=form.language.data)
        with change(errors_on=form.text) as outcome:
            saved = participation.save_reflection(
                participant, prompt,
                text=form.text.data or "",
                language=form.language.data,
                submit=submit,
                idempotency_key=(form.idempotency_key.data or "")[:64],
                reflection=into,
                # The words this page showed; not those of the reflection it was asked about, which go in its place.
                seen=None if changing else form.seen.data,
                tried=form.tried.data,
                # Not asked once answered, nor with nobody there: the page closing for safety keeps them a draft.
                ask=not request.form.get("closed_for_safety") and (bool(switch_to) or not form.as_new.data),
            )
            if switch_to:
                participation.choose_language(participant, switch_to)
        if isinstance(outcome.refusal, participation.AlreadySent):
            asked = outcome.refusal.sent
        if outcome.saved:
            # The very words submitted before, put back by the browser after Back: nothing was saved as a draft.
            unchanged = unchanged or (not submit and saved.status != "draft")
            session["words_arrived"] = request.path  # the page that follows tells this page's script (see base.html)
            if switch_to:
                flash(_("Your draft is saved."))
                return redirect(url_for("participant.edit", reflection_id=saved.id))
            if form.leave.data:
                identity.leave_participant()
                flash(_("Nothing to send: your reflection already reads just like this. "
                        "Come back with your passphrase whenever you are ready.") if unchanged
                      else _("Your changes are submitted. Come back with your passphrase whenever you are ready.")
                      if shared else _("Your draft is saved. Come back with your passphrase whenever you are ready."))
                return redirect(url_for("participant.return_"))
            flash(_("Nothing to send: your reflection already reads just like this.") if unchanged
                  else _("Thank you. Your reflection was submitted.") if submit else _("Your draft is saved."))
            return redirect(url_for("participant.my_words"))
    if (refused := access.closed_for_safety_refused()) is not None:
        return refused, 409
    if switch_to:  # the words stay on the page, now in the other language; only that choice is kept
        participation.choose_language(participant, switch_to)
        db.session.commit()
        if reflection is None and not form.text.data:  # nothing typed to keep: the page again, so Back works
            return redirect(request.path)
    # Sent after the roundtable closed: the words stay in the box to be copied, with no button that cannot save, and
    # no autosave, which would be refused: the page says they are not saved, not that a draft is kept (QA r2 1).
    closed_now = request.method == "POST" and not roundtables.takes_words(participant.roundtable)
    return render_template(
        "participant/write.html", form=form, prompt=prompt, reflection=reflection, sent_to=_address_to_send_to(),
        already_sent=asked,
        roundtable=participant.roundtable, shut=_why_it_cannot_change(participant, reflection),
        closed_now=closed_now, not_saved_warning=closed_now and _words_not_saved_warning(),
        autosave=not closed_now and (reflection is None or reflection.status == "draft"),
        unsent=bool(switch_to) and shared and form.text.data != reflection.text,
        text_limit=participation.REFLECTION_MAX,
    )


def _address_to_send_to() -> str:
    """The writing form is sent to an address of its own, not the page's. A button pressed as the signal drops
    shows the browser's error page, and Chromium puts an error page for the page's own address in the page's
    place in history: Back led past it, and the words were lost without JavaScript. Sent elsewhere, Back returns
    to the page with the words in the box. A page answering a sending is at that address: its form goes to the
    page's own."""
    if request.args.get("sent"):
        return request.path
    return url_for(request.endpoint, **request.view_args, sent=1)


def _why_it_cannot_change(participant, reflection) -> str | None:
    """Opened (not sent), a page whose words could not be saved says why instead of offering a form: the
    roundtable closed, or a quote of the reflection approved. A form already open and sent keeps its words."""
    if request.method != "GET":
        return None
    if not roundtables.takes_words(participant.roundtable):
        return str(roundtables.closed_to_words())
    if reflection is not None and reflection.status != "draft" and withdrawal.has_approved_quote(reflection):
        return _("A quote of it was approved, so it can no longer be changed.")
    return None


def _language_sent_with_the_words() -> str | None:
    """The language chosen with a writing or joining page's language button, which sends the form (see base.html).

    The rest of the request, its messages included, is in that language. Chosen before signing in, it is kept at
    sign-in, as the header's language link does.
    """
    chosen = i18n.normalize(request.form.get("switch_language")) if request.method == "POST" else None
    if chosen:
        session["lang"] = chosen
        if g.participant is None:
            session["lang_chosen"] = True
        i18n.refresh()
    return chosen


def _words_not_saved_warning() -> str:
    """A writing page's warning before it closes itself, once its words can no longer be saved (the roundtable
    closed): with the page showing words sent after the close, and with an autosave's refusal, for a page open as the
    roundtable closed (writing.js puts it in place of "Your draft is kept")."""
    return _("For your safety this page will close soon if nothing happens. Your words here are not saved: copy them "
             "before the page closes. Type or press a button to stay.")


@bp.post("/write/<int:prompt_id>/autosave")
@limiter.limit("30 per minute", key_func=signed_in_participant)
@participant_required
def autosave(prompt_id: int):
    """Called every few seconds by writing.js while someone writes: keeps the draft, and the session alive.

    Only drafts are saved this way; a reflection already submitted changes only when its author presses a button.
    """
    participant = g.participant
    prompt = participation.prompt_for(participant, prompt_id)
    if not roundtables.takes_words(participant.roundtable):
        return _closed_to_words()
    form = ReflectionForm()
    key = (form.idempotency_key.data or "").strip()[:64]
    if not form.validate() or not key:  # without the page's key, each autosave would start another draft
        why = form.text.errors[0] if form.text.errors else _("Not saved. Use the buttons below to save.")
        return jsonify(saved=False, message=str(why)), 400  # words over the limit: the limit, as saving would say
    reflection = participation.reflection_by_key(participant, prompt, key)
    if reflection is not None and reflection.status != "draft":
        # Submitted or deleted on another page or tab: said so, and the page autosaves no more, its warning before it
        # closes itself saying to copy the words (as closing, it would send them to a draft that is no more).
        said = participation.no_longer_a_draft(reflection)
        return jsonify(saved=False, message=said, **({"warning": _words_not_saved_warning()} if said else {})), 409
    try:
        saved = participation.save_reflection(
            participant, prompt, text=form.text.data or "", language=form.language.data, submit=False,
            idempotency_key=key, reflection=reflection, ask=True, seen=form.seen.data, tried=form.tried.data,
        )
    except RuleViolation as problem:
        db.session.rollback()
        if isinstance(problem, roundtables.NotTakingWords):  # closed meanwhile
            return _closed_to_words()
        if not isinstance(problem, participation.AlreadySent):
            return jsonify(saved=False, message=str(problem)), 409 if isinstance(problem, Conflict) else 400
        saved = problem.sent
    if saved.status != "draft":  # words submitted before, put back in the box after Back: no draft was saved
        db.session.rollback()
        return jsonify(saved=False, message=_("Not saved as a draft: you already submitted these words, or part "
                                              "of them. Press a button below to choose what to do.")), 409
    db.session.commit()
    return jsonify(saved=True, seen=participation.words_mark(saved))  # what the page's next save was made from


def _closed_to_words():
    """An autosave from a page left open as the facilitator closed the roundtable (or it passed its retention date):
    said where the page says how saving goes, and, with ``warning``, the page's warning before it closes itself
    (which said "Your draft is kept") says to copy the words. writing.js autosaves no more, and closing for safety
    does not send them: the server would refuse them, and they would be lost without a word."""
    return jsonify(saved=False, message=str(roundtables.closed_to_words()), warning=_words_not_saved_warning()), 400


@bp.post("/still-here")
@participant_required
def still_here():
    """participant.js asks this while someone types on a page that does not autosave (changing a reflection
    already shared): the request itself keeps the session (identity.load), once its CSRF token was checked."""
    return "", 204


@bp.route("/my/reflections/<int:reflection_id>/delete", methods=["GET", "POST"])
@participant_required
def delete_reflection(reflection_id: int):
    participant = g.participant
    # "Delete" sent twice (a double click, or Back and the button again) says deleted, not "not found".
    reflection = participation.own_reflection(participant, reflection_id, deleted_too=request.method == "POST")
    form = DeleteReflectionForm()
    if form.validate_on_submit():
        withdrawal.delete_reflection(participant, reflection)
        db.session.commit()
        flash(_("Your reflection was deleted."))
        return redirect(url_for("participant.my_words"))
    return render_template("participant/delete_reflection.html", form=form, reflection=reflection,
                           quotes=review.quotes_of_reflection_in_use(reflection))


@bp.errorhandler(participation.ReflectionDeleted)
def reflection_deleted(deleted: participation.ReflectionDeleted):
    """Any page of a reflection its author deleted (to change it, to delete it, a form sent from one): said so, with
    the way back to their words. Words sent with the form are shown back to be copied, unless the page sent them
    itself as it closed with nobody there."""
    if (closed := access.closed_for_safety_refused()) is not None:
        return closed, 404
    no_success_said()
    return render_template("participant/reflection_deleted.html", said=str(deleted),
                           text=request.form.get("text") if request.method == "POST" else None,
                           language=request.form.get("language")), 404


@bp.post("/my/consent")
@participant_required
def change_consent():
    participant = g.participant
    # Where the next page shows its messages: by the choices, or at the top of the new consent form, which
    # "My words" leads to first while it waits for an answer.
    place = None if consent.needs_new_consent(participant) else "consent"
    form = ClauseChangeForm()
    # The question's language buttons send its form: asked again in that language, nothing changed.
    if switch_to := _language_sent_with_the_words():
        participation.choose_language(participant, switch_to)
        db.session.commit()
    if form.validate_on_submit():
        # Taking public quotes back ends, for good, every quote of their words in use or being made: asked first.
        ending = (form.key.data == consent.QUOTE_PUBLICLY and form.grant.data == "0"
                  and (form.confirmed.data != "yes" or switch_to)
                  and consent.QUOTE_PUBLICLY in consent.current_grants(participant)
                  and review.quote_counts(participant).in_use_or_making)
        if ending:
            return _confirm_take_back(ending, url_for("participant.change_consent"),
                                      url_for("participant.my_words", _anchor="consent"),
                                      _("Keep allowing public quotes"), language_form="take-back")
        if switch_to:  # no longer a question to ask (answered in another tab): nothing is changed by a language
            return redirect(url_for("participant.my_words", _anchor="consent"))
        with change(place=place) as outcome:
            consent.change_clause(participant, form.key.data, grant=form.grant.data == "1")
        if outcome.saved:
            flash_at(place, _("Your choice is saved. It applies from now on."))
    else:
        form.say_why_not(place)
    return redirect(url_for("participant.my_words", _anchor="consent"))


def _confirm_take_back(quotes: int, action: str, back: str, back_label: str, language_form: str | None = None,
                       back_sends_the_answer: bool = False):
    """Taking public quotes back ends, for good, every quote of their words in use or being made: asked first. The
    question sends the form as it was sent (every choice on it), confirmed. With ``back_sends_the_answer``, going
    ``back`` sends it too, with ``go_back``: the form there is shown again as it was answered, nothing recorded."""
    sent = [(name, value) for name, value in request.form.items(multi=True)
            if name not in ("csrf_token", "confirmed", "switch_language", "go_back")]
    return render_template("participant/confirm_take_back.html", quotes=quotes, action=action, sent=sent,
                           back=back, back_label=back_label, language_form=language_form,
                           back_sends_the_answer=back_sends_the_answer)


def _record_answer(participant, form: ConsentForm) -> None:
    """The answer to a changed consent form, as sent."""
    consent.record_consent(participant, set(form.clauses.data or []), adult_confirmed=bool(form.adult.data),
                           shown_version=form.form_version.data, kept_until_shown=form.kept_until_shown())


def _would_be_recorded(participant, form: ConsentForm) -> bool:
    """Whether this answer to a changed form passes every check of its own (the required statements, the age, the
    version read): only then is the question about the quotes worth asking. Tried, then rolled back."""
    try:
        _record_answer(participant, form)
    except RuleViolation:
        return False
    finally:
        db.session.rollback()
    return True


@bp.route("/my/consent/new", methods=["GET", "POST"])
@participant_required
def renew_consent():
    """The roundtable's consent form changed: until the participant answers, their older choices apply."""
    participant = g.participant
    roundtable = participant.roundtable
    record = consent.current_record(participant)  # their current answer, read once for all the page asks of it
    if not consent.needs_new_consent(participant, record):  # answered in another tab, or the date to erase passed
        if request.method == "POST" and roundtables.past_retention(roundtable):
            flash(_("The date to erase this roundtable's words passed while you answered, so the new form no longer "
                    "applies and nothing was changed. What you allowed is below: you can still take any of it back."),
                  "error")
        return redirect(url_for("participant.my_words"))
    clauses = roundtable.current_clauses()
    previous = consent.current_grants(participant, record)
    form = ConsentForm()
    form.clauses.choices = [(c.key, c.key) for c in clauses]
    changed = consent.changed_since_answered(participant, record)
    if request.method == "GET":  # what they agreed to in the same words; a statement new to them is theirs to tick
        form.clauses.data = [c.key for c in clauses if c.key in previous and c.key not in changed.reworded]
    # Answering without public quoting takes back every quote of their words: said on the page, and asked again.
    quotes_at_stake = review.quote_counts(participant).in_use_or_making if consent.QUOTE_PUBLICLY in previous else 0
    switch_to = _language_sent_with_the_words()
    # "Go back to the consent form" from the question below sends the answer back: shown again as given (QA r1-4).
    going_back = request.method == "POST" and bool(request.form.get("go_back"))
    if switch_to:  # the answer comes back in it, as it was given; the language is theirs from now on
        participation.choose_language(participant, switch_to)
        db.session.commit()
    elif not going_back and form.validate_on_submit():
        if (quotes_at_stake and consent.QUOTE_PUBLICLY not in (form.clauses.data or [])
                and form.confirmed.data != "yes" and _would_be_recorded(participant, form)):
            # its language buttons send the answer back to this form, in that language, as it was given
            return _confirm_take_back(quotes_at_stake, url_for("participant.renew_consent"),
                                      url_for("participant.renew_consent"), _("Go back to the consent form"),
                                      language_form="take-back", back_sends_the_answer=True)
        with change(errors_on=form.field_for) as outcome:
            _record_answer(participant, form)
        if outcome.saved:
            flash(_("Thank you. Your consent is updated."))
            return redirect(url_for("participant.my_words"))
        if isinstance(outcome.refusal, consent.FormChanged):  # shown again: ticks stay only on words read as they are
            _untick_what_changed(form, roundtable, form.form_version.data, form.kept_until_shown(),
                                 participant.language)
    return render_template(
        "participant/renew_consent.html", form=form, roundtable=roundtable, clauses=clauses,
        reworded=changed.reworded, made_required=changed.made_required, made_optional=changed.made_optional,
        quotes_at_stake=quotes_at_stake, quoting_offered=any(c.key == consent.QUOTE_PUBLICLY for c in clauses),
    )


@bp.post("/my/quotes/<int:quote_id>")
@participant_required
def review_quote(quote_id: int):
    participant = g.participant
    try:
        quote = review.own_quote(participant, quote_id)
    except review.BeingChanged as problem:  # no longer on the page: said at its list of quotes
        flash_at("quotes", str(problem), "error")
        return redirect(url_for("participant.my_words", _anchor="quotes"))
    form = QuoteReviewForm(prefix=f"q{quote.id}")
    # Where the next page is scrolled to: every message is said there; with a new consent form waiting, which
    # "My words" leads to first, at its top.
    renewing = consent.needs_new_consent(participant)
    place = None if renewing else f"quote-{quote_id}"
    if form.validate_on_submit():
        # A refusal about the note is said beside it too; every refusal is said at the quote.
        with change(errors_on=field_named(form, otherwise=form.revision)) as outcome:
            review.respond(participant, quote, approve=bool(form.approve.data), comment=form.comment.data or None,
                           revision=form.revision.data)
        if outcome.saved:
            flash_at(place, _("Thank you. The editor will see your answer.") if quote.status == "declined"
                     else _("Thank you. You approved this quote."))
            return redirect(url_for("participant.my_words", _anchor=place))
        form.say_why_not(place)
    elif quote.status == "awaiting_participant":  # not an answer given already, sent again by Back and reload
        form.say_why_not(place)
    if renewing:  # asked first
        return redirect(url_for("participant.renew_consent"))
    if quote.status != "awaiting_participant":  # no form on the page to keep a note in
        return redirect(url_for("participant.my_words", _anchor=place))
    return _my_words_page(participant, refused=form, refused_id=quote.id)  # the note typed is not lost


@bp.route("/my/withdraw", methods=["GET", "POST"])
@participant_required
def withdraw():
    participant = g.participant
    form = WithdrawForm()
    if roundtables.past_retention(participant.roundtable):  # no date left to keep them hidden until
        form.erase.label.text = _("Also erase my words now.")
    if form.validate_on_submit():
        withdrawal.withdraw_all(participant, erase=bool(form.erase.data))
        db.session.commit()
        identity.end_participant()
        flash(_("All your words were taken back. Thank you for what you shared."))
        return redirect(url_for("public.home"))
    return render_template("participant/withdraw.html", form=form, roundtable=participant.roundtable)


@bp.app_template_global("words_arrived")
def _words_arrived() -> str | None:
    """The writing page whose words the last request saved, said once to the page that follows: its script
    (participant.js) then forgets the copy writing.js kept of them in case they never arrived."""
    return session.pop("words_arrived", None)
