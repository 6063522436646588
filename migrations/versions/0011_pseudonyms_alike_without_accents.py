"""a pseudonym's key ignores accents: "Ulap Büghaw" and "Ulap Bughaw" are one pseudonym in a roundtable

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_PARTICIPANTS = sa.table(
    'participants', sa.column('id', sa.Integer), sa.column('roundtable_id', sa.Integer),
    sa.column('pseudonym', sa.String), sa.column('pseudonym_key', sa.String),
)


def _fold(value: str) -> str:
    """services/text.py:fold as of this revision: case and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def _without_accents(value: str) -> str:
    """services/text.py:search_key as of this revision, for a pseudonym (its apostrophes are straight already)."""
    return _fold("".join(char for char in unicodedata.normalize("NFKD", value) if not unicodedata.combining(char)))


def _rekey(key) -> None:
    """Each participant's pseudonym key made by ``key``; an erased pseudonym's ("#12") stays. Two who already share
    the new key in one roundtable (joined before this) keep theirs as it was after the first of them: no one's name
    changes, and what is new is refused."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_PARTICIPANTS.c.id, _PARTICIPANTS.c.roundtable_id, _PARTICIPANTS.c.pseudonym,
                  _PARTICIPANTS.c.pseudonym_key)
        .where(~_PARTICIPANTS.c.pseudonym_key.startswith('#'))
        .order_by(_PARTICIPANTS.c.id)
    ).all()
    held = {(row.roundtable_id, row.pseudonym_key) for row in rows}
    for row in rows:
        new = key(row.pseudonym)
        if new == row.pseudonym_key or (row.roundtable_id, new) in held:
            continue
        held.discard((row.roundtable_id, row.pseudonym_key))
        held.add((row.roundtable_id, new))
        connection.execute(sa.update(_PARTICIPANTS).where(_PARTICIPANTS.c.id == row.id).values(pseudonym_key=new))


def upgrade() -> None:
    _rekey(_without_accents)


def downgrade() -> None:
    _rekey(_fold)
