"""Staff sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from roundtable import identity
from roundtable.access import public
from roundtable.auth.forms import LoginForm
from roundtable.db import db
from roundtable.extensions import limiter
from roundtable.forms import ActionForm
from roundtable.navigation import safe_next
from roundtable.services import accounts, audit

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = (("editor", "editor.reflections"), ("facilitator", "facilitator.my_roundtables"), ("admin", "admin.users"))


def staff_home(user) -> str:
    for role, endpoint in HOME_BY_ROLE:
        if user.has_role(role):
            return url_for(endpoint)
    return url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@public
def login():
    if g.user is not None:
        return redirect(staff_home(g.user))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            form.password.errors.append(_("That username and password do not match an active account."))
        else:
            identity.sign_in_staff(user, second_factor_done=True)
            target = request.args.get("next")
            return redirect(safe_next(target) if target else staff_home(user))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@public
def logout():
    form = ActionForm()
    if form.validate_on_submit() and g.user is not None:
        accounts.end_sessions(g.user)
        audit.record("staff.logout", actor=g.user)
        db.session.commit()
    identity.sign_out()
    flash(_("You are signed out."))
    return redirect(url_for("auth.login"))
