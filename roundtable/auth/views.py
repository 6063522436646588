"""Staff sign-in (password, then a second factor), sign-out, password change and two-factor enrolment."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from roundtable import identity
from roundtable.access import carried_form, password_again, public, roles_required, staff_may_open
from roundtable.auth.forms import ChangePasswordForm, ConfirmPasswordForm, EnrolForm, LoginForm, SecondFactorForm
from roundtable.changes import change, flash_at
from roundtable.db import db
from roundtable.extensions import accepted, account_typed, limiter, refused, signed_in_account
from roundtable.forms import ActionForm
from roundtable.models import User
from roundtable.models.staff import ROLES
from roundtable.navigation import page_at_or_above, safe_next
from roundtable.services import accounts, audit, crypto, sent_forms, twofactor
from roundtable.services.errors import RuleViolation

bp = Blueprint("auth", __name__)
any_staff = roles_required(*ROLES)

# Each role's home, and the place under its title where a message that leads there is said, taking the focus, as
# that page's own messages are (editor.LIST, facilitator.MY_ROUNDTABLES, admin.ACCOUNTS).
HOME_BY_ROLE = (("editor", "editor.reflections", "list"),
                ("facilitator", "facilitator.my_roundtables", "my-roundtables"),
                ("admin", "admin.users", "accounts"))
# Where the sign-in pages say a message, taking the focus as the staff pages do: under the title of the sign-in page
# (signed out) and of the two-step page (still signing in).
SIGN_IN = "sign-in"
TWO_STEP = "two-step"
# What a user who must first change their password may still open.
_BEFORE_PASSWORD_CHANGE = frozenset({"auth.change_password", "auth.logout", "static", "public.language"})


def staff_home(user) -> str:
    return url_for(_home(user)[0])


def _home(user) -> tuple[str, str | None]:
    """The endpoint of ``user``'s home page, and the place under its title where it says a message."""
    for role, endpoint, place in HOME_BY_ROLE:
        if user.has_role(role):
            return endpoint, place
    return "public.home", None


def _pending_user() -> User | None:
    """A user who gave the right password and still owes the second factor (identity.load checked the rest)."""
    if g.get("user") is not None or session.get("user_id") is None or session.get("second_factor_done"):
        return None
    return db.session.get(User, session["user_id"])


def _back_to_pending_step(user: User):
    """Someone whose password was right opened the sign-in page, or a staff page that led there (a bookmark, Back),
    before the second factor: the step they are on, not an empty form that reads as signed out."""
    if target := request.args.get("next"):
        session["after_login"] = safe_next(target)
    said = _("You are still signing in. Finish this step to go on, or sign out to start again.")
    if [f"message@{TWO_STEP}", said] not in [list(pair) for pair in session.get("_flashes", [])]:  # 2 pages: said once
        flash_at(TWO_STEP, said)
    return redirect(url_for("auth.second_factor" if user.totp_secret else "auth.two_factor"))


def _after_sign_in(user: User, *, code: str | None = None):
    """``code``: the second factor's code that completed the sign-in, kept for "Verify" pressed twice."""
    accounts.signed_in(user)
    target = session.pop("after_login", None)
    location = url_for("auth.change_password") if user.must_change_password else _next_page(user, target)
    if code is not None:
        twofactor.passed(user, code, sign_in=session.pop("sign_in", None), location=location)
    db.session.commit()
    return redirect(location)


def _next_page(user: User, target: str | None) -> str:
    """Where a sign-in leads: ``target`` (a same-site address), or home where this account's roles do not open it
    (the sign-in page reached from another role's link, a page only a form's POST reaches)."""
    target = safe_next(target or "")
    return target if target != url_for("public.home") and staff_may_open(user, target) else staff_home(user)


@bp.before_app_request
def password_change_first():
    """Someone given a one-time password changes it before anything else."""
    user = g.get("user")
    if user is not None and user.must_change_password and request.endpoint not in _BEFORE_PASSWORD_CHANGE:
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@limiter.limit("30 per hour", methods=["POST"], key_func=account_typed, deduct_when=refused)
@public
def login():
    if g.user is not None:  # signed in already (another tab, or a set-up just finished): where it was asked to lead
        return redirect(_next_page(g.user, request.args.get("next") or session.pop("after_login", None)))
    pending = _pending_user()
    if pending is not None and request.method == "GET":
        return _back_to_pending_step(pending)
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            form.password.errors.append(_("That username and password do not match an active account."))
        else:
            has_second_factor = bool(user.totp_secret) and not current_app.config.get("TWO_FACTOR_DISABLED")
            needs_enrolment = not has_second_factor and twofactor.required_for(user)
            identity.sign_in_staff(user, second_factor_done=not (has_second_factor or needs_enrolment))
            target = request.args.get("next")
            if target:
                session["after_login"] = safe_next(target)
            if has_second_factor:
                return redirect(url_for("auth.second_factor"))
            if needs_enrolment:
                return redirect(url_for("auth.two_factor"))
            return _after_sign_in(user)
    return render_template("auth/login.html", form=form, expired=session.pop("staff_expired", None))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@limiter.limit("30 per hour", methods=["POST"], key_func=signed_in_account)
@public
def second_factor():
    user = _pending_user()
    if user is None or not user.totp_secret:
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if twofactor.verify(user, form.code.data):
            session["second_factor_done"] = True
            return _after_sign_in(user, code=form.code.data)
        if (first := twofactor.passed_before(user, form.code.data, sign_in=session.get("sign_in"))) is not None:
            db.session.rollback()  # not a failed try: this same sign-in, sent twice, passed a moment ago
            session.pop("sign_in")
            session.pop("after_login", None)
            session["second_factor_done"] = True
            return redirect(first)
        db.session.commit()
        form.code.errors.append(_("That code is not right. Try the newest code from your app, or a recovery code."))
    return render_template("auth/second_factor.html", form=form)


def _enrolling_secret(*, create: bool) -> str | None:
    """The secret being enrolled; the signed cookie holds it only encrypted, until it is confirmed."""
    token = session.get("new_totp_secret")
    if token is None:
        if not create:
            return None
        token = session["new_totp_secret"] = crypto.encrypt(twofactor.new_secret())
    return crypto.decrypt(token)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@limiter.limit("20 per hour", methods=["POST"], key_func=signed_in_account, deduct_when=refused)
@public  # also reached by someone who must enrol before they are fully signed in; checked below
def two_factor():
    user = g.user or _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    # A session found open does not put a second factor on someone else's phone (one still signing in has
    # just typed the password).
    again = password_again() if g.user is not None else None
    if again is not None:
        return again
    if g.user is None and user.totp_secret:
        return redirect(url_for("auth.second_factor"))
    secret = _enrolling_secret(create=True)
    form = EnrolForm()
    if form.validate_on_submit():
        if twofactor.enrolled_before(user, secret, form.code.data):  # pressed twice, one sending after the other
            return _set_up(user, twofactor.confirmed_again(user), sent_again=True)
        try:
            codes = twofactor.enrol(user, secret, form.code.data, actor=user, current_password=form.current.data)
        except accounts.WrongPassword as problem:
            _wrong_password(user)
            form.current.errors.append(str(problem))
        except RuleViolation as problem:
            form.code.errors.append(str(problem))
        except sent_forms.SentBefore:  # pressed twice at once: the other sending set it up; this one is undone
            return _set_up(user, twofactor.confirmed_again(user), sent_again=True)
        else:
            if g.user is None:  # enrolled while signing in: that was its last step
                accounts.signed_in(user)
            return _set_up(user, codes)
    return render_template(
        "auth/two_factor.html", form=form, secret=secret, user=user,
        required=twofactor.required_for(user), enrolled=bool(user.totp_secret),
        recovery_left=twofactor.recovery_codes_left(user) if user.totp_secret else 0,
        recovery_codes=twofactor.RECOVERY_CODES,
    )


def _set_up(user: User, codes: list[str], *, sent_again: bool = False):
    """The second factor is on: this session goes on, its sign-in finished, and the recovery codes are shown once."""
    db.session.commit()
    identity.keep_this_session(user)
    accepted()  # the recovery codes are a page (200), not a refusal
    session.pop("new_totp_secret", None)
    session.pop("sign_in", None)  # a sign-in that set up its second factor has no code step left to key
    session["second_factor_done"] = True
    return render_template("auth/recovery_codes.html", codes=codes, user=user, sent_again=sent_again)


@bp.get("/account/two-factor/qr.svg")
@public  # the enrolling user only: the secret comes from their own session
def two_factor_qr():
    user = g.user or _pending_user()
    secret = _enrolling_secret(create=False)
    if user is None or secret is None:
        return Response(status=404)
    return Response(twofactor.qr_svg(secret, user.username), mimetype="image/svg+xml")


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@limiter.limit("20 per hour", methods=["POST"], key_func=signed_in_account, deduct_when=refused)
@any_staff
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        def field_of(problem):
            return form.current if isinstance(problem, accounts.WrongPassword) else form.new

        with change(errors_on=field_of) as outcome:
            accounts.change_password(g.user, form.current.data, form.new.data)
        if form.current.errors:
            _wrong_password(g.user)
        if outcome.saved:
            # Every other session of this user has ended; this one continues under the new version.
            identity.sign_in_staff(g.user, second_factor_done=True)
            home, place = _home(g.user)
            flash_at(place, _("Your password is changed. You were signed out everywhere else."))
            return redirect(url_for(home))
    return render_template("auth/change_password.html", form=form, forced=g.user.must_change_password)


@bp.route("/account/confirm", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@limiter.limit("20 per hour", methods=["POST"], key_func=signed_in_account, deduct_when=refused)
@any_staff
def confirm_password():
    """The password again, before a change that an open session alone may not make (access.fresh_password_required)."""
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.confirm_password(g.user, form.password.data)
        except accounts.WrongPassword as problem:
            _wrong_password(g.user)
            form.password.errors.append(str(problem))
        else:
            identity.mark_password_typed()
            target = request.args.get("next")
            if target is None:
                return redirect(staff_home(g.user))
            target = safe_next(target)
            if carried_form(target) is not None:
                return redirect(url_for("auth.carry_on", next=target))
            return redirect(target)
    return render_template("auth/confirm_password.html", form=form, minutes=current_app.config["STAFF_CONFIRM_MINUTES"])


@bp.get("/account/carry-on")
@any_staff
def carry_on():
    """After the password: the form that was stopped for it, sent on with one press, nothing typed again. A page
    of its own (not the answer to the password), so changing its language keeps it."""
    target = safe_next(request.args.get("next"))
    carried = carried_form(target)
    if carried is None:
        return redirect(page_at_or_above(target))
    fields, tokens = carried
    return render_template("auth/carry_on.html", target=target, fields=fields, tokens=tokens,
                           back=page_at_or_above(target))


def _wrong_password(user: User) -> None:
    """A wrong current password, typed to confirm a change: recorded for the administrators (the rate limits
    count the refused form shown again)."""
    audit.record("staff.password_confirmation_failed", actor=user)
    db.session.commit()


@bp.post("/account/still-here")
@any_staff
def still_here():
    """staff.js asks this while someone works on a page, or when they press "Stay signed in": the request
    itself keeps the session (identity.load), once access.enforce has checked its CSRF token."""
    return "", 204


@bp.post("/logout")
@public
def logout():
    form = ActionForm()
    everywhere = form.validate_on_submit() and g.user is not None
    if everywhere:
        accounts.end_sessions(g.user)
        audit.record("staff.logout", actor=g.user)
        db.session.commit()
    identity.sign_out()
    flash_at(SIGN_IN, _("You are signed out, here and on your other devices.") if everywhere
             else _("You are signed out."))
    return redirect(url_for("auth.login"))
