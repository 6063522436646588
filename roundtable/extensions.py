"""Flask extensions, created once here and initialised in ``create_app``."""

import hashlib
import hmac
import ipaddress
import time
from datetime import datetime, timezone

from flask import current_app, g, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect


def _rate_limit_key(what: str) -> str:
    """A keyed digest that changes every day: what is counted is never stored, not even in the rate-limit store."""
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{day}|{what}".encode(), hashlib.sha256).hexdigest()[:24]


def client_fingerprint() -> str:
    """Rate-limit key of the client address. A room on one Wi-Fi, or a mobile network, shares one address:
    limits keyed on it count only what goes wrong, or are far above what a room does."""
    return _rate_limit_key(f"address|{_counted_as_one(request.remote_addr)}")


def _counted_as_one(address: str | None) -> str | None:
    """An IPv6 client is counted by its /64: every home or cloud connection holds that whole network, and counted
    address by address it would have 2^64 fresh limits for guessing join codes. An IPv4 address, also written as
    IPv6 (::ffff:10.0.0.1), is counted alone."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # none (a unix socket without a proxy in front), or junk: counted as it is
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip) if ip.version == 4 else str(ipaddress.IPv6Network((ip, 64), strict=False))


def signed_in_participant() -> str:
    """Rate-limit key of the participant who is writing, whoever shares their address."""
    participant = g.get("participant")
    return _rate_limit_key(f"participant|{participant.id}") if participant is not None else client_fingerprint()


def account_typed() -> str:
    """Rate-limit key of the staff account named on the sign-in form: guesses from many addresses count together."""
    typed = request.form.get("username", "").replace("\x00", "")  # as the form and authenticate() read it
    return _rate_limit_key(f"account|{typed.strip().lower()}")


def signed_in_account() -> str:
    """Rate-limit key of the signed-in staff account (or the one still owing its second factor)."""
    user = g.get("user")
    return _rate_limit_key(f"account-id|{user.id if user is not None else session.get('user_id')}")


def refused(response) -> bool:
    """For limits that count only failures: a refused form is shown again (200); what worked leads on, or is
    marked ``accepted()`` by a view that answers a success with a page of its own."""
    return response.status_code == 200 and not g.get("form_accepted")


def accepted() -> None:
    g.form_accepted = True


babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_fingerprint, default_limits=[])


def seconds_until_allowed() -> int | None:
    """How long the limits that refused this request hold: a room refused by the hourly limit waits up to an hour,
    not "a few minutes", also when the minute's limit refused it first and the hour's is used up too. None where the
    store cannot say (it is down, or no limit refused the request)."""
    try:
        holding = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    except Exception:  # the store's own errors, whatever it is: the page is said without the time
        return None
    return max(1, int(max(holding) - time.time())) if holding else None
