"""“Withdrawn after export”: editors learn which exported quote was taken back, and where it went."""

import pytest

from roundtable.db import db
from roundtable.services import audit, consent, curation, exports, moderation, notices, review, withdrawal
from roundtable.services.errors import Conflict, NotFound
from tests.conftest import sensitive_words_saved


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


def _put_to_its_author_after_export(make):
    """An exported quote whose author asked to review quotes since: it is put to them."""
    editor = make.user("editor")
    participant = make.participant()
    quote = make.quote(make.reflection(participant), editor=editor)
    _export(editor)
    consent.change_clause(participant, "review_quotes", grant=True)
    db.session.commit()
    return editor, participant, quote


def _declined_after_export(make):
    """An exported quote whose author, asking to review quotes, declined it since."""
    editor, participant, quote = _put_to_its_author_after_export(make)
    review.respond(participant, quote, approve=False)
    db.session.commit()
    return editor, quote


def test_a_declined_re_review_of_an_exported_quote_raises_a_notice(make):
    _editor, quote = _declined_after_export(make)
    assert [n.quote_id for n in notices.open_notices().items] == [quote.id]


def test_a_declined_quote_edited_again_still_owes_its_notice(make):
    editor, quote = _declined_after_export(make)

    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text[:-1], language="en",
                          translation=None, translation_language=None, descriptor="survivor leader")
    db.session.commit()

    [notice] = notices.open_notices().items
    assert notice.quote_id == quote.id and notice.reason == "quote.declined_by_participant"


def test_an_exported_quote_whose_reflection_is_held_back_raises_a_notice(make):
    editor = make.user("editor")
    reflection = make.reflection()
    quote = make.quote(reflection, editor=editor)
    make.quote(make.reflection(reflection.participant, text="Another reflection, not held back."), editor=editor)
    _export(editor)
    facilitator = reflection.participant.roundtable.facilitator

    moderation.decide(facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    db.session.commit()

    [notice] = notices.open_notices().items
    assert notice.quote_id == quote.id and notice.reason == notices.SOURCE_HELD


def test_an_exported_quote_put_to_its_author_who_now_reviews_quotes_raises_a_notice_until_they_approve(make):
    _editor, participant, quote = _put_to_its_author_after_export(make)

    (notice,) = notices.open_notices().items
    assert (notice.quote_id, notice.reason, notice.usable_again) == (quote.id, notices.PUT_TO_AUTHOR, False)
    assert quote.status == "awaiting_participant" and exports.exportable_ids(exports.QuoteFilters()) == []

    review.respond(participant, quote, approve=True)
    db.session.commit()

    (notice,) = notices.open_notices().items
    assert quote.status == "approved" and notice.usable_again


def test_an_exported_quote_in_which_a_new_sensitive_word_finds_a_detail_raises_a_notice(make):
    editor = make.user("editor")
    reflection = make.reflection(text="The court in our town should listen to children.")
    quote = make.quote(reflection, editor=editor)
    _export(editor)

    sensitive_words_saved(editor, reflection.participant.roundtable, "our town")
    db.session.commit()

    [notice] = notices.open_notices().items
    assert notice.quote_id == quote.id and notice.reason == notices.DETAIL_FLAGGED and not notice.usable_again
    assert exports.exportable_ids(exports.QuoteFilters()) == []

    sensitive_words_saved(editor, reflection.participant.roundtable, "")  # the word taken off the list
    db.session.commit()
    [notice] = notices.open_notices().items
    assert notice.usable_again, "exportable again: the notice says so instead of 'no longer usable'"
    assert exports.exportable_ids(exports.QuoteFilters()) == [quote.id]


def test_a_quote_declined_before_it_was_ever_exported_raises_no_notice_once_approved_and_exported(make):
    editor = make.user("editor")
    participant = make.participant()
    consent.change_clause(participant, "review_quotes", grant=True)
    quote = make.quote(make.reflection(participant), editor=editor, approve=False)
    curation.approve(editor, quote)  # sent to its author, who declines
    review.respond(participant, quote, approve=False)
    db.session.commit()
    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text[:-1], language="en",
                          translation=None, translation_language=None, descriptor="survivor leader")
    assert quote.status == "awaiting_participant", "an edited declined quote goes back to its author"
    review.respond(participant, quote, approve=True)
    db.session.commit()
    assert quote.status == "approved"

    _export(editor)

    assert notices.open_notices().items == [] and notices.count_open() == 0


def test_holding_a_reflection_already_held_raises_no_new_notice(make):
    editor = make.user("editor")
    reflection = make.reflection()
    make.quote(reflection, editor=editor)
    _export(editor)
    facilitator = reflection.participant.roundtable.facilitator
    moderation.decide(facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    db.session.commit()
    shown = notices.open_notices().items[0]
    notices.acknowledge(editor, shown.quote_id, shown.event_id)
    db.session.commit()

    moderation.decide(facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    db.session.commit()

    assert notices.count_open() == 0


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

    shown = notices.open_notices().items[0]
    notices.acknowledge(editor, quote.id, shown.event_id)
    db.session.commit()

    assert notices.open_notices().items == [] and notices.count_open() == 0
    assert audit.page(action="notice.acknowledged").items[0].target_id == quote.id
    with pytest.raises(NotFound):
        notices.acknowledge(make.user("editor"), quote.id, shown.event_id)


def test_a_notice_that_changed_after_the_page_was_read_is_not_acknowledged_unseen(make):
    """Read as "released again: may be used again", then taken back by its author: acknowledging what was read
    must not close the withdrawal nobody saw."""
    editor = make.user("editor")
    participant = make.participant()
    reflection = make.reflection(participant)
    quote = make.quote(reflection, editor=editor)
    _export(editor)
    facilitator = participant.roundtable.facilitator
    moderation.decide(facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    moderation.decide(facilitator, reflection, "release", read=moderation.read_mark(reflection))
    db.session.commit()
    read = notices.open_notices().items[0]
    assert read.usable_again
    withdrawal.withdraw_all(participant, erase=False)
    db.session.commit()

    with pytest.raises(Conflict):
        notices.acknowledge(editor, quote.id, read.event_id)
    assert notices.acknowledge_many(editor, {quote.id: read.event_id}) == (0, 1)
    assert notices.count_open() == 1
    now = notices.open_notices().items[0]
    assert notices.acknowledge_many(editor, {quote.id: now.event_id}) == (1, 0)


def test_an_exported_quote_whose_words_an_editor_changes_raises_a_notice(make):
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    _export(editor)

    curation.update_quote(editor, quote, expected_version=quote.version_id, text="The court should let children speak",
                          language="en", translation=None, translation_language=None, descriptor="survivor leader")
    db.session.commit()

    [notice] = notices.open_notices().items
    assert notice.quote_id == quote.id and notice.reason == notices.CHANGED
    assert quote.status == "draft"


@pytest.mark.parametrize(("changes", "changed"), [
    ({"descriptor": "survivor leader and advocate"}, ("attribution",)),
    ({"language": "mixed", "translation": "Dapat hayaang magsalita ang mga bata."}, ("translation", "language")),
    ({"text": "The court should let children speak", "descriptor": "advocate"}, ("words", "attribution")),
])
def test_the_notice_of_an_exported_quote_an_editor_changes_says_what_changed(make, changes, changed):
    """Only its attribution changed, the notice said its words had, and an editor comparing the words in their
    materials found nothing to mend (QA)."""
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    _export(editor)
    saved = {"text": quote.text, "language": "en", "translation": None, "descriptor": "survivor leader", **changes}

    curation.update_quote(editor, quote, expected_version=quote.version_id, translation_language=None, **saved)
    db.session.commit()

    [notice] = notices.open_notices().items
    assert (notice.reason, notice.changed) == (notices.CHANGED, changed)


def test_words_changed_while_an_exported_quote_is_out_of_use_are_named_in_its_notice(make):
    editor, participant, quote = _put_to_its_author_after_export(make)

    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="en",
                          translation=None, translation_language=None, descriptor="advocate")
    db.session.commit()

    [notice] = notices.open_notices().items
    assert (notice.reason, notice.changed) == (notices.CHANGED, ("attribution",))


def test_a_later_change_before_the_notice_is_acknowledged_is_named_in_it_too(make):
    """QA r5 5: a translation added after the attribution changed still read "Exported quote's attribution changed",
    and the editor mending their materials would leave the old translation in them."""
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    _export(editor)
    saved = {"text": quote.text, "language": "en", "translation": None, "descriptor": "advocate"}
    curation.update_quote(editor, quote, expected_version=quote.version_id, translation_language=None, **saved)
    db.session.commit()

    curation.update_quote(editor, quote, expected_version=quote.version_id, translation_language=None,
                          **{**saved, "translation": "Dapat hayaang magsalita ang mga bata."})
    db.session.commit()

    [notice] = notices.open_notices().items
    assert (notice.reason, notice.changed) == (notices.CHANGED, ("translation", "attribution"))


def test_an_exported_quote_whose_themes_change_raises_no_notice(make):
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    _export(editor)

    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="en",
                          translation=None, translation_language=None, descriptor="survivor leader",
                          themes=[curation.add_theme(editor, "Courts", "Mga korte")])
    db.session.commit()

    assert notices.open_notices().items == [] and quote.status == "approved"


def _approved_by_an_author_who_reviews_quotes_and_exported(make):
    editor = make.user("editor")
    participant = make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    quote = make.quote(make.reflection(participant), editor=editor)
    review.respond(participant, quote, approve=True)
    db.session.commit()
    _export(editor)
    return editor, participant, quote


def _after_its_themes_change_the_author_approves_the_same_words(participant, quote):
    """The notice says the exported quote went to its author, not that its words changed; the author's approval
    of the same words makes it usable again."""
    (notice,) = notices.open_notices().items
    assert (notice.reason, notice.usable_again, quote.status) == (notices.PUT_TO_AUTHOR, False, "awaiting_participant")
    review.respond(participant, quote, approve=True)
    db.session.commit()
    (notice,) = notices.open_notices().items
    assert notice.usable_again


def test_an_exported_quote_whose_themes_an_editor_changes_is_put_to_its_author_not_said_to_have_changed(make):
    editor, participant, quote = _approved_by_an_author_who_reviews_quotes_and_exported(make)
    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="en",
                          translation=None, translation_language=None, descriptor="survivor leader",
                          themes=[curation.add_theme(editor, "Courts", "Mga korte")])
    db.session.commit()
    _after_its_themes_change_the_author_approves_the_same_words(participant, quote)


def test_words_changed_while_an_exported_quote_waits_for_its_author_are_never_said_usable_again(make):
    """Put to its author for its themes, then reworded: the export holds words no longer approved, whatever the
    author says of the new ones (regression round)."""
    editor, participant, quote = _approved_by_an_author_who_reviews_quotes_and_exported(make)
    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="en",
                          translation=None, translation_language=None, descriptor="survivor leader",
                          themes=[curation.add_theme(editor, "Courts", "Mga korte")])
    curation.update_quote(editor, quote, expected_version=quote.version_id, text="The court should let children speak",
                          language="en", translation=None, translation_language=None, descriptor="survivor leader")
    assert quote.status == "awaiting_participant"
    review.respond(participant, quote, approve=True)
    db.session.commit()

    (notice,) = notices.open_notices().items
    assert (notice.reason, notice.usable_again, quote.status) == (notices.CHANGED, False, "approved")


def test_renaming_the_theme_of_an_exported_quote_puts_it_to_its_author_not_said_to_have_changed(make):
    editor, participant, quote = _approved_by_an_author_who_reviews_quotes_and_exported(make)
    theme = curation.add_theme(editor, "Healing", "Paghilom")
    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="en",
                          translation=None, translation_language=None, descriptor="survivor leader", themes=[theme])
    review.respond(participant, quote, approve=True)
    db.session.commit()
    for notice in notices.open_notices().items:  # the tagging above was put to the author too
        notices.acknowledge(editor, notice.quote_id, notice.event_id)
    db.session.commit()

    assert curation.rename_theme(editor, theme, "Healing and recovery", "Paghilom at paggaling") == 1
    db.session.commit()
    _after_its_themes_change_the_author_approves_the_same_words(participant, quote)


def test_a_reflection_released_again_says_its_quote_may_be_used_again_and_lists_only_earlier_exports(make):
    editor = make.user("editor")
    reflection = make.reflection()
    quote = make.quote(reflection, editor=editor)
    before = _export(editor)
    facilitator = reflection.participant.roundtable.facilitator
    moderation.decide(facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    db.session.commit()
    (held,) = notices.open_notices().items
    assert not held.usable_again

    moderation.decide(facilitator, reflection, "release", read=moderation.read_mark(reflection))
    db.session.commit()
    _export(editor)  # carries the quote again: it did not leave while it was held

    (notice,) = notices.open_notices().items
    assert notice.quote_id == quote.id and notice.usable_again
    assert [export.id for export in notice.exports] == [before.id]


def test_past_exports_count_a_quote_to_take_out_only_while_it_may_no_longer_be_used(make):
    """The count tells an editor which materials to mend: a quote whose reflection is released again may stay."""
    editor = make.user("editor")
    reflection = make.reflection()
    make.quote(reflection, editor=editor)
    carried = _export(editor)
    facilitator = reflection.participant.roundtable.facilitator
    moderation.decide(facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    db.session.commit()
    assert notices.pulled_from([carried.id]) == {carried.id: 1}

    moderation.decide(facilitator, reflection, "release", read=moderation.read_mark(reflection))
    db.session.commit()

    assert notices.pulled_from([carried.id]) == {}
    assert notices.count_open() == 1, "its notice is still there to acknowledge"
