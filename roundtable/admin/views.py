"""Platform owners: staff accounts and the audit log. No reflection text is shown here."""

from __future__ import annotations

from flask import Blueprint, flash, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from roundtable.access import roles_required
from roundtable.admin.forms import NewUserForm
from roundtable.db import db
from roundtable.models import User
from roundtable.services import accounts, audit
from roundtable.services.errors import RuleViolation

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = roles_required("admin")


@bp.route("/users", methods=["GET", "POST"])
@admin_only
def users():
    form = NewUserForm()
    one_time_password = None
    if form.validate_on_submit():
        password = accounts.generate_password()
        try:
            user = accounts.create_user(
                form.username.data, form.display_name.data, set(form.roles.data), password, actor=g.user
            )
        except RuleViolation as problem:
            db.session.rollback()
            form.username.errors.append(str(problem))
        else:
            user.must_change_password = True
            db.session.commit()
            one_time_password = (user.username, password)
            flash(_("Account created. Give the one-time password to its owner in person; it is shown only once."))
            form = NewUserForm(formdata=None)
    staff = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", form=form, staff=staff, one_time_password=one_time_password)


@bp.get("/audit")
@admin_only
def audit_log():
    number = request.args.get("page", 1, type=int)
    action = request.args.get("action") or None
    actor_type = request.args.get("actor") or None
    return render_template(
        "admin/audit.html", page=audit.page(action=action, actor_type=actor_type, number=number),
        actions=audit.actions(), action=action, actor_type=actor_type,
    )

