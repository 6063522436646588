"""Who is asking: a staff user or a participant, kept in the signed session cookie.

Sessions carry their owner's session version, so a staff logout, a password or role change and
deactivation end every session of that user at once, and a participant's quick exit or break ends
every copy of their cookie (a copied one included). Both kinds end after idle time.
"""

from __future__ import annotations

import secrets
import time
from datetime import date

from flask import after_this_request, current_app, g, request, session
from sqlalchemy import bindparam, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from roundtable import i18n
from roundtable.db import db
from roundtable.models import Participant, User
from roundtable.numbers import LARGEST
from roundtable.services import crypto, participation, twofactor

# Seconds between two moves of the session's idle clock: not on every request (the cookie would be sent again each
# time), and not so seldom that a page's own clock runs far behind it (see ``idle_seconds_of_pages``).
_TOUCH_EVERY = 15
# Where a participant's page goes as it closes itself with nobody there: no one is there, so the idle time goes on.
_PAGE_CLOSING_ITSELF = "participant.closed_for_safety"

# Almost every participant page shows the roundtable: fetch it in the same round trip. Built once, as
# every participant request runs it and building the statement cost more than running it.
_PARTICIPANT_WITH_ROUNDTABLE = (
    select(Participant).options(joinedload(Participant.roundtable)).where(Participant.id == bindparam("id"))
)


# What this release keeps in the session cookie, by type. A cookie signed with the same key but written otherwise
# (another release, or a key shared with another app) is dropped whole: the request goes on as anonymous.
_SESSION_SHAPE = {
    "user_id": int, "participant_id": int, "user_version": int, "participant_version": int, "seen": int,
    "since": int, "password_at": int, "lang": str, "after_login": str, "new_totp_secret": str, "words_arrived": str,
    "staff_expired": str, "sign_in": str, "join": dict, "carried_forms": dict, "csrf_token": str, "heard_page": str,
}


# What joining keeps (participant/views.py), by type; ids are compared with integer columns.
_JOIN_SHAPE = {
    "at": int, "roundtable_id": int, "granted": list, "adult": bool, "form_version": int, "kept_until": str,
    "participant_id": int, "passphrase": str, "language": str, "check": list, "key": str, "more_time": int,
}
_IDS = ("user_id", "participant_id", "roundtable_id")


def _has_shape(values: dict, shape: dict) -> bool:
    """Each value of ``values`` that ``shape`` names is of its type (never None: this release writes none), and an
    id fits an integer column."""
    for key, kind in shape.items():
        if key not in values:
            continue
        value = values[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            return False
        if key in _IDS and not 0 < value <= LARGEST:
            return False
    return True


def _list_of(values, kind: type, length: int | None = None) -> bool:
    """A list (or pair) of ``kind`` (a flag is no number), of ``length`` if given."""
    return (isinstance(values, (list, tuple)) and (length is None or len(values) == length)
            and all(isinstance(value, kind) and not isinstance(value, bool) for value in values))


def _a_date(text: str | None) -> bool:
    try:
        return text is None or bool(date.fromisoformat(text))
    except ValueError:
        return False


def _written_by_this_release() -> bool:
    if not _has_shape(session, _SESSION_SHAPE):
        return False
    join = session.get("join") or {}
    carried = (session.get("carried_forms") or {}).values()
    return (_has_shape(join, _JOIN_SHAPE)
            and _list_of(join.get("granted", []), str) and _a_date(join.get("kept_until"))
            and _list_of(join.get("check", [0, 1]), int, 2)
            and isinstance(session.get("_flashes", []), list)
            and all(_list_of(pair, str, 2) for pair in session.get("_flashes", []))
            and all(isinstance(form, dict) and type(form.get("at")) is int and _list_of(form.get("tokens"), str)
                    and isinstance(form.get("fields"), list) and all(_list_of(pair, str, 2) for pair in form["fields"])
                    for form in carried))


def load() -> None:
    if not _written_by_this_release():
        session.clear()
    i18n.refresh()  # the locale is chosen per request, after we know who is asking
    g.user = None
    g.participant = None
    if request.endpoint in ("static", "public.quick_exit"):
        return  # quick exit must work even when the database does not answer
    now = int(time.time())
    user_id = session.get("user_id")
    if user_id is not None:
        user = db.session.get(User, user_id)
        idle = current_app.config["STAFF_IDLE_MINUTES"] * 60
        timed_out = (
            "day" if now - session.get("since", 0) > current_app.permanent_session_lifetime.total_seconds()
            else "idle" if now - session.get("seen", 0) > idle else None
        )
        if user is not None and user.active and not timed_out and _set_up_pressed_twice(user):
            session["user_version"] = user.session_version  # as the first sending's answer has it
            session["second_factor_done"] = True
        if user is None or not user.active or session.get("user_version") != user.session_version or timed_out:
            sign_out()
            # The sign-in page says why: away, the day's limit, or ended from elsewhere (a sign-out on another
            # device, a changed password or roles); and a form this browser sent is shown back, as it is the signed-in
            # person's own.
            session["staff_expired"] = timed_out or "ended"
        elif session.get("second_factor_done"):
            g.user = user
        else:  # the password was right and the second factor is pending; only auth views go on.
            _touch(now)  # setting up an app on a phone is being there too
    participant_id = session.get("participant_id")
    ended_now = False
    if participant_id is not None:
        participant = db.session.execute(_PARTICIPANT_WITH_ROUNDTABLE, {"id": participant_id}).scalar_one_or_none()
        idle = current_app.config["PARTICIPANT_IDLE_MINUTES"] * 60
        ended = (
            participant is None
            or participant.withdrawn_at is not None
            # A cookie from before versions existed counts as the first: an upgrade signs no one out.
            or session.get("participant_version", 1) != participant.session_version
        )
        if ended or now - session.get("seen", 0) > idle:
            seen = session.get("seen", 0)
            end_participant()
            # The pages say why: ended (Exit or a break on another phone, words all taken back), or away too long.
            session["expired"] = ENDED_ELSEWHERE if ended else True
            session["seen"] = seen  # words sent from their pages are shown back from here (``ended_while_away``)
            ended_now = True
        else:
            g.participant = participant
    if g.user or g.participant:
        if request.endpoint != _PAGE_CLOSING_ITSELF:
            _touch(now)
            if g.participant and _sent_page_key():  # a call from one of their pages (autosave, still-here)
                _heard_from_this_page()
            elif g.participant:  # heard once it shows them a page of theirs, which closes itself in turn (page_key)
                g.heard_when_shown = True
    elif (request.method == "POST" and (ended_now or ended_while_away(staff=False)) and _sent_from_their_page()
          and not request.form.get("closed_for_safety")):
        # A page of a participant session that ended by itself sends something (an autosave, a still-here, words),
        # not as it closes with nobody there: someone is using it, and what its pages send is shown back for as long
        # again.
        session["seen"] = now
        _heard_from_this_page()


def _set_up_pressed_twice(user: User) -> bool:
    """The set-up of a second factor confirmed twice: the second sending carries the cookie from before the first
    answer, whose new second factor ended every session of the account but the one that set it up. This is that
    one when it holds the same set-up and sends the same code (``twofactor.enrolled_before``), and nothing else
    ended the account's sessions since."""
    token = session.get("new_totp_secret")
    if (request.endpoint != "auth.two_factor" or request.method != "POST" or token is None
            or session.get("user_version", 0) + 1 != user.session_version):
        return False
    return twofactor.enrolled_before(user, crypto.decrypt(token), request.form.get("code"))


def page_key() -> str:
    """This page's own key, in the addresses its script calls (base.html): which of a participant's pages, in several
    tabs, the server heard from last. A new one for each page; a call from a page brings the page's.

    A page shown to a signed-in participant is heard from as it takes its key: every page of theirs holds it (in the
    address it goes to as it closes itself). An answer that shows no page of theirs (/healthz, a redirect such as
    /language/<code>, whose page then counts, a call without a key) is not, so their page closing itself afterwards
    still ends the session, and their cookie is not sent again for it."""
    if "page_key" not in g:
        g.page_key = _sent_page_key() or secrets.token_urlsafe(6)
        if g.pop("heard_when_shown", False) and session.get("participant_id") is not None:
            _heard_from_this_page()
    return g.page_key


def _sent_page_key() -> str | None:
    sent = request.args.get("page_key", "")
    return sent if 0 < len(sent) <= 16 else None


def _sent_from_their_page() -> bool:
    """Sent from a page only a signed-in participant has (a view for participants), or from the page that shows
    their words back, not from /return or /join, which anyone may use."""
    view = current_app.view_functions.get(request.endpoint)
    return request.endpoint == "public.words_kept" or "participant" in getattr(view, "audience", ())


def _heard_from_this_page() -> None:
    if session.get("heard_page") != page_key():  # the cookie is sent again only when another page is heard from
        session["heard_page"] = page_key()


def _touch(now: int) -> None:
    """Idle time counts from here (the cookie is sent again at most once a minute for it)."""
    if now - session.get("seen", 0) > _TOUCH_EVERY:
        session["seen"] = now


def sign_in_staff(user: User, *, second_factor_done: bool) -> None:
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session["user_id"] = user.id
    session["user_version"] = user.session_version
    session["second_factor_done"] = second_factor_done
    if not second_factor_done:  # this sign-in's own key: its code sent twice (a double click) is known as its own
        session["sign_in"] = secrets.token_hex(16)
    session["seen"] = session["since"] = int(time.time())  # idle time counts from "seen", the whole day from "since"
    mark_password_typed()
    session.permanent = True


def mark_password_typed() -> None:
    """The staff member just typed their password (to sign in, or to confirm it is still them)."""
    session["password_at"] = int(time.time())


def password_is_fresh() -> bool:
    """Typed within STAFF_CONFIRM_MINUTES: an open session alone does not change staff accounts."""
    age = int(time.time()) - session.get("password_at", 0)
    return age <= current_app.config["STAFF_CONFIRM_MINUTES"] * 60


def keep_this_session(user: User) -> None:
    """After a change that ended every session of ``user`` (their own roles), this one goes on."""
    session["user_version"] = user.session_version


def session_hours() -> int:
    """How long a staff session lasts however busy it is (PERMANENT_SESSION_LIFETIME), in whole hours."""
    return int(current_app.permanent_session_lifetime.total_seconds() // 3600)


def idle_seconds_of_pages(minutes: int) -> int:
    """How long a page counts, with nobody there, before the end of its session: a participant's page then closes
    itself and ends the session (``participant.closed_for_safety``), a staff page signs out. It is
    the session's idle time, less what the session's own clock may be ahead (it moves once a ``_TOUCH_EVERY``): a
    page that counted the whole idle time sent its last words to a session already ended, and warned too late."""
    return max(minutes * 60 - _TOUCH_EVERY - 5, minutes * 30)


WARN_BEFORE = 120


def warning_seconds_of_pages(minutes: int) -> int:
    """How long before that end a page warns: two minutes, or half the time where the idle time is short (set for
    trying things out, or for a room), so that the warning never comes with the page."""
    return min(WARN_BEFORE, idle_seconds_of_pages(minutes) // 2)


ENDED_ELSEWHERE = "ended"  # session["expired"] when the session was ended, not left idle
# session["expired"] when it lapsed while its page saw someone typing, but could not reach us to say so
LAPSED_OFFLINE = "offline"


def ended_elsewhere() -> bool:
    """The participant session this browser had was ended, from another of its copies or another phone (Exit, a
    break), or its words were all taken back: not by time away."""
    return session.get("expired") == ENDED_ELSEWHERE


def lapsed_offline() -> bool:
    return session.get("expired") == LAPSED_OFFLINE


def ended_while_away(*, staff: bool) -> bool:
    """This browser's session ended by itself (idle time, a version bump), not by a quick exit or signing out:
    only then are words it sent shown back, so that a form sent again on a shared phone shows nobody else's.

    A participant's words, while one of their pages may still be open and in use, in any tab (another may have shown
    /return since): for the idle time from when the server last heard from one (``load``), by which a page left
    alone has closed itself; the page closing itself that was the last heard from ends this (``close_for_safety``).
    """
    if staff:
        return bool(session.get("staff_expired"))
    idle = current_app.config["PARTICIPANT_IDLE_MINUTES"] * 60
    return bool(session.get("expired")) and int(time.time()) - session.get("seen", 0) <= idle


def why_it_ended() -> bool | str:
    """What /return says about the participant session this browser had (``session["expired"]``): kept while words
    from its pages are still shown back, then said a last time and forgotten."""
    if ended_while_away(staff=False):
        return session["expired"]
    session.pop("heard_page", None)
    return session.pop("expired", False)


def sign_out() -> None:
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def sign_in_participant(participant: Participant) -> None:
    session.clear()
    session["participant_id"] = participant.id
    session["participant_version"] = participant.session_version
    session["lang"] = participant.language
    session["seen"] = int(time.time())


def leave_participant() -> None:
    """Quick exit and "save and take a break": this cookie is cleared and every copy of it stops working.

    The second part needs the database, so it runs once the answer has left: the person is on their way
    whatever the database does (down, or slow to answer). When it fails, any copy ends after the idle time.
    """
    participant_id = session.get("participant_id")
    end_participant()
    if participant_id is not None:
        app = current_app._get_current_object()

        @after_this_request
        def end_the_copies_afterwards(response):
            response.call_on_close(lambda: _end_sessions(app, participant_id))
            return response


def close_for_safety() -> bool:
    """A participant's page closed itself with nobody there: its session ends, every copy of it, and the pages
    that follow say why (words sent later from another of their pages are shown back, ``ended_while_away``); a
    session that had ended already shows no more words back.

    Unless the server heard from another of their pages since this one (its key in the address, ``page_key``):
    that page, in another tab, is in use, and closes itself in turn once it is not. Then nothing ends (False).
    """
    if _another_page_heard_last():
        return False
    if session.get("participant_id") is not None:
        seen = session.get("seen", 0)
        leave_participant()
        session["expired"] = True
        session["seen"] = seen
    elif session.get("expired"):
        session.pop("seen", None)
    return True


def _another_page_heard_last() -> bool:
    """The server heard from another page of this participant's session (open or ended, its words still shown back)
    after the one asking (its ``page_key`` in the address)."""
    asking, heard = request.args.get("page_key"), session.get("heard_page")
    return (asking is not None and heard not in (None, asking)
            and (g.get("participant") is not None or ended_while_away(staff=False)))


def _end_sessions(app, participant_id: int) -> None:
    with app.app_context():
        try:
            participation.end_sessions(participant_id)
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            app.logger.warning("a participant left while the database did not answer; copies of their cookie "
                               "end after the idle time")
        finally:
            db.session.remove()


def end_participant() -> None:
    """Quick exit and idle both end here: nothing of the participant stays in the cookie."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
