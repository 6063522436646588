"""The survivor leader's area: join with a code, consent, a passphrase, write, return.

No JavaScript is needed anywhere here, and nothing about the person is asked or logged.
"""

from __future__ import annotations

import secrets
import uuid

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from roundtable import identity
from roundtable.access import participant_required, public
from roundtable.db import db
from roundtable.extensions import limiter
from roundtable.models import Roundtable
from roundtable.participant.forms import ConsentForm, JoinForm, PassphraseCheckForm, PseudonymForm, ReflectionForm, ReturnForm
from roundtable.services import consent, crypto, participation, passphrases, roundtables
from roundtable.services.errors import RuleViolation

bp = Blueprint("participant", __name__)


def _join_state() -> dict:
    return session.get("join") or {}


def _joining_roundtable() -> Roundtable:
    """The roundtable chosen on /join; start again if it is gone or closed meanwhile."""
    state = _join_state()
    roundtable = db.session.get(Roundtable, state.get("roundtable_id", 0))
    if roundtable is None or roundtable.status != "open":
        session.pop("join", None)
        abort(redirect(url_for("participant.join")))
    return roundtable


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def join():
    form = JoinForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            roundtable = roundtables.find_open_by_code(form.code.data)
        except RuleViolation as problem:
            form.code.errors.append(str(problem))
        else:
            identity.end_participant()
            session["lang"] = form.language.data
            session["join"] = {"roundtable_id": roundtable.id, "language": form.language.data}
            return redirect(url_for("participant.join_consent"))
    return render_template("participant/join.html", form=form)


@bp.route("/join/consent", methods=["GET", "POST"])
@public
def join_consent():
    roundtable = _joining_roundtable()
    clauses = roundtable.current_clauses()
    form = ConsentForm()
    form.clauses.choices = [(c.key, c.key) for c in clauses]
    if request.method == "GET":
        form.clauses.data = _join_state().get("granted", [c.key for c in clauses if c.required])
        form.adult.data = _join_state().get("adult", False)
    if form.validate_on_submit():
        granted = set(form.clauses.data or [])
        missing = [c for c in clauses if c.required and c.key not in granted]
        if missing or not form.adult.data:
            form.clauses.errors = [_("To take part, please tick the required statements and confirm you are 18 or older.")]
        else:
            state = _join_state()
            state.update(granted=sorted(granted), adult=True)
            session["join"] = state
            return redirect(url_for("participant.join_pseudonym"))
    return render_template("participant/join_consent.html", form=form, roundtable=roundtable, clauses=clauses)


@bp.route("/join/pseudonym", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def join_pseudonym():
    roundtable = _joining_roundtable()
    state = _join_state()
    if not state.get("adult"):
        return redirect(url_for("participant.join_consent"))
    form = PseudonymForm()
    if form.validate_on_submit():
        try:
            participant, passphrase = participation.join(
                roundtable,
                language=state["language"],
                pseudonym=form.pseudonym.data,
                granted=set(state.get("granted", [])),
                adult_confirmed=True,
            )
        except RuleViolation as problem:
            db.session.rollback()
            form.pseudonym.errors.append(str(problem))
        else:
            db.session.commit()
            words = passphrase.split()
            first, second = sorted(secrets.SystemRandom().sample(range(len(words)), 2))
            session["join"] = {
                "participant_id": participant.id,
                "passphrase": crypto.encrypt(passphrase),
                "check": [first, second],
            }
            return redirect(url_for("participant.join_passphrase"))
    suggestions = passphrases.suggest_pseudonyms(state["language"], 3)
    return render_template("participant/join_pseudonym.html", form=form, roundtable=roundtable, suggestions=suggestions)


@bp.route("/join/passphrase", methods=["GET", "POST"])
@public
def join_passphrase():
    """Shown once. The participant proves they kept it by typing two of its words back."""
    state = _join_state()
    if "passphrase" not in state:
        return redirect(url_for("participant.join"))
    passphrase = crypto.decrypt(state["passphrase"])
    words = passphrase.split()
    first, second = state["check"]
    form = PassphraseCheckForm()
    if form.validate_on_submit():
        typed = (passphrases.normalize(form.first.data), passphrases.normalize(form.second.data))
        if typed == (words[first], words[second]):
            participant = participation.find_by_passphrase(passphrase)
            session.pop("join", None)
            if participant is None:
                return redirect(url_for("participant.return_"))
            identity.sign_in_participant(participant)
            return redirect(url_for("participant.before_you_write"))
        form.first.errors.append(_("Those words do not match. Look at your passphrase again; it is still shown above."))
    return render_template(
        "participant/join_passphrase.html", form=form, words=words, first=first + 1, second=second + 1
    )


@bp.route("/return", methods=["GET", "POST"])
@limiter.limit("10 per minute;60 per hour", methods=["POST"])
@public
def return_():
    if g.participant is not None:
        return redirect(url_for("participant.my_words"))
    form = ReturnForm()
    if form.validate_on_submit():
        participant = participation.find_by_passphrase(form.passphrase.data)
        if participant is not None:
            identity.sign_in_participant(participant)
            return redirect(url_for("participant.my_words"))
        form.passphrase.errors.append(
            _("We could not open your words with that passphrase. Check each word and try again.")
        )
    expired = session.pop("expired", False)
    return render_template("participant/return.html", form=form, expired=expired)


@bp.get("/before-you-write")
@participant_required
def before_you_write():
    return render_template("participant/before.html", roundtable=g.participant.roundtable)


@bp.get("/my")
@participant_required
def my_words():
    participant = g.participant
    return render_template(
        "participant/my_words.html",
        roundtable=participant.roundtable,
        reflections=participation.reflections_of(participant),
        grants=consent.current_grants(participant),
    )


@bp.route("/write/<int:prompt_id>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@participant_required
def write(prompt_id: int):
    participant = g.participant
    try:
        prompt = participation.prompt_for(participant, prompt_id)
    except RuleViolation:
        abort(404)
    draft = participation.draft_for(participant, prompt)
    return _reflection_page(prompt, draft)


@bp.route("/my/reflections/<int:reflection_id>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@participant_required
def edit(reflection_id: int):
    try:
        reflection = participation.own_reflection(g.participant, reflection_id)
    except RuleViolation:
        abort(404)
    return _reflection_page(reflection.prompt, reflection)


def _reflection_page(prompt, reflection):
    participant = g.participant
    form = ReflectionForm(obj=reflection if request.method == "GET" else None)
    if request.method == "GET":
        form.idempotency_key.data = reflection.idempotency_key if reflection and reflection.idempotency_key else uuid.uuid4().hex
        if reflection is None:
            form.language.data = participant.language
    if form.validate_on_submit():
        submit = bool(form.submit.data)
        try:
            participation.save_reflection(
                participant, prompt,
                text=form.text.data or "",
                language=form.language.data,
                submit=submit,
                idempotency_key=(form.idempotency_key.data or "")[:64],
                reflection=reflection,
            )
        except RuleViolation as problem:
            db.session.rollback()
            form.text.errors.append(str(problem))
        else:
            db.session.commit()
            if form.leave.data:
                identity.end_participant()
                flash(_("Your draft is saved. Come back with your passphrase whenever you are ready."))
                return redirect(url_for("participant.return_"))
            flash(_("Thank you. Your reflection was submitted.") if submit else _("Your draft is saved."))
            return redirect(url_for("participant.my_words"))
    return render_template(
        "participant/write.html", form=form, prompt=prompt, reflection=reflection,
        roundtable=participant.roundtable,
    )
