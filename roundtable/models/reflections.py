from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roundtable.db import Base, UTCDateTime, constant, utcnow
from roundtable.models.types import EncryptedText

LANGUAGES = ("fil", "en", "mixed")
STATUSES = ("draft", "submitted", "released", "held", "withdrawn", "purged")


class Reflection(Base):
    """A participant's words for one prompt. ``text`` is None once purged or erased."""

    __tablename__ = "reflections"
    __table_args__ = (
        Index("ix_reflections_status_id", "status", "id"),
        Index("ix_reflections_status_submitted", "status", "submitted_at", "id"),  # staff lists, last shared first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    prompt_id: Mapped[int] = mapped_column(ForeignKey("prompts.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    moderator_note: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    participant = relationship("Participant")
    prompt = relationship("Prompt")

    @hybrid_property
    def changed_after_decision(self) -> bool:
        """Released or held once, then changed and shared again by its author: it waits for a decision again."""
        return self.status == "submitted" and self.decided_by_id is not None

    @changed_after_decision.inplace.expression
    @classmethod
    def _changed_after_decision(cls):
        return and_(cls.status == constant("submitted"), cls.decided_by_id.is_not(None))  # no parameter: one plan
