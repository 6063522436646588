from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roundtable.db import Base, UTCDateTime, utcnow
from roundtable.models.types import EncryptedText

STATUSES = ("draft", "open", "closed", "archived")


class Roundtable(Base):
    """A facilitated roundtable (never called a session: Flask and SQLAlchemy own that word)."""

    __tablename__ = "roundtables"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_fil: Mapped[str] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_fil: Mapped[str] = mapped_column(Text, default="")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    retention_until: Mapped[date] = mapped_column(Date)
    # When the group meets, as the room's clock reads (local wall-clock time, no time zone): all optional. An end
    # earlier than the start is on the next day (roundtables.ends_next_day).
    meets_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    starts_at: Mapped[time | None] = mapped_column(Time, nullable=True)
    ends_at: Mapped[time | None] = mapped_column(Time, nullable=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    consent_version: Mapped[int] = mapped_column(Integer, default=1)
    # Deferred: read (and decrypted) only where quotes are checked or the words are edited, not with every
    # roundtable a participant's request or a list's filter loads.
    sensitive_terms: Mapped[str | None] = mapped_column(EncryptedText, nullable=True, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    facilitator = relationship("User")
    prompts: Mapped[list[Prompt]] = relationship(
        back_populates="roundtable", order_by="Prompt.position", cascade="all, delete-orphan"
    )
    clauses: Mapped[list[ConsentClause]] = relationship(
        back_populates="roundtable", order_by="ConsentClause.position", cascade="all, delete-orphan"
    )

    def title(self, language: str) -> str:
        return self.title_fil if language == "fil" else self.title_en

    def current_clauses(self) -> list[ConsentClause]:
        return [c for c in self.clauses if c.version == self.consent_version]


class Prompt(Base):
    """A question of a roundtable, in both languages."""

    __tablename__ = "prompts"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text_en: Mapped[str] = mapped_column(Text)
    text_fil: Mapped[str] = mapped_column(Text)

    roundtable: Mapped[Roundtable] = relationship(back_populates="prompts")


# Statements a participant may always refuse or take back: internal use, public quotes, reviewing quotes.
ALWAYS_OPTIONAL = ("internal_use", "quote_publicly", "review_quotes")


class ConsentClause(Base):
    """One statement of a roundtable's consent form; a changed form is a new ``version``."""

    __tablename__ = "consent_clauses"
    __table_args__ = (UniqueConstraint("roundtable_id", "version", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    text_en: Mapped[str] = mapped_column(Text)
    text_fil: Mapped[str] = mapped_column(Text)
    required_as_saved: Mapped[bool] = mapped_column("required", Boolean, default=False)

    roundtable: Mapped[Roundtable] = relationship(back_populates="clauses")

    @property
    def required(self) -> bool:
        """Needed to take part. A clause each participant must stay free to refuse (ALWAYS_OPTIONAL) never is,
        whatever a version saved before that rule said: required, it could never be taken back."""
        return self.required_as_saved and self.key not in ALWAYS_OPTIONAL

    @required.setter
    def required(self, value: bool) -> None:
        self.required_as_saved = value
