"""Facilitators run their own roundtables and moderate what is written in them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from roundtable.access import roles_required
from roundtable.db import db
from roundtable.facilitator.forms import DecisionForm, NewRoundtableForm, NoteForm, PromptForm, RoundtableForm, StatusForm
from roundtable.models import Prompt
from roundtable.services import moderation, roundtables
from roundtable.services.errors import NotFound, RuleViolation

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")
facilitator_only = roles_required("facilitator")


def _own(roundtable_id: int):
    try:
        return roundtables.get_for_facilitator(roundtable_id, g.user)
    except NotFound:
        abort(404)


@bp.get("/")
@facilitator_only
def my_roundtables():
    return render_template("facilitator/roundtables.html", roundtables=roundtables.for_facilitator(g.user))


@bp.route("/roundtables/new", methods=["GET", "POST"])
@facilitator_only
def new_roundtable():
    form = NewRoundtableForm()
    if form.validate_on_submit():
        try:
            roundtable = roundtables.create(
                g.user,
                title_en=form.title_en.data, title_fil=form.title_fil.data,
                description_en=form.description_en.data, description_fil=form.description_fil.data,
                retention_until=form.retention_until.data,
                prompts=[(form.prompt_en.data, form.prompt_fil.data)],
            )
        except RuleViolation as problem:
            db.session.rollback()
            form.retention_until.errors = [str(problem)]
        else:
            db.session.commit()
            flash(_("Roundtable created. Open it when you are ready for people to join."))
            return redirect(url_for("facilitator.roundtable", roundtable_id=roundtable.id))
    return render_template("facilitator/roundtable_form.html", form=form, roundtable=None)


@bp.get("/roundtables/<int:roundtable_id>")
@facilitator_only
def roundtable(roundtable_id: int):
    item = _own(roundtable_id)
    return render_template(
        "facilitator/roundtable.html", roundtable=item, status_form=StatusForm(), prompt_form=PromptForm()
    )


@bp.route("/roundtables/<int:roundtable_id>/edit", methods=["GET", "POST"])
@facilitator_only
def edit_roundtable(roundtable_id: int):
    item = _own(roundtable_id)
    form = RoundtableForm(obj=item)
    if form.validate_on_submit():
        try:
            roundtables.update(
                item, g.user,
                title_en=form.title_en.data, title_fil=form.title_fil.data,
                description_en=form.description_en.data, description_fil=form.description_fil.data,
                retention_until=form.retention_until.data,
            )
        except RuleViolation as problem:
            db.session.rollback()
            form.retention_until.errors = [str(problem)]
        else:
            db.session.commit()
            flash(_("Changes saved."))
            return redirect(url_for("facilitator.roundtable", roundtable_id=item.id))
    return render_template("facilitator/roundtable_form.html", form=form, roundtable=item)


@bp.post("/roundtables/<int:roundtable_id>/status")
@facilitator_only
def set_status(roundtable_id: int):
    item = _own(roundtable_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            roundtables.set_status(item, g.user, form.status.data)
        except RuleViolation as problem:
            db.session.rollback()
            flash(str(problem), "error")
        else:
            db.session.commit()
            flash(_("Status changed."))
    return redirect(url_for("facilitator.roundtable", roundtable_id=item.id))


@bp.post("/roundtables/<int:roundtable_id>/prompts")
@facilitator_only
def add_prompt(roundtable_id: int):
    item = _own(roundtable_id)
    form = PromptForm()
    if form.validate_on_submit():
        roundtables.add_prompt(item, g.user, form.text_en.data, form.text_fil.data)
        db.session.commit()
        flash(_("Prompt added."))
        return redirect(url_for("facilitator.roundtable", roundtable_id=item.id))
    return render_template("facilitator/roundtable.html", roundtable=item, status_form=StatusForm(), prompt_form=form)


@bp.route("/prompts/<int:prompt_id>", methods=["GET", "POST"])
@facilitator_only
def edit_prompt(prompt_id: int):
    prompt = db.session.get(Prompt, prompt_id)
    if prompt is None:
        abort(404)
    _own(prompt.roundtable_id)
    form = PromptForm(obj=prompt)
    if form.validate_on_submit():
        roundtables.update_prompt(prompt, g.user, form.text_en.data, form.text_fil.data)
        db.session.commit()
        flash(_("Changes saved."))
        return redirect(url_for("facilitator.roundtable", roundtable_id=prompt.roundtable_id))
    return render_template("facilitator/prompt_form.html", form=form, prompt=prompt)


@bp.get("/moderation")
@facilitator_only
def moderation_queue():
    status = request.args.get("status", "submitted")
    page = moderation.queue(
        g.user, status=status, roundtable_id=request.args.get("roundtable", type=int),
        page=request.args.get("page", 1, type=int),
    )
    return render_template(
        "facilitator/moderation.html", page=page, status=status, roundtables=roundtables.for_facilitator(g.user)
    )


@bp.route("/reflections/<int:reflection_id>", methods=["GET", "POST"])
@facilitator_only
def reflection(reflection_id: int):
    try:
        item = moderation.get(g.user, reflection_id)
    except NotFound:
        abort(404)
    decision_form = DecisionForm(prefix="decision")
    note_form = NoteForm(prefix="note")
    if request.method == "GET":
        note_form.note.data = item.moderator_note or ""
    if decision_form.submit_ok():
        moderation.decide(g.user, item, decision_form.decision.data)
        db.session.commit()
        flash(_("Released to curation.") if item.status == "released" else _("Held back from curation."))
        return redirect(url_for("facilitator.moderation_queue"))
    if note_form.submit_ok():
        moderation.save_note(g.user, item, note_form.note.data)
        db.session.commit()
        flash(_("Note saved."))
        return redirect(url_for("facilitator.reflection", reflection_id=item.id))
    return render_template(
        "facilitator/reflection.html", reflection=item, decision_form=decision_form, note_form=note_form
    )
