"""staff lists show reflections in the order they were shared

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_reflections_status_submitted', 'reflections', ['status', 'submitted_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reflections_status_submitted', table_name='reflections')
