"""A second factor for staff: time-based one-time codes (TOTP, RFC 6238) and one-time recovery codes.

The TOTP secret is stored encrypted (``User.totp_secret`` is an EncryptedText column). Recovery
codes are shown once and only keyed digests of them are stored, so a leaked backup holds none.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pyotp
import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from pyotp.utils import strings_equal
from sqlalchemy import or_, select, update

from roundtable.db import db
from roundtable.models import User
from roundtable.services import accounts, audit, crypto, sent_forms
from roundtable.services.errors import RuleViolation

ISSUER = "Roundtable"
RECOVERY_CODES = 10
_PURPOSE = "recovery-code"
# "Verify" (or the set-up's confirm button) pressed twice (a double click, or again while the first answer is slow)
# sends the same code again, often with the session cookie from before the first answer: for this long, it leads
# where the first sending led.
SENT_AGAIN_WITHIN = timedelta(minutes=2)


def required_for(user: User) -> bool:
    """Whether ``user``'s roles must sign in with a second factor here (never in the local demo without it)."""
    if current_app.config.get("TWO_FACTOR_DISABLED"):
        return False
    required_roles = current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ())
    return user.has_role(*required_roles) if required_roles else False


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(secret: str, username: str) -> bytes:
    """The enrolment QR code as an SVG document (no inline style, so CSP allows it)."""
    out = io.BytesIO()
    segno.make(provisioning_uri(secret, username), error="m").save(
        out, kind="svg", scale=5, border=4, xmldecl=True, svgns=True, title=None, desc=None
    )
    return out.getvalue()


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def _matching_step(secret: str, code: str) -> int | None:
    """The 30-second step ``code`` belongs to, allowing one step of clock drift either way; None if none."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(datetime.now(timezone.utc))
    for step in (current - 1, current, current + 1):
        if strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _take_step(user: User, step: int) -> bool:
    """Mark ``step`` used; False if it, or a later one, was used already.

    One conditional UPDATE, so two requests racing with the same code cannot both pass.
    """
    taken = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .returning(User.id)
    ).first()
    return taken is not None


def _take_recovery_code(user: User, digest: str) -> bool:
    """Use up one recovery code; False if it is not (or no longer) there.

    The list is rewritten only if it is still the one read: of two requests racing with the same code, the
    second finds the list changed, reads it again, and no longer finds the code.
    """
    while True:
        stored = db.session.scalar(select(User.recovery_codes).where(User.id == user.id))
        remaining = json.loads(stored or "[]")
        if digest not in remaining:
            return False
        remaining.remove(digest)
        taken = db.session.execute(
            update(User).where(User.id == user.id, User.recovery_codes == stored)
            .values(recovery_codes=json.dumps(remaining)).returning(User.id)
        ).first()
        if taken is not None:
            db.session.expire(user, ["recovery_codes"])
            return True


def _new_recovery_codes() -> list[str]:
    return [accounts.readable_code(2) for _ in range(RECOVERY_CODES)]


def enrol(user: User, secret: str, code: str, *, actor, current_password: str | None = None) -> list[str]:
    """Confirm a new secret with a code from the app; store it and return fresh recovery codes (shown once).

    Replacing a second factor that is on needs the account's password too: whoever finds a session left
    open must not be able to move the second factor to their own phone.
    """
    if user.totp_secret is not None:
        accounts.confirm_password(user, current_password)
    step = _matching_step(secret, code)
    if step is None:
        raise RuleViolation(_l("That code is not right. Check the time on your phone and try the newest code."))
    user.totp_secret = secret
    user.totp_last_step = step  # the code that confirmed the secret cannot also sign in
    accounts.end_sessions(user)  # a new second factor, perhaps after a lost phone: other open sessions end
    audit.record("staff.second_factor_enrolled", actor=actor, target=user)
    # Raises sent_forms.SentBefore when the same set-up, confirmed twice at once, was saved by the other sending.
    sent_forms.record(user, _enrolled_key(secret, code), "", SENT_AGAIN_WITHIN)
    return _replace_recovery_codes(user)


def confirmed_again(user: User) -> list[str]:
    """The set-up confirmed twice (a double click): fresh recovery codes replace those of the first answer, which
    the browser did not keep. The audit log says so: codes once shown were made void."""
    audit.record("staff.recovery_codes_replaced", actor=user, target=user)
    return _replace_recovery_codes(user)


def _replace_recovery_codes(user: User) -> list[str]:
    """Fresh recovery codes, to show once; those before no longer work."""
    codes = _new_recovery_codes()
    user.recovery_codes = json.dumps([crypto.lookup_digest(_normalise(c), _PURPOSE) for c in codes])
    return codes


def _enrolled_key(secret: str, code: str) -> str:
    return crypto.lookup_digest(f"{secret}\x00{_normalise(code)}", "second-factor-enrolled")[:32]


def enrolled_before(user: User, secret: str | None, code: str | None) -> bool:
    """Whether the set-up of ``secret`` (held only by the cookie of the session that began it) was confirmed with
    this same ``code`` a moment ago, and is the account's second factor: the confirm button pressed twice. The code
    confirms no other set-up and opens no other session."""
    if not secret or not code or user.totp_secret != secret:
        return False
    return sent_forms.earlier(user, _enrolled_key(secret, code), SENT_AGAIN_WITHIN) is not None


def verify(user: User, code: str) -> bool:
    """True when ``code`` is a current TOTP code not used before, or an unused recovery code (then used up)."""
    step = _matching_step(user.totp_secret, code) if user.totp_secret else None
    if step is not None and _take_step(user, step):
        audit.record("staff.second_factor_passed", actor=user)
        return True
    digest = crypto.lookup_digest(_normalise(code), _PURPOSE)
    if _normalise(code) and _take_recovery_code(user, digest):
        audit.record("staff.recovery_code_used", actor=user)
        return True
    audit.record("staff.second_factor_failed", actor=user)
    return False


def _passed_key(sign_in: str | None, code: str) -> str | None:
    if not sign_in:  # a sign-in begun before sign-ins had keys: a second press is refused as before
        return None
    return crypto.lookup_digest(f"{sign_in}\x00{_normalise(code)}", "second-factor-passed")[:32]


def passed(user: User, code: str, *, sign_in: str | None, location: str) -> None:
    """``code`` completed the sign-in ``sign_in`` (the session's own key for it), which led to ``location``."""
    sent_forms.record(user, _passed_key(sign_in, code), location, SENT_AGAIN_WITHIN)


def passed_before(user: User, code: str, *, sign_in: str | None) -> str | None:
    """Where the sign-in ``sign_in`` led when this same ``code`` completed it a moment ago, or None. The code stays
    used up: no other sign-in (another browser, a session begun with the password again) finds it."""
    return sent_forms.earlier(user, _passed_key(sign_in, code), SENT_AGAIN_WITHIN)


def recovery_codes_left(user: User) -> int:
    return len(json.loads(user.recovery_codes or "[]"))


def reset(user: User, *, actor) -> None:
    """An administrator removes a lost second factor; the owner enrols again at the next sign-in.

    Never one's own: a second factor that its owner's open session could remove would protect nothing.
    """
    if accounts.acting_on_own_account(actor, user):
        raise RuleViolation(_l("Only another administrator can reset your two-step sign-in."))
    if not user.totp_secret:
        raise RuleViolation(_l("This account has no two-step sign-in to reset."))
    user.totp_secret = None
    user.totp_last_step = None
    user.recovery_codes = None
    user.session_version += 1
    audit.record("staff.second_factor_reset", actor=actor, target=user)
