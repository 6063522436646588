from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from roundtable.db import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """Who did what to which record, and when. Never content, never addresses."""

    __tablename__ = "audit_events"
    # A record's own events: every editor page counts the "withdrawn after export" notices, each from the latest
    # such event of a quote (notices._open_condition); without it, each quote read the whole log's events.
    __table_args__ = (Index("ix_audit_events_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # What changed, in words of a fixed vocabulary only ("given=admin taken=editor", "previous=3 successor=7"),
    # written by ``audit.record``, which refuses anything else: no one's words or address can land here.
    detail: Mapped[str | None] = mapped_column(String(120), nullable=True)
