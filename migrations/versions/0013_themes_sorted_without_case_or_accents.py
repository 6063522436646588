"""themes sort by a stored key, capitals and accents aside: "bold" and "Édukasyon" came after "Video-recorded
interviews" (PostgreSQL's C collation and SQLite compare code points)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

_THEMES = sa.table(
    'themes', sa.column('id', sa.Integer), sa.column('name_en', sa.String), sa.column('name_fil', sa.String),
    sa.column('sort_key_en', sa.Text), sa.column('sort_key_fil', sa.Text),
)
_STRAIGHT_QUOTES = str.maketrans({**dict.fromkeys("‘’‚‛′", "'"), **dict.fromkeys("“”„‟″", '"')})


def _sort_key(name: str) -> str:
    """services/text.py:search_key as of this revision: case, accents and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_STRAIGHT_QUOTES))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFKC", without_accents).casefold().split())


def upgrade() -> None:
    # Added with a default, so that SQLite adds them in place: rebuilding the table would count its numbers from
    # the highest one left, and give a removed theme's number again (0012). Every row is keyed just below.
    for column in ('sort_key_en', 'sort_key_fil'):
        op.add_column('themes', sa.Column(column, sa.Text(), nullable=False, server_default=''))
    connection = op.get_bind()
    for row in connection.execute(sa.select(_THEMES.c.id, _THEMES.c.name_en, _THEMES.c.name_fil)).all():
        connection.execute(sa.update(_THEMES).where(_THEMES.c.id == row.id).values(
            sort_key_en=_sort_key(row.name_en), sort_key_fil=_sort_key(row.name_fil)))


def downgrade() -> None:
    for column in ('sort_key_fil', 'sort_key_en'):
        op.drop_column('themes', column)
