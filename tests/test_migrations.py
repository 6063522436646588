"""Alembic is the only way the schema is made, and it matches the models exactly."""

import logging

import pytest
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


@pytest.fixture
def scratch_database_url(app, tmp_path):
    """An empty database beside the test one, for a migration to run on."""
    if db.engine.dialect.name == "postgresql":
        from tests.deployment.live import scratch_postgres

        with scratch_postgres(db.engine.url.render_as_string(hide_password=False), "rekeyed") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'rekeyed.db'}"


def _participants_keyed(rows):
    """Participants (roundtable, pseudonym, key as an older release stored it); returns what reads their keys now."""
    from sqlalchemy import select

    from roundtable.models import Participant

    for roundtable, pseudonym, key in rows:
        db.session.add(Participant(roundtable_id=roundtable.id, pseudonym=pseudonym, pseudonym_key=key,
                                   language="fil", passphrase_digest=key.ljust(64, "0")))
    db.session.commit()

    def keys() -> list[str]:
        db.session.expire_all()
        return db.session.scalars(select(Participant.pseudonym_key).order_by(Participant.id)).all()

    return keys


def test_pseudonym_keys_made_before_0011_ignore_accents_and_no_one_already_alike_loses_their_name(
        make, scratch_database_url):
    """"Ulap Büghaw" was accepted beside "Ulap Bughaw" (QA): their keys kept the accents."""
    from alembic import command
    from sqlalchemy import create_engine

    from roundtable.cli import alembic_config
    from tests.conftest import database

    config = alembic_config(scratch_database_url)
    command.upgrade(config, "0010")
    with database(create_engine(scratch_database_url)):
        roundtable = make.roundtable()
        keys = _participants_keyed([(roundtable, "Ulap Büghaw", "ulap büghaw"), (roundtable, "Ulap Bughaw",
                                    "ulap bughaw"), (roundtable, "Bituin Niño", "bituin niño"), (roundtable, "", "#4")])
        command.upgrade(config, "0011")
        assert keys() == ["ulap büghaw", "ulap bughaw", "bituin nino", "#4"], "alike before: both stay as they are"
        command.downgrade(config, "0010")
        assert keys() == ["ulap büghaw", "ulap bughaw", "bituin niño", "#4"]


def test_pseudonym_keys_made_before_0014_leave_out_marks_and_spaces_and_no_one_already_alike_loses_their_name(
        make, scratch_database_url, caplog):
    """"Bituin." and "Tala-Dagat" were accepted beside "Bituin" and "Tala Dagat" (QA r4 #1): their keys kept the
    marks. The log says how many keys changed and how many stayed, and names no one."""
    from alembic import command
    from sqlalchemy import create_engine

    from roundtable.cli import alembic_config
    from tests.conftest import database

    config = alembic_config(scratch_database_url)
    command.upgrade(config, "0013")
    with database(create_engine(scratch_database_url)):
        here, elsewhere = make.roundtable(), make.roundtable()
        keys = _participants_keyed([(here, "Bituin", "bituin"), (here, "Bituin.", "bituin."),
                                    (here, "Tala-Dagat", "tala-dagat"), (here, "", "#4"),
                                    (elsewhere, "Tala Dagat", "tala dagat")])
        caplog.set_level(logging.INFO, logger="roundtable.migrations")
        command.upgrade(config, "0014")
        assert keys() == ["bituin", "bituin.", "taladagat", "#4", "taladagat"], "alike before: both stay as they are"
        said = [record.getMessage() for record in caplog.records if record.name == "roundtable.migrations"]
        assert said == ["Pseudonym keys: 2 made again; 1 left as they were, as another participant in the same "
                        "roundtable already has the new one."]
        command.downgrade(config, "0013")
        assert keys() == ["bituin", "bituin.", "tala-dagat", "#4", "tala dagat"]


def test_0014_says_nothing_where_it_makes_no_key_again(make, scratch_database_url, caplog):
    """Every fresh `flask migrate` printed "Pseudonym keys: 0 made again; 0 left as they were …"."""
    from alembic import command
    from sqlalchemy import create_engine

    from roundtable.cli import alembic_config
    from tests.conftest import database

    config = alembic_config(scratch_database_url)
    caplog.set_level(logging.INFO, logger="roundtable.migrations")
    command.upgrade(config, "0013")
    with database(create_engine(scratch_database_url)):
        roundtable = make.roundtable()
        keys = _participants_keyed([(roundtable, "Bituin", "bituin"), (roundtable, "", "#2")])
        command.upgrade(config, "0014")
        assert keys() == ["bituin", "#2"]
    assert not [record for record in caplog.records if record.name == "roundtable.migrations"]


def test_a_draft_discarded_before_0012_does_not_lend_its_number_to_the_next_quote(make, scratch_database_url):
    """SQLite gave the newest quote's number, once its draft was discarded, to the next quote: the audit log still
    names the discarded one by it."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from roundtable.cli import alembic_config
    from roundtable.models import Export, Quote
    from roundtable.services import audit, exports
    from tests.conftest import database

    config = alembic_config(scratch_database_url)
    command.upgrade(config, "0011")
    with database(create_engine(scratch_database_url)):
        editor = make.user("editor")
        reflection = make.reflection()
        kept = make.quote(reflection, editor=editor, text="let children speak")
        # A theme as 0011 stores it: the model's has columns of later revisions.
        db.session.execute(text("INSERT INTO themes (name_en, name_fil) VALUES ('Courts', 'Mga korte')"))
        db.session.execute(text("INSERT INTO quote_themes (quote_id, theme_id) SELECT :quote, id FROM themes"),
                           {"quote": kept.id})
        exported = exports.record(editor, "csv", exports.QuoteFilters())
        db.session.commit()
        discarded = make.quote(reflection, editor=editor, text="from a safe room", approve=False)
        discarded_id = discarded.id
        # What curation.discard_draft leaves (whose ORM would read the themes' columns of later revisions too).
        audit.record("quote.discarded", actor=editor, target=discarded)
        db.session.execute(text("DELETE FROM quotes WHERE id = :id"), {"id": discarded_id})
        db.session.commit()

        command.upgrade(config, "head")
        db.session.expire_all()
        kept = db.session.get(Quote, kept.id)  # its rows were copied, not cascaded away with the old table
        assert (kept.text, [t.name_en for t in kept.themes]) == ("let children speak", ["Courts"])
        assert [quote.id for quote in db.session.get(Export, exported.id).quotes] == [kept.id]
        assert make.quote(reflection, editor=editor, text="the court should listen", approve=False).id > discarded_id


def test_themes_made_before_0013_sort_by_their_names_without_capitals_or_accents_and_keep_their_numbers(
        make, scratch_database_url):
    """"bold" and "Édukasyon" came after "Video-recorded interviews" on both databases (QA)."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from roundtable.cli import alembic_config
    from roundtable.services import curation
    from tests.conftest import database

    config = alembic_config(scratch_database_url)
    command.upgrade(config, "0012")
    with database(create_engine(scratch_database_url)):
        for name_en, name_fil in (("Video-recorded interviews", "Mga panayam na naka-video"), ("bold", "matapang"),
                                  ("Édukasyon", "Edukasyon"), ("Removed", "Inalis")):
            db.session.execute(text("INSERT INTO themes (name_en, name_fil) VALUES (:en, :fil)"),
                               {"en": name_en, "fil": name_fil})
        removed = db.session.scalar(text("SELECT id FROM themes WHERE name_en = 'Removed'"))
        db.session.execute(text("DELETE FROM themes WHERE id = :id"), {"id": removed})
        db.session.commit()

        command.upgrade(config, "head")
        db.session.expire_all()

        assert [theme.name_en for theme in curation.themes("en")] == ["bold", "Édukasyon", "Video-recorded interviews"]
        assert [theme.sort_key_fil for theme in curation.themes("fil")] == [
            "edukasyon", "matapang", "mga panayam na naka-video"]
        assert curation.add_theme(make.user("editor"), "Courts", "Mga korte").id > removed, "not rebuilt: 0012 holds"
        db.session.commit()
        command.downgrade(config, "0012")
        command.upgrade(config, "head")
