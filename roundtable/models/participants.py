from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roundtable.db import Base, UTCDateTime, first_session_version, utcnow


class Participant(Base):
    """A survivor leader in one roundtable: a pseudonym and a passphrase digest, nothing else."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("roundtable_id", "pseudonym_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(40))
    pseudonym_key: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    passphrase_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Quick exit and "take a break" raise it: every cookie signed in before then stops opening the words.
    session_version: Mapped[int] = mapped_column(Integer, default=first_session_version)
    # A keyed digest of the key the join that made them kept in its cookie: the same join sent again (a second tap,
    # a slow answer) finds them. Cleared once they typed their passphrase back, when that join is over.
    join_key_digest: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)

    roundtable = relationship("Roundtable")


class ConsentRecord(Base):
    """Append-only: what a participant granted, under which form version, when.

    The newest record (highest id) is the participant's current consent.
    """

    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_participant_newest", "participant_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    form_version: Mapped[int] = mapped_column(Integer)
    adult_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grants: Mapped[list[ConsentGrant]] = relationship(lazy="selectin", cascade="all")

    @property
    def granted_keys(self) -> frozenset[str]:
        return frozenset(g.clause_key for g in self.grants)


class ConsentGrant(Base):
    """One clause granted in one consent record."""

    __tablename__ = "consent_grants"

    record_id: Mapped[int] = mapped_column(ForeignKey("consent_records.id"), primary_key=True)
    clause_key: Mapped[str] = mapped_column(String(40), primary_key=True)
