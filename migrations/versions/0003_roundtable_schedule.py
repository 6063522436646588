"""when a roundtable meets: a day, and the hours on the room's clock

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('roundtables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meets_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('starts_at', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('ends_at', sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('roundtables', schema=None) as batch_op:
        batch_op.drop_column('ends_at')
        batch_op.drop_column('starts_at')
        batch_op.drop_column('meets_on')
