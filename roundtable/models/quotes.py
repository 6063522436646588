from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from roundtable.db import Base, UTCDateTime, utcnow
from roundtable.models.types import EncryptedText
from roundtable.services.text import search_key

STATUSES = ("draft", "awaiting_participant", "approved", "declined", "withdrawn")
#: Every status but withdrawn: the quotes an editor lists, filters by and can still take back.
LIVE_STATUSES = tuple(status for status in STATUSES if status != "withdrawn")
EXPORT_FORMATS = ("csv", "json", "docx", "xlsx")

quote_themes = Table(
    "quote_themes",
    Base.metadata,
    Column("quote_id", ForeignKey("quotes.id"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True),
)

export_quotes = Table(
    "export_quotes",
    Base.metadata,
    Column("export_id", ForeignKey("exports.id"), primary_key=True),
    Column("quote_id", ForeignKey("quotes.id"), primary_key=True, index=True),
)


class Theme(Base):
    """A bilingual tag for quotes."""

    __tablename__ = "themes"
    # A removed theme's number is never given to a new one (SQLite would give the highest again): the audit log
    # names it by its number.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(80), unique=True)
    name_fil: Mapped[str] = mapped_column(String(80), unique=True)
    # Where each name sorts: capitals and accents aside ("bold" and "Édukasyon" among the others, not after "Video"),
    # and alike on every database, whatever its collation. Kept by ``_sort_keys_kept``; "ß" folds to "ss", so a
    # key may be longer than its name.
    sort_key_en: Mapped[str] = mapped_column(Text)
    sort_key_fil: Mapped[str] = mapped_column(Text)

    def name(self, language: str) -> str:
        return self.name_fil if language == "fil" else self.name_en

    @classmethod
    def name_column(cls, language: str):
        """The column of the name in ``language``."""
        return cls.name_fil if language == "fil" else cls.name_en

    @classmethod
    def sort_column(cls, language: str):
        """What lists and files sort themes by in ``language`` (then by ``id``, for names alike but for accents)."""
        return cls.sort_key_fil if language == "fil" else cls.sort_key_en

    @validates("name_en", "name_fil")
    def _sort_keys_kept(self, field: str, name: str | None) -> str | None:
        setattr(self, field.replace("name_", "sort_key_"), None if name is None else search_key(name))
        return name


class Quote(Base):
    """An excerpt of one reflection, prepared by an editor.

    ``revision`` counts changes to the words; a participant's approval is of one revision,
    so any later edit needs a new approval. ``version_id`` is the optimistic lock.
    """

    __tablename__ = "quotes"
    # A discarded draft's number is never given to a new quote (SQLite would give the highest again): the audit log
    # and the editors' links still name it.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(ForeignKey("reflections.id"), index=True)
    text: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    language: Mapped[str] = mapped_column(String(8))
    translation: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    translation_language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    descriptor: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # Identifying details in the current words without an editor's decision, counted when the words,
    # the decisions or the roundtable's sensitive words change, so lists and exports need no rescan.
    unresolved_findings: Mapped[int] = mapped_column(Integer, default=0)
    participant_approved_revision: Mapped[int | None] = mapped_column(Integer, nullable=True)
    participant_comment: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    # The revision the author's comment was about: after an edit it is about earlier words.
    comment_revision: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A draft that goes back to its author before approval: they were asked about an earlier version, or
    # declined it, and the editor's changes were not yet fit to put to them (see curation.update_quote).
    back_to_author: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    reflection = relationship("Reflection")
    themes: Mapped[list[Theme]] = relationship(secondary=quote_themes, order_by="Theme.name_en")

    __mapper_args__ = {"version_id_col": version_id}


class Export(Base):
    """One download: who, when, which format, and exactly which quotes it held."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    format: Mapped[str] = mapped_column(String(8))
    quote_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quotes: Mapped[list[Quote]] = relationship(secondary=export_quotes)


class QuoteFindingDecision(Base):
    """An editor's decision about one identifying detail found in a quote: redact it, or keep it (with a reason).

    The finding's words are never stored: only their keyed digest (``services.crypto.lookup_digest``),
    so a "keep" stays resolved while the same words stay in the quote, and falls away when they change.
    """

    __tablename__ = "quote_finding_decisions"
    __table_args__ = (UniqueConstraint("quote_id", "kind", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(8))  # "keep" (a redaction removes the words themselves)
    reason: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    revision: Mapped[int] = mapped_column(Integer)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
