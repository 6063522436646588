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
