"""Alembic is the only way the schema is made, and it matches the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from roundtable.db import Base, db


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_database_is_at_the_newest_revision(app):
    from alembic.script import ScriptDirectory

    from roundtable.cli import alembic_config

    with app.app_context(), db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = ScriptDirectory.from_config(alembic_config(app.config["DATABASE_URL"])).get_current_head()
    assert current == head


def test_the_code_names_the_newest_revision_as_the_one_it_needs(app):
    """``SCHEMA_REVISION`` is what /healthz, the pages and the commands compare the database with."""
    from alembic.script import ScriptDirectory

    from roundtable.cli import alembic_config
    from roundtable.db import SCHEMA_REVISION

    assert ScriptDirectory.from_config(alembic_config(app.config["DATABASE_URL"])).get_current_head() == SCHEMA_REVISION
