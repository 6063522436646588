"""Which quotes an export may hold, decided by the one rule at the moment of export, and recorded."""

from __future__ import annotations

from roundtable.db import db
from roundtable.models import Export
from roundtable.services import curation, exports
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
    record = exports.record(editor, "json", ids)
    db.session.commit()
    saved = db.session.get(Export, record.id)
    assert saved.format == "json" and saved.quote_count == 2
    assert sorted(q.id for q in saved.quotes) == sorted(ids)


def test_rows_come_in_batches_with_every_quote_once_and_in_order(make, monkeypatch):
    """Several quotes of one reflection, across batch borders: every row once, in order."""
    reflection = make.reflection(text="Courts should listen. Children should be safe. Healing takes time.")
    editor = make.user("editor")
    quotes = [make.quote(reflection, editor=editor, text=words)
              for words in ("Courts should listen.", "Children should be safe.", "Healing takes time.")]
    monkeypatch.setattr(exports, "BATCH", 2)
    ids = exports.exportable_ids(exports.QuoteFilters())
    assert ids == [q.id for q in quotes]
    rows = list(exports.rows(ids, "en"))
    assert [row.text for row in rows] == ["Courts should listen.", "Children should be safe.", "Healing takes time."]
