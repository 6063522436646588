"""quotes remember which revision the author's comment was about, and drafts that go back to their author

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_revision', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('back_to_author', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Comments so far were given on the words the author was shown last; an edit since then made them older.
    op.execute(
        "UPDATE quotes SET comment_revision = CASE WHEN status IN ('approved', 'declined') THEN revision "
        "ELSE revision - 1 END WHERE participant_comment IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_column('back_to_author')
        batch_op.drop_column('comment_revision')
