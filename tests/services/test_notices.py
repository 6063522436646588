"""“Withdrawn after export”: editors learn which exported quote was taken back, and where it went."""

import pytest

from roundtable.db import db
from roundtable.services import audit, consent, exports, notices, review, withdrawal
from roundtable.services.errors import NotFound


def _export(editor):
    record = exports.record(editor, "csv", exports.QuoteFilters())
    db.session.commit()
    return record


def test_an_exported_quote_taken_back_raises_a_notice_naming_the_exports(make):
    editor = make.user("editor")
    participant = make.participant()
    quote = make.quote(make.reflection(participant), editor=editor)
    first, second = _export(editor), _export(editor)
    assert notices.open_notices().items == []

    consent.change_clause(participant, "quote_publicly", grant=False)
    db.session.commit()

    [notice] = notices.open_notices().items
    assert notice.quote_id == quote.id and notice.withdrawn_at is not None
    assert [e.id for e in notice.exports] == [first.id, second.id]
    assert notices.count_open() == 1


def test_erased_quotes_are_named_by_number_only(make):
    editor = make.user("editor")
    participant = make.participant()
    quote = make.quote(make.reflection(participant), editor=editor)
    _export(editor)
    withdrawal.withdraw_all(participant, erase=True)
    db.session.commit()
    [notice] = notices.open_notices().items
    assert notice.quote_id == quote.id and quote.text is None


def test_a_declined_re_review_of_an_exported_quote_raises_a_notice(make):
    editor = make.user("editor")
    participant = make.participant()
    quote = make.quote(make.reflection(participant), editor=editor)
    _export(editor)
    consent.change_clause(participant, "review_quotes", grant=True)
    review.respond(participant, quote, approve=False)
    db.session.commit()
    assert [n.quote_id for n in notices.open_notices().items] == [quote.id]


def test_quotes_never_exported_raise_no_notice(make):
    participant = make.participant()
    make.quote(make.reflection(participant))
    withdrawal.withdraw_all(participant, erase=False)
    db.session.commit()
    assert notices.open_notices().items == []


def test_acknowledging_is_audited_and_clears_the_notice_for_everyone(make):
    editor = make.user("editor")
    participant = make.participant()
    quote = make.quote(make.reflection(participant), editor=editor)
    _export(editor)
    withdrawal.withdraw_all(participant, erase=False)
    db.session.commit()

    notices.acknowledge(editor, quote.id)
    db.session.commit()

    assert notices.open_notices().items == [] and notices.count_open() == 0
    assert audit.page(action="notice.acknowledged").items[0].target_id == quote.id
    with pytest.raises(NotFound):
        notices.acknowledge(make.user("editor"), quote.id)
