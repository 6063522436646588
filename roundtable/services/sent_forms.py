"""A staff form sent twice saves once.

A double click sends a form twice, and the browser shows the answer to the second sending; a page sent again
from the browser's history does the same later. Each form that makes something carries a random key. The
transaction that saves what the form made also stores the key and where the form led, so the second sending
finds the key, is rolled back, and leads to what the first made. On PostgreSQL a second sending that arrives
while the first is still being saved waits for the first to commit, and then finds the key: it waits at the key,
or earlier at a unique name (a theme's, an account's), which the service then refuses in its own words
(``db.flush_or_refuse``); ``changes.change`` looks for the key before it shows such a refusal.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from roundtable.db import db, utcnow
from roundtable.models import SentForm, User

KEPT_FOR = timedelta(days=1)
_KEY = re.compile(r"[0-9a-f]{32}")


class SentBefore(Exception):
    """This form was saved before; ``location`` is where its first sending led."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def _usable(key: str | None) -> bool:
    return bool(key) and _KEY.fullmatch(key) is not None


def earlier(user: User, key: str | None, within: timedelta = KEPT_FOR) -> str | None:
    """Where this form led when it was saved before (``within`` that long ago), or None."""
    if not _usable(key):
        return None
    return db.session.scalar(select(SentForm.location).where(
        SentForm.user_id == user.id, SentForm.key == key, SentForm.sent_at >= utcnow() - within,
    ))


def record(user: User, key: str | None, location: str, within: timedelta = KEPT_FOR) -> None:
    """Store the key beside what the form made, in the same transaction.

    Raises ``SentBefore`` (after rolling back everything the sending did) when the key was saved before, less
    than ``within`` ago (a form that stays on its page, as a download does, counts as sent twice only within
    that while). A form without a usable key (a page from before keys existed, or one changed by hand) is
    saved as sent.
    """
    if not _usable(key):
        return
    # Only the page: a query may carry the words an editor searched for, which nothing stores.
    location = urlsplit(location)._replace(query="").geturl()
    if within < KEPT_FOR:
        db.session.execute(delete(SentForm).where(
            SentForm.user_id == user.id, SentForm.key == key, SentForm.sent_at < utcnow() - within,
        ))
    db.session.add(SentForm(user_id=user.id, key=key, location=location))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        first = earlier(user, key, within)
        if first is None:  # another rule refused the save; the 409 page says so
            raise
        raise SentBefore(first) from None
    db.session.execute(delete(SentForm).where(SentForm.sent_at < utcnow() - KEPT_FOR))  # anyone's, past use
