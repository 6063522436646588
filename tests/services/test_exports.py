"""Which quotes an export may hold, decided by the one rule at the moment of export, and recorded."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from roundtable.db import db
from roundtable.models import Export
from roundtable.services import curation, exports
from roundtable.services.errors import RuleViolation
from tests.editor.conftest import quote_of, shelf, editor  # noqa: F401  (fixtures)


def test_only_approved_quotable_quotes_without_undecided_details_are_exportable(shelf):
    assert exports.exportable_ids(exports.QuoteFilters()) == [shelf.fil.id, shelf.en.id]


def test_export_filters_by_roundtable_theme_and_language(make, editor, shelf):
    other = quote_of(editor, make.reflection(text="Courts should explain each step to us."))
    everything = exports.exportable_ids(exports.QuoteFilters())
    assert other.id in everything
    assert exports.exportable_ids(exports.QuoteFilters(roundtable_id=shelf.roundtable.id)) == [shelf.fil.id, shelf.en.id]
    assert exports.exportable_ids(exports.QuoteFilters(theme_id=shelf.courts.id)) == [shelf.fil.id]
    assert exports.exportable_ids(exports.QuoteFilters(language="en")) == [shelf.en.id, other.id]
    assert exports.exportable_ids(exports.QuoteFilters(language="mixed")) == []


def test_a_kept_detail_lets_the_quote_out_again(editor, shelf):
    (state,) = curation.findings_of(shelf.unresolved)
    curation.keep_finding(editor, shelf.unresolved, index=state.index, digest=state.digest, reason="A common landmark.")
    db.session.commit()
    assert shelf.unresolved.id in exports.exportable_ids(exports.QuoteFilters())


def test_every_export_is_recorded_with_its_quote_ids(editor, shelf):
    ids = exports.exportable_ids(exports.QuoteFilters())
    record = exports.record(editor, "json", exports.QuoteFilters())
    db.session.commit()
    saved = db.session.get(Export, record.id)
    assert saved.format == "json" and saved.quote_count == 2
    assert sorted(q.id for q in saved.quotes) == sorted(ids)


def test_an_export_records_only_what_its_filters_allow(editor, shelf):
    record = exports.record(editor, "csv", exports.QuoteFilters(theme_id=shelf.courts.id))
    db.session.commit()
    assert record.quote_count == 1
    assert [row.quote_id for row in exports.rows(record, "en")] == [shelf.fil.id]


def test_choices_that_match_nothing_are_refused_before_an_export_is_written_down(editor, shelf):
    """A refusal takes no export number: Past exports would show a gap no one can explain."""
    from tests.test_query_counts import counting_queries

    with counting_queries() as statements, pytest.raises(RuleViolation, match="No approved quote matches"):
        exports.record(editor, "csv", exports.QuoteFilters(language="mixed", theme_id=shelf.courts.id))

    assert not [statement for statement in statements if statement.lstrip().upper().startswith("INSERT")]


def test_rows_come_in_batches_with_every_quote_once_and_in_order(make, monkeypatch):
    """Several quotes of one reflection, across batch borders: every row once, in order."""
    reflection = make.reflection(text="Courts should listen. Children should be safe. Healing takes time.")
    editor = make.user("editor")
    quotes = [make.quote(reflection, editor=editor, text=words)
              for words in ("Courts should listen.", "Children should be safe.", "Healing takes time.")]
    monkeypatch.setattr(exports, "BATCH", 2)
    ids = exports.exportable_ids(exports.QuoteFilters())
    assert ids == [q.id for q in quotes]
    rows = list(exports.rows(exports.record(editor, "csv", exports.QuoteFilters()), "en"))
    assert [row.text for row in rows] == ["Courts should listen.", "Children should be safe.", "Healing takes time."]


def test_rows_read_on_after_the_record_is_committed_between_two_batches(make, monkeypatch):
    """A streamed file's record is committed after its first piece: the batches that follow are read all the same."""
    reflection = make.reflection(text="Courts should listen. Children should be safe. Healing takes time.")
    editor = make.user("editor")
    for words in ("Courts should listen.", "Children should be safe.", "Healing takes time."):
        make.quote(reflection, editor=editor, text=words)
    monkeypatch.setattr(exports, "BATCH", 2)
    rows = exports.rows(exports.record(editor, "csv", exports.QuoteFilters()), "en")

    first = next(rows)
    db.session.commit()

    assert [first.text, *(row.text for row in rows)] == [
        "Courts should listen.", "Children should be safe.", "Healing takes time."]


def test_rows_carry_author_roundtable_and_themes_in_the_language_of_the_export(editor, shelf):
    healing = curation.add_theme(editor, "Healing", "Paggaling")
    shelf.fil.themes.append(healing)
    record = exports.record(editor, "csv", exports.QuoteFilters())
    db.session.commit()
    in_filipino = {row.quote_id: row for row in exports.rows(record, "fil")}
    in_english = {row.quote_id: row for row in exports.rows(record, "en")}
    assert in_filipino[shelf.fil.id].themes == ("Mga korte", "Paggaling")  # in the order of the English names
    assert in_english[shelf.fil.id].themes == ("Courts", "Healing")
    assert in_english[shelf.en.id].themes == ()
    assert in_filipino[shelf.en.id].roundtable == shelf.roundtable.title_fil
    assert in_english[shelf.en.id].roundtable == shelf.roundtable.title_en
    assert in_english[shelf.en.id].pseudonym == shelf.en.reflection.participant.pseudonym
    assert in_english[shelf.fil.id].translation.startswith("=1+1")


def test_a_rows_themes_are_in_alphabetical_order_whatever_their_capitals_and_accents(editor, shelf):
    """"… Testifying in court, Video-recorded interviews, bold" in every export (QA)."""
    for name_en, name_fil in (("Video-recorded interviews", "Mga panayam"), ("bold", "matapang"),
                              ("Édukasyon", "Edukasyon")):
        shelf.fil.themes.append(curation.add_theme(editor, name_en, name_fil))
    record = exports.record(editor, "csv", exports.QuoteFilters())
    db.session.commit()

    (english,) = [row for row in exports.rows(record, "en") if row.quote_id == shelf.fil.id]
    (filipino,) = [row for row in exports.rows(record, "fil") if row.quote_id == shelf.fil.id]

    assert english.themes == ("bold", "Courts", "Édukasyon", "Video-recorded interviews")
    assert filipino.themes == ("Edukasyon", "matapang", "Mga korte", "Mga panayam")


def test_a_quotes_date_is_the_day_it_was_approved_on_the_organisations_clock(editor, shelf):
    """Approved at 01:30 on 4 December in Manila, which is still 3 December in UTC."""
    shelf.en.approved_at = datetime(2026, 12, 3, 17, 30, tzinfo=timezone.utc)
    record = exports.record(editor, "csv", exports.QuoteFilters())
    db.session.commit()
    assert {row.quote_id: row.date for row in exports.rows(record, "en")}[shelf.en.id] == date(2026, 12, 4)
