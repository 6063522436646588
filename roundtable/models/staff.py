from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from roundtable.db import Base, UTCDateTime, first_session_version, utcnow
from roundtable.models.types import EncryptedText

ROLES = ("admin", "facilitator", "editor")


class User(Base):
    """A staff account. Participants never have one."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # Credentials are deferred: every staff request loads its User, but only sign-in, two-step and account
    # pages read them, so the TOTP secret is not decrypted into memory on every page.
    password_hash: Mapped[str] = mapped_column(String(255), deferred=True, deferred_group="credentials")
    roles: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(
        EncryptedText, nullable=True, deferred=True, deferred_group="credentials"
    )
    recovery_codes: Mapped[str | None] = mapped_column(Text, nullable=True, deferred=True, deferred_group="credentials")
    # The newest 30-second TOTP step accepted, so a code that worked once never works again (RFC 6238 §5.2).
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    session_version: Mapped[int] = mapped_column(Integer, default=first_session_version)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split() if r in ROLES)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))


class SentForm(Base):
    """A staff form that made something (a quote, a theme, a roundtable, a prompt, an account) and where it led.

    A double click, or a page sent again from the browser's history, sends the same form twice; the second
    sending then leads to what the first made instead of making it again. Kept for a day.
    """

    __tablename__ = "sent_forms"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    location: Mapped[str] = mapped_column(String(500))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
