"""a pseudonym's key leaves out . ' - and spaces: "Bituin." and "Tala-Dagat" are "Bituin" and "Tala Dagat"

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""
import logging
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_PARTICIPANTS = sa.table(
    'participants', sa.column('id', sa.Integer), sa.column('roundtable_id', sa.Integer),
    sa.column('pseudonym', sa.String), sa.column('pseudonym_key', sa.String),
)
_STRAIGHT_QUOTES = str.maketrans({**dict.fromkeys("‘’‚‛′", "'"), **dict.fromkeys("“”„‟″", '"')})
_PASSED_OVER = str.maketrans("", "", " .'-")
# Under the app's logger ("roundtable"), so that `flask migrate` prints it.
_log = logging.getLogger("roundtable.migrations")


def _search_key(value: str) -> str:
    """services/text.py:search_key as of this revision: case, spacing and accents aside, straight quotes."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_STRAIGHT_QUOTES))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFKC", without_accents).casefold().split())


def _without_marks_and_spaces(pseudonym: str) -> str:
    """services/participation.py:_pseudonym_key as of this revision."""
    return _search_key(pseudonym).translate(_PASSED_OVER)


def _rekey(key) -> None:
    """Each participant's pseudonym key made by ``key``; an erased pseudonym's ("#12") stays. Two who already share
    the new key in one roundtable (joined before this) keep theirs as it was after the first of them: no one's name
    changes, and what is new is refused. How many keys changed, and how many stayed so, is logged (numbers only)
    when there is any."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_PARTICIPANTS.c.id, _PARTICIPANTS.c.roundtable_id, _PARTICIPANTS.c.pseudonym,
                  _PARTICIPANTS.c.pseudonym_key)
        .where(~_PARTICIPANTS.c.pseudonym_key.startswith('#'))
        .order_by(_PARTICIPANTS.c.id)
    ).all()
    held = {(row.roundtable_id, row.pseudonym_key) for row in rows}
    changed = alike = 0
    for row in rows:
        new = key(row.pseudonym)
        if new == row.pseudonym_key:
            continue
        if (row.roundtable_id, new) in held:
            alike += 1
            continue
        held.discard((row.roundtable_id, row.pseudonym_key))
        held.add((row.roundtable_id, new))
        connection.execute(sa.update(_PARTICIPANTS).where(_PARTICIPANTS.c.id == row.id).values(pseudonym_key=new))
        changed += 1
    if changed or alike:  # a new database, or one with no key to make again, has nothing to say
        _log.info("Pseudonym keys: %d made again; %d left as they were, as another participant in the same "
                  "roundtable already has the new one.", changed, alike)


def upgrade() -> None:
    _rekey(_without_marks_and_spaces)


def downgrade() -> None:
    _rekey(_search_key)
