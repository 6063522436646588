"""Taking words back: one reflection, or everything, takes effect at once and everywhere."""

import pytest
from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent, Quote, QuoteFindingDecision
from roundtable.services import consent, curation, exports, moderation, participation, withdrawal
from roundtable.services.errors import Gone, NotFound, RuleViolation


def _actions():
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_withdrawing_everything_removes_the_words_from_every_staff_view_and_export(make):
    participant = make.participant()
    released = make.reflection(participant)
    waiting = make.reflection(participant, status="submitted", text="Judges should listen first.")
    quote = make.quote(released)
    facilitator = participant.roundtable.facilitator
    assert exports.exportable_ids(exports.QuoteFilters()) == [quote.id]

    withdrawal.withdraw_all(participant, erase=False)
    db.session.commit()

    assert participant.withdrawn_at is not None
    assert {released.status, waiting.status} == {"withdrawn"}
    assert quote.status == "withdrawn"
    assert moderation.queue(facilitator, status="submitted").items == []
    assert moderation.queue(facilitator, status="released").items == []
    assert curation.reflections().items == [] and curation.quotes().items == []
    assert exports.exportable_ids(exports.QuoteFilters()) == []
    with pytest.raises(NotFound):
        curation.quote(quote.id)
    with pytest.raises(RuleViolation, match="taken back"):  # said, not "wrong passphrase"
        participation.find_by_passphrase(participant.passphrase)
    assert released.text is not None  # hidden, not erased: the retention date erases it



@pytest.mark.parametrize("erase", [False, True])
def test_withdrawing_everything_asks_the_same_number_of_questions_for_few_or_many_reflections(make, erase):
    from tests.test_query_counts import counting_queries

    def statements_to_withdraw(reflections: int) -> int:
        participant = make.participant()
        for _ in range(reflections):
            make.reflection(participant)
        make.quote(make.reflection(participant), approve=False)
        db.session.commit()
        with counting_queries() as statements:
            withdrawal.withdraw_all(participant, erase=erase)
            db.session.commit()
        return len(statements)

    assert statements_to_withdraw(2) == statements_to_withdraw(30)

def test_erasing_leaves_only_a_content_free_tombstone_and_is_audited(make):
    participant = make.participant()
    reflection = make.reflection(participant, text="Sa Cebu City ako tumestigo, at dapat makinig ang korte.",
                                 language="fil")
    editor = make.user("editor")
    quote = make.quote(reflection, editor=editor, approve=False)
    (place,) = curation.findings_of(quote)
    curation.keep_finding(editor, quote, index=place.index, digest=place.digest, reason="A large city.")
    quote.translation, quote.participant_comment = "I testified in Cebu City; the court must listen.", "Salamat"
    db.session.commit()
    assert db.session.scalar(select(QuoteFindingDecision.id)) is not None
    shown_as = participant.pseudonym

    withdrawal.withdraw_all(participant, erase=True)
    db.session.commit()
    db.session.expire_all()

    assert db.session.get(Quote, quote.id) is not None
    assert (reflection.text, reflection.moderator_note) == (None, None)
    assert (quote.text, quote.translation, quote.participant_comment, quote.descriptor) == (None, None, None, "")
    assert db.session.scalar(select(QuoteFindingDecision.id)) is None  # no reasons about erased words
    assert participant.pseudonym == "", "the name the words were shown under goes with them"
    assert participation.check_pseudonym(participant.roundtable, shown_as) == shown_as  # free to be chosen again
    assert {"participant.withdrawn", "participant.words_erased", "quote.withdrawn"} <= set(_actions())


def test_taking_everything_back_twice_records_it_once_and_erasing_after_still_erases(make):
    """A double click on "Take back all my words" is one withdrawal in the audit log; asking to erase afterwards
    (from a page opened before) still erases."""
    participant = make.participant()
    make.reflection(participant)

    withdrawal.withdraw_all(participant, erase=False)
    withdrawal.withdraw_all(participant, erase=False)
    db.session.commit()
    assert _actions().count("participant.withdrawn") == 1 and participant.pseudonym

    withdrawal.withdraw_all(participant, erase=True)
    withdrawal.withdraw_all(participant, erase=True)
    db.session.commit()
    assert participant.pseudonym == "" and _actions().count("participant.words_erased") == 1


def test_a_participant_deletes_one_reflection_and_its_quotes_are_withdrawn(make):
    participant = make.participant()
    reflection = make.reflection(participant)
    other = make.reflection(participant, text="Healing takes time.")
    quote = make.quote(reflection)

    withdrawal.delete_reflection(participant, reflection)
    db.session.commit()

    assert reflection.status == "withdrawn" and reflection.text is None
    assert quote.status == "withdrawn" and quote.text is None
    assert other.status == "released" and participant.withdrawn_at is None
    assert participation.reflections_of(participant) == [other]


def test_words_the_author_took_out_of_a_shared_reflection_take_the_quotes_made_of_them_along(make):
    participant = make.participant()
    reflection = make.reflection(participant, text="The judge should hear us on video. Plea deals spare the children.")
    taken_out = make.quote(reflection, text="The judge should hear us on video.", approve=False)
    kept = make.quote(reflection, text="Plea deals spare the children.", approve=False)

    participation.save_reflection(participant, reflection.prompt, text="Plea deals spare the children.", language="en",
                                  submit=True, idempotency_key="", reflection=reflection)
    db.session.commit()

    assert (taken_out.status, taken_out.text) == ("withdrawn", None)
    assert (kept.status, kept.text) == ("draft", "Plea deals spare the children.")
    moderation.decide(participant.roundtable.facilitator, reflection, "release", read=moderation.read_mark(reflection))
    assert [item.id for item in curation.quotes().items] == [kept.id]


def test_a_note_is_not_written_on_a_reflection_whose_words_were_erased_while_its_page_was_open(make):
    participant = make.participant()
    reflection = make.reflection(participant, status="submitted")
    read = moderation.note_mark(reflection)
    withdrawal.withdraw_all(participant, erase=True)
    db.session.commit()

    with pytest.raises(Gone):
        moderation.save_note(participant.roundtable.facilitator, reflection, "Check in next week.", read=read)
    db.session.rollback()
    assert reflection.moderator_note is None


def test_nobody_can_delete_someone_elses_reflection(make):
    reflection = make.reflection()
    stranger = make.participant(reflection.participant.roundtable)
    with pytest.raises(NotFound):
        withdrawal.delete_reflection(stranger, reflection)


def test_a_reflection_can_be_edited_until_a_quote_of_it_is_approved(make):
    participant = make.participant()
    reflection = make.reflection(participant)
    prompt = reflection.prompt
    draft_quote = make.quote(reflection, approve=False)

    participation.save_reflection(participant, prompt, text=reflection.text + " Always.", language="en",
                                  submit=True, idempotency_key="", reflection=reflection)
    db.session.commit()
    assert reflection.status == "submitted" and draft_quote.status == "draft"

    moderation.decide(participant.roundtable.facilitator, reflection, "release", read=moderation.read_mark(reflection))
    make.quote(reflection)
    with pytest.raises(RuleViolation):
        participation.save_reflection(participant, prompt, text="Something else.", language="en",
                                      submit=True, idempotency_key="", reflection=reflection)
    db.session.rollback()
    withdrawal.delete_reflection(participant, reflection)  # deleting stays possible
    db.session.commit()
    assert reflection.status == "withdrawn"


def test_a_withdrawn_reflection_cannot_come_back_through_a_retried_form(make):
    participant = make.participant()
    reflection = make.reflection(participant, status="draft")
    withdrawal.delete_reflection(participant, reflection)
    db.session.commit()
    with pytest.raises(NotFound):
        participation.save_reflection(participant, reflection.prompt, text="Back again", language="en",
                                      submit=True, idempotency_key=reflection.idempotency_key)


def test_consent_records_cannot_be_changed_or_deleted(make):
    participant = make.participant()
    record = consent.current_record(participant)
    record.form_version = 99
    with pytest.raises(consent.HistoryRewrite):
        db.session.flush()
    db.session.rollback()

    db.session.delete(consent.current_record(participant))
    with pytest.raises(consent.HistoryRewrite):
        db.session.flush()
    db.session.rollback()

    from sqlalchemy import delete, update

    from roundtable.models import ConsentGrant, ConsentRecord

    with pytest.raises(consent.HistoryRewrite):
        db.session.execute(update(ConsentRecord).values(form_version=2))
    with pytest.raises(consent.HistoryRewrite):
        db.session.execute(delete(ConsentGrant))
    db.session.rollback()
    assert consent.current_record(participant).form_version == 1
