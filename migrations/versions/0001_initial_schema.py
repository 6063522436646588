"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_type', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_created_at'), ['created_at'], unique=False)

    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('name_fil', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('name_en', name=op.f('uq_themes_name_en')),
    sa.UniqueConstraint('name_fil', name=op.f('uq_themes_name_fil'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('roles', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('totp_secret', sa.Text(), nullable=True),
    sa.Column('recovery_codes', sa.Text(), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('quote_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exports'))
    )
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exports_user_id'), ['user_id'], unique=False)

    op.create_table('roundtables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_fil', sa.String(length=200), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_fil', sa.Text(), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('retention_until', sa.Date(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.Column('consent_version', sa.Integer(), nullable=False),
    sa.Column('sensitive_terms', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['facilitator_id'], ['users.id'], name=op.f('fk_roundtables_facilitator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roundtables')),
    sa.UniqueConstraint('join_code', name=op.f('uq_roundtables_join_code'))
    )
    with op.batch_alter_table('roundtables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roundtables_facilitator_id'), ['facilitator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roundtables_status'), ['status'], unique=False)

    op.create_table('consent_clauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('text_fil', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'], name=op.f('fk_consent_clauses_roundtable_id_roundtables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_clauses')),
    sa.UniqueConstraint('roundtable_id', 'version', 'key', name=op.f('uq_consent_clauses_roundtable_id'))
    )
    with op.batch_alter_table('consent_clauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_clauses_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=40), nullable=False),
    sa.Column('pseudonym_key', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('passphrase_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'], name=op.f('fk_participants_roundtable_id_roundtables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants')),
    sa.UniqueConstraint('passphrase_digest', name=op.f('uq_participants_passphrase_digest')),
    sa.UniqueConstraint('roundtable_id', 'pseudonym_key', name=op.f('uq_participants_roundtable_id'))
    )
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participants_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('prompts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('text_fil', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'], name=op.f('fk_prompts_roundtable_id_roundtables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prompts'))
    )
    with op.batch_alter_table('prompts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prompts_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('form_version', sa.Integer(), nullable=False),
    sa.Column('adult_confirmed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_consent_records_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index('ix_consent_records_participant_newest', ['participant_id', 'id'], unique=False)

    op.create_table('reflections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('moderator_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_reflections_decided_by_id_users')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_reflections_participant_id_participants')),
    sa.ForeignKeyConstraint(['prompt_id'], ['prompts.id'], name=op.f('fk_reflections_prompt_id_prompts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflections')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_reflections_idempotency_key'))
    )
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflections_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflections_prompt_id'), ['prompt_id'], unique=False)
        batch_op.create_index('ix_reflections_status_id', ['status', 'id'], unique=False)

    op.create_table('consent_grants',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('clause_key', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['consent_records.id'], name=op.f('fk_consent_grants_record_id_consent_records')),
    sa.PrimaryKeyConstraint('record_id', 'clause_key', name=op.f('pk_consent_grants'))
    )
    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reflection_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('translation', sa.Text(), nullable=True),
    sa.Column('translation_language', sa.String(length=8), nullable=True),
    sa.Column('descriptor', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('unresolved_findings', sa.Integer(), nullable=False),
    sa.Column('participant_approved_revision', sa.Integer(), nullable=True),
    sa.Column('participant_comment', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_quotes_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_quotes_created_by_id_users')),
    sa.ForeignKeyConstraint(['reflection_id'], ['reflections.id'], name=op.f('fk_quotes_reflection_id_reflections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_reflection_id'), ['reflection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_status'), ['status'], unique=False)

    op.create_table('export_quotes',
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['exports.id'], name=op.f('fk_export_quotes_export_id_exports')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_export_quotes_quote_id_quotes')),
    sa.PrimaryKeyConstraint('export_id', 'quote_id', name=op.f('pk_export_quotes'))
    )
    with op.batch_alter_table('export_quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_quotes_quote_id'), ['quote_id'], unique=False)

    op.create_table('quote_finding_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_quote_finding_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_finding_decisions_quote_id_quotes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_finding_decisions')),
    sa.UniqueConstraint('quote_id', 'kind', 'digest', name=op.f('uq_quote_finding_decisions_quote_id'))
    )
    with op.batch_alter_table('quote_finding_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_finding_decisions_quote_id'), ['quote_id'], unique=False)

    op.create_table('quote_themes',
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_themes_quote_id_quotes')),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_quote_themes_theme_id_themes')),
    sa.PrimaryKeyConstraint('quote_id', 'theme_id', name=op.f('pk_quote_themes'))
    )


def downgrade() -> None:
    op.drop_table('quote_themes')
    with op.batch_alter_table('quote_finding_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_finding_decisions_quote_id'))

    op.drop_table('quote_finding_decisions')
    with op.batch_alter_table('export_quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_quotes_quote_id'))

    op.drop_table('export_quotes')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_status'))
        batch_op.drop_index(batch_op.f('ix_quotes_reflection_id'))

    op.drop_table('quotes')
    op.drop_table('consent_grants')
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.drop_index('ix_reflections_status_id')
        batch_op.drop_index(batch_op.f('ix_reflections_prompt_id'))
        batch_op.drop_index(batch_op.f('ix_reflections_participant_id'))

    op.drop_table('reflections')
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_records_participant_newest')

    op.drop_table('consent_records')
    with op.batch_alter_table('prompts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prompts_roundtable_id'))

    op.drop_table('prompts')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participants_roundtable_id'))

    op.drop_table('participants')
    with op.batch_alter_table('consent_clauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_clauses_roundtable_id'))

    op.drop_table('consent_clauses')
    with op.batch_alter_table('roundtables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roundtables_status'))
        batch_op.drop_index(batch_op.f('ix_roundtables_facilitator_id'))

    op.drop_table('roundtables')
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exports_user_id'))

    op.drop_table('exports')
    op.drop_table('users')
    op.drop_table('themes')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
