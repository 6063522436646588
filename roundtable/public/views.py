"""Pages for everyone: home, language, support, quick exit, health."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import refresh
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from roundtable import i18n, identity
from roundtable.access import public, staff_boxes
from roundtable.db import db, schema_mismatch, schema_problem
from roundtable.navigation import safe_next
from roundtable.services import crypto, participation

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def home():
    return render_template("public/home.html")


@bp.get("/language/<code>")
@public
def language(code: str):
    chosen = i18n.normalize(code)
    if chosen:
        session["lang"] = chosen
        if g.participant is not None:  # kept for their next visit, as the join page promises
            participation.choose_language(g.participant, chosen)
            db.session.commit()
        else:  # chosen before signing in: kept at sign-in (a session's end forgets that it was chosen)
            session["lang_chosen"] = True
    return redirect(safe_next(request.args.get("next")))


@bp.post("/words-kept")
@public
def words_kept():
    """Words that could not be saved, shown again in the language whose button was pressed: the page that shows
    them answered a form, and nothing else keeps them (a language link would lead away and lose them)."""
    kind = request.form.get("kind")
    # Shown again only to whom they were shown: a session that ended by itself, or a participant refused by a rate
    # limit. After a quick exit, Back and Reload on a shared phone send this form again: nothing comes back.
    if kind == "staff" and not identity.ended_while_away(staff=True):
        return redirect(url_for("auth.login"))
    if kind != "staff" and not (identity.ended_while_away(staff=False) or (kind == "too_many" and g.participant)):
        return redirect(url_for("participant.return_"))
    chosen = i18n.normalize(request.form.get("switch_language"))
    if chosen:
        session["lang"] = chosen
        refresh()  # this answer is already in the new language
    if kind == "staff":
        typed = staff_boxes().kept(request.form.getlist("typed_as"), request.form.getlist("typed"),
                                   request.form.getlist("typed_lang"))
        return render_template("auth/session_ended.html", typed=typed)
    return render_template("participant/words_kept.html", text=request.form.get("text", ""),
                           language=request.form.get("language"), too_many=kind == "too_many")


@bp.get("/support")
@public
def support():
    contacts = [{**contact, "tel": _phone_number(contact.get("contact", ""))}
                for contact in current_app.config["SUPPORT_CONTACTS"]]
    return render_template("public/support.html", contacts=contacts)


_PHONE = re.compile(r"\+?\(?\d[\d ()-]*")


def _phone_number(contact: str) -> str | None:
    """A contact that is only a telephone number ("0917 000 0000", "1343", "+63 2 8123 4567"), as a tel: address
    a phone calls with one tap; None for anything else (a website, an office, several numbers in words)."""
    contact = contact.strip()
    if not _PHONE.fullmatch(contact) or sum(ch.isdigit() for ch in contact) < 3:
        return None
    return "tel:" + ("+" if contact.startswith("+") else "") + "".join(ch for ch in contact if ch.isdigit())


@bp.get("/exit")
@public
def quick_exit():
    """Ends the participant's session (every copy of its cookie), then leaves for a neutral site."""
    identity.leave_participant()
    session.pop("lang", None)
    return redirect(current_app.config["QUICK_EXIT_URL"])


@bp.get("/exit/about")
@public
def quick_exit_about():
    return render_template("public/quick_exit.html")


# One round trip: the schema's revision, and a sample of what the keys must open (the oldest and the newest words,
# which a rotation left half done, or a key dropped too soon, would not open; and a second factor's secret, stored
# where no reflection is written yet).
_HEALTH = text("SELECT (SELECT version_num FROM alembic_version),"
               " (SELECT \"text\" FROM reflections WHERE \"text\" IS NOT NULL ORDER BY id LIMIT 1),"
               " (SELECT \"text\" FROM reflections WHERE \"text\" IS NOT NULL ORDER BY id DESC LIMIT 1),"
               " (SELECT totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY id DESC LIMIT 1)")


@bp.get("/healthz")
@public
def healthz():
    """Healthy when the database answers with Roundtable's schema and the configured keys open what it stores:
    a database that answers but was never migrated (a new or wrongly named one), or keys that do not match the
    data, would let every page that reads it fail."""
    try:
        revision, *sealed = db.session.execute(_HEALTH).one()
    except Exception as problem:  # any failure means "not healthy"; details stay in the server log
        said = schema_problem(problem) if isinstance(problem, DBAPIError) else None
        current_app.logger.warning("health check: %s", said or "the database did not answer")
        return {"status": "unavailable"}, 503
    if revision is None:
        current_app.logger.warning("health check: the database was never migrated")
        return {"status": "unavailable"}, 503
    if mismatch := schema_mismatch(revision):
        current_app.logger.error("health check: %s", mismatch)
        return {"status": "unavailable"}, 503
    try:
        for token in filter(None, sealed):
            crypto.decrypt(token)
    except crypto.KeyringNotConfigured:
        current_app.logger.critical("health check: stored text cannot be decrypted with "
                                    "ROUNDTABLE_ENCRYPTION_KEYS: check the keys (docs/deploy.md, section 5)")
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
