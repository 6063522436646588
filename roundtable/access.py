"""Deny by default: every endpoint declares who may use it, and one hook enforces it.

A view without a declaration answers 403 to everyone, and a test walks the URL map so
no such view can be merged.
"""

from __future__ import annotations

import re
import time
from functools import cache, wraps
from typing import Callable
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import HTTPException
from wtforms import ValidationError

from roundtable import identity
from roundtable.changes import flash_at
from roundtable.extensions import csrf

PUBLIC = "public"
PARTICIPANT = "participant"
# Endpoints provided by Flask itself rather than by our views.
BUILT_IN_PUBLIC = frozenset({"static"})


def _declare(view: Callable, audience: tuple[str, ...]) -> Callable:
    view.audience = audience
    return view


def public(view: Callable) -> Callable:
    return _declare(view, (PUBLIC,))


def participant_required(view: Callable) -> Callable:
    return _declare(view, (PARTICIPANT,))


def roles_required(*roles: str) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        return _declare(view, tuple(roles))

    return decorator


def fresh_password_required(view: Callable) -> Callable:
    """For changes that must not be made from a session someone else finds open: a form post first asks
    for the password again when it was typed more than STAFF_CONFIRM_MINUTES ago."""

    @wraps(view)
    def guarded(*args, **kwargs):
        return password_again() or view(*args, **kwargs)

    return guarded


def fresh_password_to_open(view: Callable) -> Callable:
    """For a page that hands over many people's words at once (an export's file, again): a session someone else
    finds open does not take it away. The password is asked first, then the page opens."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not identity.password_is_fresh():
            return _ask_for_password()
        return view(*args, **kwargs)

    return guarded


def password_again():
    """``fresh_password_required``'s answer for this request: the way to the password page, or None.

    What the form held is kept in the session, by its address, for the page after the password to send on
    (``carried_form``), so nothing typed is lost; passwords, codes and CSRF tokens are not kept. A form sent with a
    fresh password is done with: what was kept for its address is dropped.
    """
    if request.method != "POST":
        return None
    waiting = dict(session.get("carried_forms") or {})
    if identity.password_is_fresh():
        if waiting.pop(request.path, None) is not None:
            session["carried_forms"] = waiting
        return None
    fields = [(name, value) for name, value in request.form.items(multi=True) if not _NOT_CARRIED.search(name)]
    tokens = [name for name in request.form if name.endswith("csrf_token")]
    if fields and sum(len(name) + len(value) for name, value in fields) <= _MOST_CARRIED:
        waiting[request.path] = {"fields": fields, "tokens": tokens, "at": int(time.time())}
        # A few forms at once (one per tab); the cookie must stay small.
        session["carried_forms"] = dict(sorted(waiting.items(), key=lambda item: item[1]["at"])[-_MOST_FORMS:])
    return _ask_for_password()


# Where the page that asks for the password says why, under its title, taking the focus (as the staff pages do).
PASSWORD_AGAIN = "password-again"


def _ask_for_password():
    said = _("For your safety, type your password again. Then you can go on.")
    if [f"message@{PASSWORD_AGAIN}", said] not in [list(pair) for pair in session.get("_flashes", [])]:  # said once
        flash_at(PASSWORD_AGAIN, said)
    return redirect(url_for("auth.confirm_password", next=request.path))


# Never written into the session or a page: secrets, and tokens a new page gets fresh.
_NOT_CARRIED = re.compile(r"password|current|code|secret|csrf_token")
_MOST_CARRIED = 1000  # characters: staff forms that need a fresh password are short; a cookie holds 4 kB at most
_MOST_FORMS = 3


def carried_form(path: str) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The fields a form sent to ``path`` held when it was stopped for the password, and the names of its CSRF
    token fields (the page sending it on fills them afresh); kept until it is sent, for as long as a typed password
    stays fresh."""
    carried = (session.get("carried_forms") or {}).get(path)
    if carried is None or time.time() - carried["at"] > current_app.config["STAFF_CONFIRM_MINUTES"] * 60:
        return None
    return [(name, value) for name, value in carried["fields"]], carried["tokens"]


def staff_may_open(user, path: str) -> bool:
    """Whether the page at ``path`` (a same-site address) is one ``user`` may open: where a sign-in leads next."""
    try:
        endpoint, _args = current_app.url_map.bind("localhost").match(urlsplit(path).path, method="GET")
    except HTTPException:  # no page there (or one that moved: the sign-in leads home instead)
        return False
    audience = audience_of(endpoint) or ()
    if endpoint.startswith("participant."):  # its public pages (join, return, /closed) are no staff page either
        return False
    return PUBLIC in audience or user.has_role(*(role for role in audience if role != PARTICIPANT))


def audience_of(endpoint: str) -> tuple[str, ...] | None:
    if endpoint in BUILT_IN_PUBLIC:
        return (PUBLIC,)
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "audience", None)


@cache
def staff_boxes():
    """Every box staff type words into, with its label: never a token, a hidden mark or a password."""
    from roundtable.admin.forms import TYPED_BOXES as admin
    from roundtable.editor.forms import TYPED_BOXES as editor
    from roundtable.facilitator.forms import TYPED_BOXES as facilitator

    return facilitator | editor | admin


def _participant_typed() -> str | None:
    """The words a participant typed into the form they sent: a reflection, or a note for the editor about a quote
    of their words (``q12-comment``)."""
    if text := request.form.get("text"):
        return text
    return next((value for name, value in request.form.items() if name.endswith("-comment") and value.strip()), None)


def _participant_session_ended() -> str:
    """Why an autosave was not kept: the words are still on the page, which saves nothing more until they sign in."""
    if identity.ended_elsewhere():
        return _("Your session was ended with “Exit this page” or a button that takes a break, on this phone or another. "
                 "Your words here may not be saved: copy them if you want to keep them, then open your words again "
                 "with your passphrase.")
    if identity.lapsed_offline():
        return _("This phone had no connection for a while, so we closed your session to keep your words safe. Your "
                 "words here were not saved: copy them if you want to keep them, then open your words again with "
                 "your passphrase.")
    return _("You were away for a while, so we closed your session to keep your words safe. Your words here were "
             "not saved: copy them if you want to keep them, then open your words again with your passphrase.")


def closed_for_safety_refused() -> str | None:
    """The answer to words a participant's page sent itself as it closed with nobody there (participant.js), when
    they were not saved (the roundtable closed meanwhile, the draft submitted in another tab, a limit, its token):
    the session ends as the page was about to end it, and the words are not shown, since whoever holds the phone now
    may not be their author. Shown again, they would stay on screen, the session renewed, for another whole idle
    time. None for any other request, and for a form that only says it is such a page (``_sent_by_a_page_of_ours``):
    a form on another site must sign nobody out."""
    if request.method != "POST" or not request.form.get("closed_for_safety") or not _sent_by_a_page_of_ours():
        return None
    identity.close_for_safety()
    return render_template("participant/words_kept.html", text=None, closed=True)


def _sent_by_a_page_of_ours() -> bool:
    """A valid CSRF token, or, where the token was refused, the browser's word that a page of this very site sent
    the form (``Sec-Fetch-Site``, which no page can set). Only a page opened before a sign-in since, in another tab,
    holds a refused token (tokens last as long as the session): the form it sends as it closes still ends the
    session. A form another site made has neither, and is refused as out of date; so is one from a browser too old
    to say where it came from, whose session then ends at its own idle time."""
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return request.headers.get("Sec-Fetch-Site") == "same-origin"
    return True


def enforce():
    """before_request hook: anonymous people go to a sign-in page, the wrong role gets 403,
    and only then is the CSRF token of a form post checked."""
    if request.endpoint is None:  # 404 and 405 are answered by Flask
        return None
    audience = audience_of(request.endpoint)
    if audience is None:
        abort(403)
    if PARTICIPANT in audience and g.get("participant") is None:
        typed = _participant_typed() if request.method == "POST" else None
        closed = bool(typed and request.form.get("closed_for_safety"))
        if typed and (identity.ended_while_away(staff=False) or closed and session.get("expired")):
            # The session ended while they wrote: never throw their words away. Only then: after a quick exit,
            # Back and Reload on a shared phone send the last form again, and its words are not the next person's.
            # Nor when the page sent them itself, closing with nobody there (the connection came back late):
            # whoever holds the phone now may not be their author.
            if request.form.get("typed_offline") and not identity.ended_elsewhere():
                # Not away: their page saw them typing, offline (participant.js). Said so here, and on /return.
                session["expired"] = identity.LAPSED_OFFLINE
            if request.accept_mimetypes.best == "application/json":  # an autosave: the words stay in the box
                return jsonify(saved=False, message=_participant_session_ended()), 401
            return render_template("participant/words_kept.html", text=None if closed else typed,
                                   closed=closed, language=request.form.get("language")), 401
        if typed and request.accept_mimetypes.best == "application/json":  # an autosave: its box keeps the words
            return jsonify(saved=False, message=_(
                "This browser is no longer signed in, so your words here were not saved: copy them if you want to keep "
                "them, then open your words again with your passphrase.")), 401
        if typed:  # said, never shown: whose words they are is unknown
            flash(_("What you wrote was not saved: this browser is no longer signed in. Sign in with your passphrase, "
                    "then write it again."), "error")
        return redirect(url_for("participant.return_"))
    if PUBLIC not in audience and PARTICIPANT not in audience:
        if g.get("user") is None:
            if request.method == "POST" and identity.ended_while_away(staff=True):
                # Signed out while away: show what they typed, so it can be copied before signing in again.
                typed = staff_boxes().typed(request.form)
                return render_template("auth/session_ended.html", typed=typed), 401
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))
        if not g.user.has_role(*audience):
            abort(403)
    if request.endpoint == "auth.logout" and session.get("user_id") is None:
        return None  # nobody left to sign out (ended elsewhere): its old token is no reason for an error page
    csrf.protect()  # only once we know the visitor may be here at all
    return None
