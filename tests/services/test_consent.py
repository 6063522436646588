"""The one rule: a quote is shown, approved or exported only while the author allows it."""

import pytest
from sqlalchemy import update

from roundtable.db import db
from roundtable.models import ConsentClause
from roundtable.services import consent, curation, exports
from roundtable.services.errors import RuleViolation

WITHOUT_QUOTING = ("take_part", "store_words", "internal_use")


def _exported(filters=exports.QuoteFilters()):
    return exports.exportable_ids(filters)


def test_required_clauses_and_adulthood_are_needed_to_join(make):
    roundtable = make.roundtable()
    with pytest.raises(RuleViolation):
        make.participant(roundtable, grants=("take_part",))
    from roundtable.services import participation

    with pytest.raises(RuleViolation):
        participation.join(roundtable, language="en", pseudonym="River 1",
                           granted={"take_part", "store_words"}, adult_confirmed=False)


def test_an_author_without_quote_publicly_cannot_be_quoted(make):
    participant = make.participant(grants=WITHOUT_QUOTING)
    reflection = make.reflection(participant)
    assert not consent.may_quote_reflection(reflection)
    assert curation.reflections().items == []
    with pytest.raises(RuleViolation):
        make.quote(reflection)


def test_a_quote_stops_being_shown_and_exported_when_consent_is_revoked(make):
    participant = make.participant()
    quote = make.quote(make.reflection(participant))
    assert consent.quotable(quote) and _exported() == [quote.id]

    consent.record_consent(participant, {"take_part", "store_words"}, adult_confirmed=True)
    db.session.commit()

    assert not consent.quotable(quote)
    assert _exported() == []
    assert curation.quotes().items == []


def test_held_and_unreleased_reflections_are_not_quotable(make):
    participant = make.participant()
    for status in ("held", "submitted", "draft"):
        reflection = make.reflection(participant, status=status)
        assert not consent.may_quote_reflection(reflection), status


def test_a_withdrawn_author_disappears_from_every_editor_list(make):
    from roundtable.db import utcnow

    participant = make.participant()
    quote = make.quote(make.reflection(participant))
    participant.withdrawn_at = utcnow()
    db.session.commit()
    assert curation.reflections().items == []
    assert curation.quotes().items == []
    assert not consent.quotable(quote)
    assert _exported() == []


def test_review_requires_the_author_approved_this_exact_revision(make):
    participant = make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    quote = make.quote(make.reflection(participant))
    assert quote.status == "awaiting_participant"
    assert not consent.quotable(quote) and _exported() == []

    quote.participant_approved_revision = quote.revision
    quote.status = "approved"
    db.session.commit()
    assert consent.quotable(quote) and _exported() == [quote.id]

    quote.revision += 1
    db.session.commit()
    assert not consent.quotable(quote) and _exported() == []


def test_consent_history_is_append_only(make):
    participant = make.participant()
    first = consent.current_record(participant)
    consent.record_consent(participant, {"take_part", "store_words"}, adult_confirmed=True)
    db.session.commit()
    history = consent.history(participant)
    assert [r.id for r in history][0] == first.id and len(history) == 2
    assert "quote_publicly" in history[0].granted_keys
    assert consent.current_grants(participant) == {"take_part", "store_words"}


def test_past_the_retention_date_no_one_is_asked_to_consent_again(make):
    """Their words are erased, or wait to be: there is nothing left to agree to keep, and what they agreed to
    before still applies."""
    from datetime import timedelta

    from roundtable import clock

    roundtable = make.roundtable()
    participant = make.participant(roundtable)
    drafts = [consent.ClauseDraft(c.key, c.text_en + " Revised.", c.text_fil, c.required)
              for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    assert consent.needs_new_consent(participant)

    roundtable.retention_until = clock.today() - timedelta(days=1)

    assert not consent.needs_new_consent(participant)
    assert consent.current_grants(participant) == {"take_part", "store_words", "quote_publicly"}


def test_unknown_clauses_are_refused(make):
    participant = make.participant()
    with pytest.raises(RuleViolation):
        consent.record_consent(participant, {"take_part", "store_words", "sell_my_words"}, adult_confirmed=True)


def _reworded(drafts):
    first, *rest = drafts
    return [consent.ClauseDraft(first.key, first.text_en + " (reworded)", first.text_fil, first.required), *rest]


def _new_version(roundtable, *, change=_reworded):
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    return consent.new_form_version(roundtable, roundtable.facilitator, change(drafts), seen=roundtable.consent_version)


def test_a_form_saved_unchanged_stays_the_same_version(make):
    roundtable = make.roundtable()
    assert _new_version(roundtable, change=lambda drafts: drafts) == 1
    assert _new_version(roundtable) == 2


def test_choices_made_on_an_older_form_are_never_recorded_under_the_new_one(make):
    participant = make.participant()
    shown = participant.roundtable.consent_version
    _new_version(participant.roundtable)
    with pytest.raises(RuleViolation, match="consent form changed"):
        consent.record_consent(participant, {"take_part", "store_words", "quote_publicly"}, adult_confirmed=True,
                               shown_version=shown)
    record = consent.record_consent(participant, {"take_part", "store_words"}, adult_confirmed=True,
                                    shown_version=participant.roundtable.consent_version)
    assert record.form_version == shown + 1


@pytest.mark.parametrize("key", ["internal_use", "quote_publicly", "review_quotes"])
def test_quoting_reviewing_and_internal_use_can_never_be_required(make, key):
    roundtable = make.roundtable()

    def make_required(drafts):
        return [consent.ClauseDraft(d.key, d.text_en, d.text_fil, d.required or d.key == key) for d in drafts]

    with pytest.raises(RuleViolation, match="cannot be required"):
        _new_version(roundtable, change=make_required)
    assert roundtable.consent_version == 1


def test_a_form_saved_before_the_rule_with_quoting_required_does_not_force_it(make):
    """Versions saved before "never required" existed may say so: such a clause is read as optional."""
    roundtable = make.roundtable()
    clauses = ConsentClause.__table__
    db.session.execute(update(clauses).where(clauses.c.key == "quote_publicly").values(required=True))
    db.session.commit()
    db.session.expire_all()

    participant = make.participant(roundtable, grants=WITHOUT_QUOTING)  # joins without it
    quoting = make.participant(roundtable)
    consent.change_clause(quoting, "quote_publicly", grant=False)  # and takes it back

    assert "quote_publicly" not in consent.current_grants(participant) | consent.current_grants(quoting)


# --- What the facilitator sees of a roundtable's answers

RECORDING = consent.ClauseDraft("audio_record", "The facilitator may record the spoken part of the meeting.",
                                "Maaaring i-record ng tagapagdaloy ang bahaging sinasalita ng pulong.", False)
EVERY_YES = ("take_part", "store_words", "internal_use", "quote_publicly", "review_quotes", "audio_record")


def _with_recording(roundtable):
    _new_version(roundtable, change=lambda drafts: [*drafts, RECORDING])
    db.session.commit()
    return roundtable


def _counts(roundtable):
    answers = consent.answers_in(roundtable)
    return answers.joined, answers.answered, {s.clause.key: (s.yes, s.no) for s in answers.statements}


def _names(roundtable, **page):
    return [(line.clause.key if line.clause else None, line.pseudonym)
            for line in consent.who_said_no(roundtable, **page).items]


def test_the_facilitator_sees_each_statements_yes_and_no_and_who_said_no_to_what_staff_honour_in_person(make):
    roundtable = _with_recording(make.roundtable())
    everything = make.participant(roundtable, grants=EVERY_YES)
    no_recording = make.participant(roundtable, grants=("take_part", "store_words", "internal_use", "quote_publicly"))
    no_quotes = make.participant(roundtable, grants=("take_part", "store_words", "internal_use", "audio_record"))

    assert _counts(roundtable) == (3, 3, {
        "take_part": (3, 0), "store_words": (3, 0), "internal_use": (3, 0), "quote_publicly": (2, 1),
        "review_quotes": (1, 2), "audio_record": (2, 1),
    })
    # A "no" to what Roundtable acts on by itself (public quotes, reviewing them) names no one.
    assert _names(roundtable) == [("audio_record", no_recording.pseudonym)]
    assert everything.pseudonym not in {name for _key, name in _names(roundtable)}
    assert no_quotes.pseudonym not in {name for _key, name in _names(roundtable)}


def test_a_changed_answer_counts_at_once(make):
    roundtable = _with_recording(make.roundtable())
    participant = make.participant(roundtable, grants=EVERY_YES)
    consent.change_clause(participant, "audio_record", grant=False)
    consent.change_clause(participant, "internal_use", grant=False)
    db.session.commit()

    assert _counts(roundtable)[2]["audio_record"] == (0, 1)
    assert _names(roundtable) == [("internal_use", participant.pseudonym), ("audio_record", participant.pseudonym)]

    consent.change_clause(participant, "audio_record", grant=True)
    db.session.commit()
    assert _counts(roundtable)[2]["audio_record"] == (1, 0)
    assert _names(roundtable) == [("internal_use", participant.pseudonym)]


def test_after_a_new_form_version_only_answers_to_it_are_counted_the_others_are_listed_as_not_answered(make):
    """Counted among answers to the current form only; a "no" under an earlier version is still named, as it is
    still in force until they answer again (regression round: it vanished from the list with any change)."""
    roundtable = make.roundtable()
    answering = make.participant(roundtable)  # says no to internal use
    waiting = make.participant(roundtable)
    _with_recording(roundtable)

    assert _counts(roundtable) == (2, 0, {key: (0, 0) for key in EVERY_YES})
    names = sorted([answering.pseudonym, waiting.pseudonym], key=str.casefold)
    assert _names(roundtable) == [("internal_use", name) for name in names] + [(None, name) for name in names]

    consent.record_consent(answering, {"take_part", "store_words", "internal_use"}, adult_confirmed=True)
    db.session.commit()
    joined, answered, statements = _counts(roundtable)
    assert (joined, answered, statements["audio_record"], statements["internal_use"]) == (2, 1, (0, 1), (1, 0))
    assert _names(roundtable) == [("internal_use", waiting.pseudonym), ("audio_record", answering.pseudonym),
                                  (None, waiting.pseudonym)]


def test_a_withdrawn_participant_is_neither_counted_nor_named(make):
    from roundtable.services import withdrawal

    roundtable = make.roundtable()
    staying = make.participant(roundtable)
    leaving = make.participant(roundtable)
    withdrawal.withdraw_all(leaving, erase=False)
    db.session.commit()

    assert _counts(roundtable)[:2] == (1, 1)
    assert _counts(roundtable)[2]["internal_use"] == (0, 1)
    assert _names(roundtable) == [("internal_use", staying.pseudonym)]


def test_the_names_come_a_page_at_a_time_in_the_order_of_the_form(make):
    roundtable = _with_recording(make.roundtable())
    people = [make.participant(roundtable) for _ in range(3)]  # each says no to internal use and to recording
    by_name = sorted(p.pseudonym for p in people)

    first, second = consent.who_said_no(roundtable, 1, per_page=4), consent.who_said_no(roundtable, 2, per_page=4)
    assert [(line.clause.key, line.pseudonym) for line in first.items + second.items] == (
        [("internal_use", name) for name in by_name] + [("audio_record", name) for name in by_name])
    assert (first.total, first.pages) == (6, 2)


# --- A statement taken off the form and put back

@pytest.mark.parametrize(("text_en", "new_to_them"), [(RECORDING.text_en, False),
                                                      ("The facilitator may record the whole meeting.", True)])
def test_a_statement_taken_off_and_put_back_is_new_only_to_whoever_never_answered_it_in_those_words(make, text_en,
                                                                                                    new_to_them):
    """It was "new words" to anyone who had answered the form without it, though they had answered it before."""
    roundtable = _with_recording(make.roundtable())
    answered_it = make.participant(roundtable, language="en")
    _new_version(roundtable, change=lambda drafts: [d for d in drafts if d.key != RECORDING.key])
    consent.record_consent(answered_it, {"take_part", "store_words"}, adult_confirmed=True)  # the form without it
    joined_without_it = make.participant(roundtable, language="en")
    put_back = consent.ClauseDraft(RECORDING.key, text_en, RECORDING.text_fil, required=True)
    _new_version(roundtable, change=lambda drafts: [*drafts, put_back])
    db.session.commit()

    assert consent.changed_since_answered(answered_it).reworded == ({RECORDING.key} if new_to_them else frozenset())
    assert consent.changed_since_answered(joined_without_it).reworded == {RECORDING.key}, "never read it"
