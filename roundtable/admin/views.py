"""Platform owners: staff accounts, the audit log and retention. No reflection text is shown here."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from roundtable import clock, i18n, identity
from roundtable.access import fresh_password_required, roles_required
from roundtable.admin.forms import AccountActionForm, DisplayNameForm, HandOverForm, NewUserForm, RolesForm
from roundtable.changes import ask_first, asked_first, change, field_named, flash_at, say_refused
from roundtable.db import db
from roundtable.forms import ASK_FOR_A_DATE, ActionForm
from roundtable.models import User
from roundtable.navigation import last_page_instead
from roundtable.numbers import number_arg
from roundtable.services import accounts, audit, retention, roundtables, twofactor
from roundtable.services.errors import RuleViolation

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = roles_required("admin")
# Where the page a change leads to says it, taking the focus (as the facilitator's and editor's pages do): the staff
# accounts under their title (one created, above its one-time password); an account's page under its name (a hand-over,
# a password reset sent twice), and under the heading of the form sent (its name, its roles, an action); the
# retention page under its title.
ACCOUNTS = "accounts"
ACCOUNT = "account"
NAME = "display-name"
ROLES = "roles"
ACTIONS = "actions"
RETENTION = "retention"


@bp.route("/users", methods=["GET", "POST"])
@admin_only
@fresh_password_required
def users():
    form = NewUserForm()
    one_time_password = None
    if form.validate_on_submit():
        with change(errors_on=field_named(form, otherwise=form.username), once=form,
                    sent_twice_at=ACCOUNT) as outcome:
            user, password = accounts.create_with_one_time_password(
                form.username.data, form.display_name.data, set(form.roles.data), actor=g.user
            )
            outcome.location = url_for("admin.user", user_id=user.id)
        if outcome.sent_before:
            # The first sending's page, with the one-time password, was replaced by this one.
            flash_at(ACCOUNT, _("If you did not see the account's one-time password, make a new one here."))
            return redirect(outcome.location)
        if outcome.saved:
            one_time_password = (user.username, password)
            flash_at(ACCOUNTS, _("Account created. Give the one-time password to its owner in person; it is shown only "
                                 "once."))
            form = NewUserForm(formdata=None)
    staff = accounts.staff(request.args.get("page", 1, type=number_arg))
    return render_template("admin/users.html", form=form, page=staff, one_time_password=one_time_password)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
@fresh_password_required
def user(user_id: int):
    """One staff account: its name, roles, active or not, a new one-time password, a reset of the second factor."""
    account = db.session.get(User, user_id) or abort(404)
    posted_roles = any(key.startswith("roles-") for key in request.form)
    posted_name = any(key.startswith("name-") for key in request.form)
    if (posted_roles and posted_name) or len(request.form.getlist("act-action")) > 1:
        abort(400)  # the page sends one form with one action: a confirmation would ask about only one of them
    roles_form = RolesForm(
        prefix="roles", formdata=request.form if posted_roles else None, data={"roles": sorted(account.role_set)}
    )
    name_form = DisplayNameForm(
        prefix="name", formdata=request.form if posted_name else None, data={"display_name": account.display_name}
    )
    action_form = AccountActionForm(prefix="act")
    own_account = accounts.acting_on_own_account(g.user, account)
    one_time_password = None
    if request.method == "POST" and not asked_first():
        question = _question_before_changing(account, posted_roles, own_account)
        if question:
            return question
    roles_sent, name_sent = roles_form.submit_ok(), name_form.submit_ok()
    # A roles form with no box ticked, or an empty name, is refused beside the field (and in the summary).
    if request.method == "POST" and (roles_sent or name_sent or not (posted_roles or posted_name)):
        making_a_password = request.form.get("act-action") == "reset_password"
        with change(errors_on=name_form.display_name if name_sent else None,
                    once=action_form if making_a_password else None, say_sent_twice=False) as outcome:
            if name_sent:
                renamed = accounts.rename(account, name_form.display_name.data, actor=g.user)
                flash_at(NAME, _("Display name saved.") if renamed
                         else _("This was already the account's display name. Nothing changed."))
            elif roles_sent:
                if not accounts.set_roles(account, set(roles_form.roles.data), actor=g.user):
                    flash_at(ROLES, _("These were already the account's roles. Nothing changed."))
                elif own_account:
                    identity.keep_this_session(account)
                    flash_at(ROLES, _("Roles saved. Your other sessions were signed out."))
                else:
                    flash_at(ROLES, _("Roles saved. The account was signed out everywhere."))
            elif action_form.submit_ok():
                action = request.form.get("act-action")
                if action in ("deactivate", "reactivate"):
                    if not accounts.set_active(account, action == "reactivate", actor=g.user):
                        flash_at(ACTIONS, _("The account was already active. Nothing changed.") if account.active
                                 else _("The account was already deactivated. Nothing changed."))
                    else:
                        flash_at(ACTIONS, _("Account reactivated.") if account.active
                                 else _("Account deactivated and signed out."))
                elif action == "reset_password":
                    one_time_password = accounts.reset_password(account, actor=g.user)
                    outcome.location = url_for("admin.user", user_id=account.id)
                elif action == "reset_second_factor":
                    twofactor.reset(account, actor=g.user)
                    flash_at(ACTIONS, _("Two-step sign-in was reset. The owner sets it up again at the next sign-in.")
                             if twofactor.required_for(account) else
                             _("Two-step sign-in was reset and is off for this account, whose roles do not need it, "
                               "until its owner turns it on again from their account."))
                else:
                    abort(400)
            else:
                raise RuleViolation(_("Please check what you entered."))
        if outcome.sent_before:  # the page with the first one-time password was replaced by this one
            flash_at(ACCOUNT, _("The password was reset already, from this page. If you did not see its one-time "
                                "password, reset it again."))
            return redirect(outcome.location)
        if outcome.saved and one_time_password is None:
            return redirect(url_for("admin.user", user_id=account.id))
        action_form = AccountActionForm(prefix="act", formdata=None)  # its buttons, pressed again, are a new sending
    runs = roundtables.still_run_by(account)
    return render_template(
        "admin/user.html", account=account, roles_form=roles_form, name_form=name_form, action_form=action_form,
        one_time_password=one_time_password, has_second_factor=bool(account.totp_secret), own_account=own_account,
        recovery_left=twofactor.recovery_codes_left(account), runs=runs,
        hand_over_form=_hand_over_form(account) if runs else None,  # only then are the facilitators looked up
    )


def _hand_over_form(account: User) -> HandOverForm:
    form = HandOverForm(prefix="handover")
    form.successor.choices = [(0, "—")] + [
        # The username first: no display name, however long or alike another's, can push it out of sight.
        (user.id, _named(user)) for user in roundtables.facilitators_other_than(account)
    ]
    return form


def _named(user: User) -> str:
    return f"{user.username} ({user.display_name})"


@bp.post("/users/<int:user_id>/hand-over")
@admin_only
@fresh_password_required
def hand_over(user_id: int):
    """The roundtables an account runs go to another facilitator: someone leaves, or stops facilitating."""
    account = db.session.get(User, user_id) or abort(404)
    form = _hand_over_form(account)
    if form.validate_on_submit():
        successor = roundtables.named_successor(form.successor.data)
        runs = roundtables.count_run_by(account)
        asks_first = runs > 0 and not asked_first()  # none left (sent again from another tab): said below
        with change() as outcome:
            if asks_first:  # a colleague who cannot take them is refused before the question
                roundtables.check_successor(account, successor)
            else:
                moved = roundtables.hand_over(account, successor, actor=g.user)
        if outcome.saved and asks_first:
            return ask_first(
                ngettext("Hand %(num)d roundtable of %(giver)s over to %(successor)s?",
                         "Hand %(num)d roundtables of %(giver)s over to %(successor)s?", runs,
                         giver=_named(account), successor=_named(successor)),
                ngettext("%(successor)s runs and moderates it from now on, with its reflections and private notes. "
                         "%(giver)s will no longer see it.",
                         "%(successor)s runs and moderates them from now on, with their reflections and private "
                         "notes. %(giver)s will no longer see them.", runs,
                         giver=_named(account), successor=_named(successor)),  # display names may be alike
                yes=_("Yes, hand over"), back=url_for("admin.user", user_id=account.id))
        if outcome.saved and not moved:  # all handed over already: this form was sent again, from another tab
            flash_at(ACCOUNT, _("This account runs no roundtable any more: nothing was left to hand over."))
        elif outcome.saved:
            flash_at(ACCOUNT, ngettext("%(num)d roundtable was handed over.", "%(num)d roundtables were handed over.",
                                       moved))
    else:
        form.say_why_not()
    return redirect(url_for("admin.user", user_id=account.id))


def _question_before_changing(account: User, posted_roles: bool, own_account: bool) -> str | None:
    """Actions that lock a colleague out, or leave roundtables without their facilitator, are asked about first,
    naming the account: a page in another tab, or read alone by a screen reader, says whose it is."""
    runs = roundtables.still_run_by(account) if account.has_role("facilitator") else 0
    leaves_roundtables = ngettext(
        "%(num)d roundtable whose words are kept still, run by this account, would have no facilitator: no one "
        "could moderate it or change it.",
        "%(num)d roundtables whose words are kept still, run by this account, would have no facilitator: no one "
        "could moderate them or change them.", runs)
    if posted_roles:
        if runs and "facilitator" not in request.form.getlist("roles-roles"):
            return ask_first(_("Take away the facilitator role from %(account)s?", account=_named(account)),
                             leaves_roundtables, yes=_("Yes, save roles"))
        return None
    action = None if own_account else request.form.get("act-action")  # refused on one's own account anyway
    if action == "deactivate":
        return ask_first(
            _("Deactivate the account of %(account)s?", account=_named(account)),
            _("Its owner is signed out everywhere and cannot sign in until an administrator reactivates the account."),
            *([leaves_roundtables] if runs else []), yes=_("Yes, deactivate"))
    if action == "reset_password":
        return ask_first(
            _("Reset the password of %(account)s?", account=_named(account)),
            _("Its password stops working at once and its owner is signed out everywhere. You get a one-time "
              "password to give them in person."), yes=_("Yes, reset the password"))
    if action == "reset_second_factor":
        return ask_first(
            _("Reset two-step sign-in for %(account)s?", account=_named(account)),
            _("Its owner is signed out everywhere and sets up two-step sign-in again at the next sign-in.")
            if twofactor.required_for(account) else
            _("Its owner is signed out everywhere. Their roles do not need two-step sign-in, so it stays off until they "
              "turn it on again from their account."),
            yes=_("Yes, reset two-step sign-in"))
    return None


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day(name: str, typed: str, problems: dict[str, str]) -> date | None:
    """The date filter ``name`` as ``typed``; a date that is none (2026-13-01) is said in ``problems``, not ignored."""
    if not typed:
        return None
    try:
        if not _DAY.fullmatch(typed):  # Python also reads "2026-W01" and "20260101", which the date box cannot show
            raise ValueError(typed)
        return date.fromisoformat(typed)
    except ValueError:
        problems[name] = str(ASK_FOR_A_DATE)
        return None


@bp.get("/audit")
@admin_only
def audit_log():
    number = request.args.get("page", 1, type=number_arg)
    action = request.args.get("action") or None
    actor_type = request.args.get("actor") or None
    problems: dict[str, str] = {}
    typed = {name: request.args.get(name, "").strip() for name in ("since", "until")}
    since, until = (_day(name, typed[name], problems) for name in ("since", "until"))
    if since and until and since > until:
        problems["until"] = _("This date comes before the “From” date.")
    events = None  # a refused date filters nothing: the log is not listed as if it were applied, or as if none were
    if problems:
        say_refused()
    else:
        events = audit.page(action=action, actor_type=actor_type, number=min(max(1, number), 100_000), since=since,
                            until=until)
        if (last := last_page_instead(events)) is not None:
            return last
    return render_template(
        "admin/audit.html", page=events, actions=audit.actions(), action=action, actor_type=actor_type,
        record_label=i18n.audit_record_label,
        staff=accounts.usernames(audit.accounts_named(events.items)) if events is not None else {},
        detail_of=audit.detail_of, problems=problems, typed=typed,
    )


@bp.route("/retention", methods=["GET", "POST"])
@admin_only
@fresh_password_required
def retention_page():
    """What the daily purge has erased and will erase; an administrator may run it now (it cannot be undone)."""
    form = ActionForm(prefix="purge")
    today = clock.today()
    if form.validate_on_submit() and not asked_first():
        return ask_first(
            _("Erase these words now?"),
            _("The words of the roundtables waiting to be erased are erased for good, except the reflections behind "
              "approved quotes. This cannot be undone."), yes=_("Yes, erase them"))
    if form.validate_on_submit():
        erased = retention.purge_expired(actor=g.user, at_most=retention.ERASE_NOW_AT_MOST)
        db.session.commit()
        flash_at(RETENTION, ngettext("The words of %(num)d roundtable were erased.",
                                     "The words of %(num)d roundtables were erased.", len(erased))
                 if erased else _("Nothing was waiting to be erased."))
        if erased and retention.waiting(today).total:
            flash_at(RETENTION, _("More words are waiting. Press “Erase now” again, or let the daily run erase them."))
        return redirect(url_for("admin.retention_page"))
    return render_template(
        "admin/retention.html", form=form,
        waiting=retention.waiting(today, request.args.get("page", 1, type=number_arg)),
        upcoming=retention.upcoming(today), last=retention.last_erasure(), record_label=i18n.audit_record_label,
    )
