"""Flask extensions, created once here and initialised in ``create_app``."""

import hashlib
import hmac
from datetime import datetime, timezone

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect


def client_fingerprint() -> str:
    """Rate-limit key: a keyed digest of the client address that changes every day.

    The address itself is never stored, not even in the rate-limit store.
    """
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{day}|{request.remote_addr}".encode(), hashlib.sha256).hexdigest()[:24]


babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_fingerprint, default_limits=[])
