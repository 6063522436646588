"""a discarded draft's or a removed theme's number is never given again (SQLite gave the highest one again)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The tables whose rows are deleted while their numbers are still named: by the audit log, past exports' notices
# and the editors' links. PostgreSQL's sequences never hand a number out twice; there is nothing to do there.
_NAMED_AFTER_DELETION = {'quotes': 'quote', 'themes': 'theme'}

_AUDIT_EVENTS = sa.table('audit_events', sa.column('target_type', sa.String), sa.column('target_id', sa.Integer))


def upgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table, target_type in _NAMED_AFTER_DELETION.items():
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': True}):
            pass
        _count_from_the_highest_number_named(table, target_type)


def _count_from_the_highest_number_named(table: str, target_type: str) -> None:
    """New rows are numbered after the highest number the audit log names too: a draft discarded before this
    revision was perhaps the newest, and its number is no longer in the table."""
    connection = op.get_bind()
    named = connection.execute(
        sa.select(sa.func.max(_AUDIT_EVENTS.c.target_id)).where(_AUDIT_EVENTS.c.target_type == target_type)
    ).scalar()
    held = connection.execute(sa.text(f'SELECT max(id) FROM {table}')).scalar()
    highest = max(named or 0, held or 0)
    if not highest:
        return
    connection.execute(sa.text('DELETE FROM sqlite_sequence WHERE name = :table'), {'table': table})
    connection.execute(sa.text('INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)'),
                       {'table': table, 'seq': highest})


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in _NAMED_AFTER_DELETION:
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': False}):
            pass
