"""audit events are found by the record they are about

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_audit_events_target', 'audit_events', ['target_type', 'target_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_events_target', table_name='audit_events')
