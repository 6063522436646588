"""Authors who asked to review quotes approve or decline the exact words; editors cannot overrule them."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from roundtable import clock
from roundtable.db import db
from roundtable.models import AuditEvent, Quote
from roundtable.services import consent, curation, exports, review
from roundtable.services.errors import Conflict, Gone, RuleViolation
from tests.conftest import sensitive_words_saved

REVIEWING = ("take_part", "store_words", "quote_publicly", "review_quotes")


def _exported():
    return exports.exportable_ids(exports.QuoteFilters())


def _saved(editor, quote, *, expected_version=None, **changes):
    """The editor saves the quote's form with ``changes`` (text, descriptor, themes), everything else as it is."""
    fields = {"text": quote.text, "language": quote.language, "translation": quote.translation,
              "translation_language": quote.translation_language, "descriptor": quote.descriptor, **changes}
    curation.update_quote(editor, quote, expected_version=expected_version or quote.version_id, **fields)
    db.session.commit()


def _edit(editor, quote, text):
    _saved(editor, quote, text=text)


def test_an_authors_approval_is_of_one_exact_revision(make):
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    quote = make.quote(make.reflection(participant), editor=editor)
    assert quote.status == "awaiting_participant" and _exported() == []
    assert review.quotes_of(participant) == [quote]

    review.respond(participant, quote, approve=True, revision=quote.revision)
    db.session.commit()
    assert quote.status == "approved" and quote.participant_approved_revision == quote.revision
    assert _exported() == [quote.id]

    _edit(editor, quote, "The court should let children speak")
    assert quote.status == "awaiting_participant" and _exported() == []


def _retag(editor, quote, themes, *, expected_version=None):
    _saved(editor, quote, expected_version=expected_version, themes=themes)


def test_an_author_who_reviews_quotes_approves_their_themes_too(make):
    editor, quote = _approved_by_its_reviewing_author(make)
    participant = quote.reflection.participant

    _retag(editor, quote, [curation.add_theme(editor, "Family perpetrators", "Mga kapamilyang nang-abuso")])

    assert quote.status == "awaiting_participant" and _exported() == []
    review.respond(participant, quote, approve=True, revision=quote.revision)
    db.session.commit()
    assert _exported() == [quote.id]


@pytest.mark.parametrize("change", ["rename", "remove"])
def test_renaming_or_removing_a_theme_puts_the_quotes_it_labels_to_authors_who_review_them(make, change):
    """But not a quote its author declined: they are not asked about those words again for a theme's name."""
    reviewing = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    healing = curation.add_theme(editor, "Healing", "Paghilom")
    reviewed = make.quote(make.reflection(reviewing), editor=editor)
    not_reviewed = make.quote(make.reflection(), editor=editor)
    declined = make.quote(make.reflection(reviewing), editor=editor)
    for quote in (reviewed, not_reviewed, declined):
        _retag(editor, quote, [healing])
    review.respond(reviewing, reviewed, approve=True, revision=reviewed.revision)
    review.respond(reviewing, declined, approve=False, revision=declined.revision)
    db.session.commit()
    declined_revision = declined.revision
    assert sorted(_exported()) == sorted([reviewed.id, not_reviewed.id])

    if change == "rename":
        assert curation.rename_theme(editor, healing, "Abuse by a parent", "Pang-aabuso ng magulang") == 1
    else:
        assert curation.remove_theme(editor, healing, detach=True) == (3, 1)  # three carried it; one asked again
    db.session.commit()

    assert reviewed.status == "awaiting_participant" and not_reviewed.status == "approved"
    assert (declined.status, declined.revision) == ("declined", declined_revision)
    assert _exported() == [not_reviewed.id]


def test_themes_an_editor_tags_for_an_author_who_does_not_review_keep_the_quote_approved(make):
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    _retag(editor, quote, [curation.add_theme(editor, "Healing", "Paghilom")])
    assert quote.status == "approved" and [t.name_en for t in quote.themes] == ["Healing"]


def test_a_second_editors_page_opened_before_a_theme_change_is_refused(make):
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    opened = quote.version_id
    healing = curation.add_theme(editor, "Healing", "Paghilom")
    _retag(editor, quote, [healing])
    with pytest.raises(Conflict):
        _retag(make.user("editor"), quote, [], expected_version=opened)
    db.session.rollback()
    assert quote.themes == [healing]


def test_editing_without_review_sends_the_quote_back_to_draft(make):
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    _edit(editor, quote, "The court should let children speak")
    assert quote.status == "draft"


def test_a_decline_keeps_the_comment_for_the_editor_and_cannot_be_overruled(make):
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    quote = make.quote(make.reflection(participant), editor=editor)

    review.respond(participant, quote, approve=False, comment="Please leave out the last part.", revision=quote.revision)
    db.session.commit()

    assert quote.status == "declined" and quote.participant_comment == "Please leave out the last part."
    with pytest.raises(RuleViolation):
        curation.approve(editor, quote)
    assert _exported() == []


def test_a_note_for_the_editor_over_its_limit_is_refused_saying_how_long_it_is(make):
    participant = make.participant(grants=REVIEWING)
    quote = make.quote(make.reflection(participant))
    with pytest.raises(RuleViolation) as refused:
        review.respond(participant, quote, approve=True, comment="Salamat po. " * 100, revision=quote.revision)
    assert str(refused.value) == "You wrote 1,200 characters; use at most 1,000."
    assert quote.status == "awaiting_participant"


@pytest.mark.parametrize("note, found", [
    ("Huwag po muna. Email me at bituin.test@example.com.", "an email address"),
    ("Huwag po muna. Email me at bituin.test@example.com or text 0917 123 4567.", "an email address"),
    ("See my page at fb.com/bituin", "a link"),
    ("Nasa https://example.org po ang kuwento ko.", "a link"),
    ("Nasa www.example.org po.", "a link"),
    ("Huwag po muna. Text me: 0917 123 4567.", "a phone number"),
    ("Tawagan n'yo po ako sa +63 917-123-4567.", "a phone number"),
    ("Call me on 09171234567", "a phone number"),
    ("Our office is (02) 8714 2206.", "a phone number"),
    ("My sister abroad: +966 55 318 2047", "a phone number"),
    ("Message me @bituin_24 if you need more.", "an account name such as @name"),  # QA r5: a way to reach me
])
@pytest.mark.parametrize("approve, button", [(True, "Approve"), (False, "Decline")])
def test_a_note_for_the_editor_holding_a_way_to_reach_someone_is_refused_saying_what_and_nothing_is_answered(
        make, note, found, approve, button):
    """Editors read the note, and no participant's contact is ever stored. The refusal names what to take out."""
    participant = make.participant(grants=REVIEWING)
    quote = make.quote(make.reflection(participant))

    with pytest.raises(RuleViolation) as refused:
        review.respond(participant, quote, approve=approve, comment=note, revision=quote.revision)

    assert str(refused.value) == (f"Not sent yet: a note for the editor cannot contain {found}. "
                                  f"Take it out of the note, then press {button} again.")
    assert refused.value.field == "comment", "said beside the note"
    db.session.rollback()
    assert quote.status == "awaiting_participant" and quote.participant_comment is None


@pytest.mark.parametrize("note", [
    "Leave out 2019 and the 3 children, please.",
    "I wrote this in 2015-2016 when the case started.",  # QA: a year range was "a phone number"
    "The hearing was on 12.12.2026, please keep that date out.",
    "The hearing was on 2026-12-12, please keep that date out.",
    "Paki-palitan ang 10 000 pesos ng halaga lang.",
    "Paki-palitan ang ₱10,000 at ang 8000-9000 pesos ng halaga lang.",
    "Salamat po.Me too, I hope it helps.",  # a sentence run into the next, not a domain
    "Thank you @ the team.",
    "Please take out Crim. Case No. 18-1234.",  # no way to reach anyone; the editor is asked to take it out
])
def test_a_note_for_the_editor_without_a_way_to_reach_someone_is_kept_dates_amounts_and_all(make, note):
    participant = make.participant(grants=REVIEWING)
    quote = make.quote(make.reflection(participant))

    review.respond(participant, quote, approve=False, comment=note, revision=quote.revision)

    assert quote.status == "declined" and quote.participant_comment == note


def test_an_editor_whose_page_was_opened_before_the_decline_is_told_of_the_decline(make):
    """Not "read it again, then approve": no reading again lets them approve it."""
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    quote = make.quote(make.reflection(participant), editor=editor)
    opened = quote.version_id

    review.respond(participant, quote, approve=False, revision=quote.revision)
    db.session.commit()

    with pytest.raises(RuleViolation, match="The author declined this quote"):
        curation.approve(editor, quote, seen_version=opened)


def test_a_decline_holds_after_the_author_stops_reviewing_whatever_the_editor_edits(make):
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    reflection = make.reflection(participant, text="The prosecutor explained every step to me, slowly.")
    quote = make.quote(reflection, editor=editor, text="The prosecutor explained every step to me")
    review.respond(participant, quote, approve=False, revision=quote.revision)
    consent.change_clause(participant, "review_quotes", grant=False)
    db.session.commit()

    _edit(editor, quote, "The prosecutor explained every step")  # a word less
    _edit(editor, quote, "The prosecutor explained every step to me")  # and back to what was declined
    assert quote.status == "awaiting_participant"  # put to its author again, not a draft the editor approves
    with pytest.raises(RuleViolation):
        curation.approve(editor, quote)

    with pytest.raises(RuleViolation, match="quoted already"):  # nor as a new quote of the same words
        make.quote(reflection, editor=editor, text="the prosecutor explained  every step to me", approve=False)
    db.session.rollback()
    assert _exported() == []


def test_past_the_retention_date_the_author_may_decline_a_quote_waiting_for_them_but_not_approve_it(make):
    """An editor's approval is refused then too: approved, the quote would be exported, and kept by the purge."""
    participant = make.participant(grants=REVIEWING)
    waiting = make.quote(make.reflection(participant), editor=make.user("editor"))
    participant.roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    assert waiting.status == "awaiting_participant"

    with pytest.raises(RuleViolation, match="can no longer be approved"):
        review.respond(participant, waiting, approve=True, revision=waiting.revision)
    review.respond(participant, waiting, approve=False, revision=waiting.revision)

    assert waiting.status == "declined" and _exported() == []


def test_a_decline_holds_after_the_author_takes_back_quoting_and_allows_it_again(make):
    """Taking quoting back withdraws the author's quotes, but a declined one stays declined: withdrawn, the decline
    was forgotten, and the same words could be quoted again, approved and exported without asking."""
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    reflection = make.reflection(participant, text="The prosecutor explained every step to me, slowly.")
    declined = make.quote(reflection, editor=editor, text="The prosecutor explained every step to me")
    review.respond(participant, declined, approve=False, revision=declined.revision)
    for key, grant in (("review_quotes", False), ("quote_publicly", False), ("quote_publicly", True)):
        consent.change_clause(participant, key, grant=grant)
    db.session.commit()

    assert declined.status == "declined"
    with pytest.raises(RuleViolation, match="Its author declined these words in quote number"):
        make.quote(reflection, editor=editor, text="The prosecutor explained every step to me", approve=False)
    db.session.rollback()
    trimmed = make.quote(reflection, editor=editor, text="The prosecutor explained every step", approve=False)
    with pytest.raises(RuleViolation, match="only they can approve them"):
        curation.approve(editor, trimmed)
    assert _exported() == []


def test_declined_words_stay_declined_in_a_new_quote_that_trims_or_changes_a_word_around_them(make):
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    reflection = make.reflection(participant, text=(
        "The prosecutor explained every step to me, slowly. Later the judge let me speak from another room."
    ))
    declined = make.quote(reflection, editor=editor, text="The prosecutor explained every step to me, slowly.")
    review.respond(participant, declined, approve=False, revision=declined.revision)
    consent.change_clause(participant, "review_quotes", grant=False)
    db.session.commit()

    for text in ("The prosecutor explained every step to me", "The prosecutor explained [each] step to me, slowly.",
                 "Every step to me, slowly. Later the judge let me speak", "The prosecutor explained",
                 "The prosecutor … every step … me, slowly."):  # no run of three words left in common
        again = make.quote(reflection, editor=editor, text=text, approve=False)
        with pytest.raises(RuleViolation, match="only they can approve them"):
            curation.approve(editor, again)

    other_words = make.quote(reflection, editor=editor, text="Later the judge let me speak from another room.")
    assert other_words.status == "approved"
    assert _exported() == [other_words.id]


def _first_sentence_declined(make, first: str, second: str, *, reviewing: bool = True):
    """An author who declined a quote of the first sentence of their reflection, and reviews quotes still, or not:
    (an editor, the reflection)."""
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    reflection = make.reflection(participant, text=f"{first} {second}")
    declined = make.quote(reflection, editor=editor, text=first)
    review.respond(participant, declined, approve=False, revision=declined.revision)
    if not reviewing:
        consent.change_clause(participant, "review_quotes", grant=False)
    db.session.commit()
    return editor, reflection


@pytest.mark.parametrize("text", ["I was told in the court that most of the police did not listen.",
                                  "I was told in the court … the police did not listen."])
def test_a_decline_does_not_hold_another_passage_that_shares_only_everyday_words(make, text):
    editor, reflection = _first_sentence_declined(
        make, "When I was in the shelter most of the staff did not believe me.",
        "I was told in the court that most of the police did not listen.")

    other = make.quote(reflection, editor=editor, text=text)

    assert other.status == "awaiting_participant", "put to its author, not refused"


@pytest.mark.parametrize("text", ["The court … listened.", "my sister and I were heard.",
                                  "My sister and I … were heard."])
def test_a_decline_does_not_hold_words_of_another_sentence_that_the_declined_one_shares(make, text):
    """"the court", "my sister and I" are in both sentences: where the new quote's words fit outside the declined
    one, they are not its words."""
    editor, reflection = _first_sentence_declined(
        make, "At the hearing my sister and I spoke to the court from a safe room.",
        "Years later the court listened to all of us, and my sister and I were heard.", reviewing=False)

    other = make.quote(reflection, editor=editor, text=text)

    assert other.status == "approved"


def _attribute(editor, quote, descriptor):
    _saved(editor, quote, descriptor=descriptor)


def _approved_by_its_reviewing_author(make):
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    quote = make.quote(make.reflection(participant), editor=editor)
    review.respond(participant, quote, approve=True, revision=quote.revision)
    db.session.commit()
    return editor, quote


def test_a_new_attribution_after_the_authors_approval_needs_their_approval_again(make):
    editor, quote = _approved_by_its_reviewing_author(make)
    assert _exported() == [quote.id]

    _attribute(editor, quote, "youth advocate")

    assert quote.status == "awaiting_participant" and _exported() == []


@pytest.mark.parametrize("descriptor", [
    "daughter of Ramon Santos", "survivor leader from Tacloban City", "survivor leader, 09171234567", "aged 19",
    "survivor, 24", "survivor leader (24)", "survivor leader, twenty-four", "survivor leader, born 1999",
    "class of 2015", "survivor leader, youngest of five", "dalawampu't apat na taong survivor",
    "survivor in her twenties", "survivor in her late teens", "ina ng dalawa", "bunso sa tatlo", "a dozen years a survivor",
    "mother of twins", "ina ng kambal", "mother of quadruplets",
])
def test_an_attribution_that_points_to_someone_is_refused(make, descriptor):
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    with pytest.raises(RuleViolation, match="must not point to anyone"):
        _attribute(editor, quote, descriptor)
    with pytest.raises(RuleViolation, match="must not point to anyone"):
        make.quote(make.reflection(), editor=editor, descriptor=descriptor)


def test_an_attribution_naming_another_participant_of_the_roundtable_is_refused(make):
    editor = make.user("editor")
    author = make.participant()
    other = make.participant(author.roundtable)
    other.pseudonym = "Sinag Umaga"  # no digit, which would be refused on its own
    quote = make.quote(make.reflection(author), editor=editor)

    with pytest.raises(RuleViolation, match="must not point to anyone"):
        _attribute(editor, quote, "sister of sinag umaga")
    _attribute(editor, quote, "one of the survivor leaders, youth advocate")  # a role, however long
    assert quote.descriptor == "one of the survivor leaders, youth advocate"

    for pseudonym in ("☆☆", "Leader"):  # no word, or role words only: naming no one
        other.pseudonym = pseudonym
        _attribute(editor, quote, "survivor leader")
        assert quote.descriptor == "survivor leader"
    author.pseudonym = "Tala Dagat"  # printed before the descriptor anyway
    _attribute(editor, quote, "survivor leader, known here as tala dagat")
    assert quote.descriptor == "survivor leader, known here as tala dagat"


def test_an_answer_to_an_older_revision_is_refused(make):
    participant = make.participant(grants=REVIEWING)
    quote = make.quote(make.reflection(participant))
    with pytest.raises(RuleViolation):
        review.respond(participant, quote, approve=True, revision=quote.revision - 1)


def test_only_the_author_answers_and_only_when_asked(make):
    participant = make.participant(grants=REVIEWING)
    quote = make.quote(make.reflection(participant))
    stranger = make.participant(participant.roundtable, grants=REVIEWING)
    with pytest.raises(RuleViolation):
        review.own_quote(stranger, quote.id)
    with pytest.raises(RuleViolation):
        review.respond(stranger, quote, approve=True)
    assert review.quotes_of(stranger) == []

    unreviewed = make.quote(make.reflection(make.participant(participant.roundtable)))
    with pytest.raises(RuleViolation):
        review.respond(unreviewed.reflection.participant, unreviewed, approve=True)


def test_granting_review_later_sends_approved_quotes_to_the_author(make):
    participant = make.participant()
    quote = make.quote(make.reflection(participant))
    assert quote.status == "approved"

    consent.change_clause(participant, "review_quotes", grant=True)
    db.session.commit()

    assert quote.status == "awaiting_participant" and _exported() == []


def test_revoking_quote_publicly_withdraws_every_quote_of_the_author(make):
    participant = make.participant()
    reflection = make.reflection(participant)
    approved = make.quote(reflection)
    draft = make.quote(reflection, text="The court should let children speak", approve=False)
    before = [(r.id, r.granted_keys) for r in consent.history(participant)]

    consent.change_clause(participant, "quote_publicly", grant=False)
    db.session.commit()

    assert approved.status == draft.status == "withdrawn"
    history = consent.history(participant)
    assert [(r.id, r.granted_keys) for r in history[:-1]] == before
    assert "quote_publicly" not in history[-1].granted_keys
    with pytest.raises(RuleViolation):
        consent.change_clause(participant, "take_part", grant=False)


def test_a_new_consent_form_grants_nothing_new_until_the_participant_agrees(make):
    roundtable = make.roundtable()
    participant = make.participant(roundtable, grants=("take_part", "store_words"))
    facilitator = roundtable.facilitator
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    drafts.append(consent.ClauseDraft("share_with_partners", "Share with partners.", "Ibahagi sa mga katuwang.", False))

    assert consent.new_form_version(roundtable, facilitator, drafts, seen=1) == 2
    db.session.commit()

    assert consent.needs_new_consent(participant)
    assert consent.current_grants(participant) == {"take_part", "store_words"}
    assert len([c for c in roundtable.clauses if c.version == 1]) == 5  # the old form stays as it was
    with pytest.raises(RuleViolation):
        consent.change_clause(participant, "share_with_partners", grant=True)

    consent.record_consent(participant, {"take_part", "store_words", "share_with_partners"}, adult_confirmed=True)
    db.session.commit()
    assert not consent.needs_new_consent(participant)
    assert "share_with_partners" in consent.current_grants(participant)


def test_a_new_form_must_keep_the_required_statements(make):
    roundtable = make.roundtable()
    with pytest.raises(RuleViolation):
        consent.new_form_version(roundtable, roundtable.facilitator,
                                 [consent.ClauseDraft("take_part", "I take part.", "Nakikilahok ako.", True)], seen=1)
    assert roundtable.consent_version == 1


def test_the_same_answer_twice_stands_as_given_once(make):
    """A double click or a retried form: no error, and one answer in the audit trail."""
    participant = make.participant(grants=REVIEWING)
    approved, declined = (make.quote(make.reflection(participant)) for _ in range(2))
    for _ in range(2):
        review.respond(participant, approved, approve=True, revision=approved.revision)
        review.respond(participant, declined, approve=False, revision=declined.revision)
        db.session.commit()
    assert (approved.status, declined.status) == ("approved", "declined")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("quote.%_by_participant")))
    assert sorted(actions) == ["quote.approved_by_participant", "quote.declined_by_participant"]
    with pytest.raises(RuleViolation):  # the other answer is no longer open
        review.respond(participant, approved, approve=False, revision=approved.revision)


def test_an_editor_saving_while_the_author_reads_means_read_it_again(make):
    participant = make.participant(grants=REVIEWING)
    quote = make.quote(make.reflection(participant))
    db.session.commit()
    shown = quote.revision
    with db.engine.begin() as editor:  # another request saves the quote after this one read it
        editor.execute(update(Quote).where(Quote.id == quote.id).values(
            revision=Quote.revision + 1, version_id=Quote.version_id + 1))
    with pytest.raises(RuleViolation, match="changed while you were reading"):
        review.respond(participant, quote, approve=True, revision=shown)
    db.session.expire_all()
    assert quote.status == "awaiting_participant" and quote.participant_approved_revision is None


def test_an_attribution_that_became_identifying_is_not_approved(make):
    """A sensitive word the facilitator adds after the quote was saved applies to its attribution too."""
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor, descriptor="youth leader of Kapitbahayan", approve=False)
    sensitive_words_saved(editor, quote.reflection.participant.roundtable, "Kapitbahayan")
    db.session.commit()
    with pytest.raises(RuleViolation, match="must not point to anyone"):
        curation.approve(editor, quote)


def test_an_edit_puts_to_the_author_only_words_fit_to_approve(make):
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    quote = make.quote(make.reflection(participant), editor=editor)
    assert quote.status == "awaiting_participant"

    _edit(editor, quote, "Plea bargaining is never acceptable, and judges must listen.")  # not the author's words

    assert (quote.status, quote.back_to_author) == ("draft", True)
    assert review.quotes_of(participant) == []
    with pytest.raises(curation.NotReady):
        curation.approve(editor, quote)
    _edit(editor, quote, "The court should let children speak")
    assert quote.status == "draft"  # fit now, but put to the author by approving, as any draft
    curation.approve(editor, quote)
    assert (quote.status, quote.back_to_author) == ("awaiting_participant", False)
    assert review.quotes_of(participant) == [quote]


def test_a_declined_quote_edited_into_words_not_fit_yet_still_goes_back_to_its_author(make):
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    reflection = make.reflection(participant, text="Sana makinig ang korte sa mga bata.", language="fil")
    quote = curation.create_quote(editor, reflection, text=reflection.text, language="fil",
                                  translation="I hope the court listens to children.", translation_language=None,
                                  descriptor="survivor leader")
    curation.approve(editor, quote)
    review.respond(participant, quote, approve=False, revision=quote.revision)
    consent.change_clause(participant, "review_quotes", grant=False)  # no longer asks to review
    db.session.commit()

    curation.update_quote(editor, quote, expected_version=quote.version_id, text="Sana makinig ang korte.",
                          language="fil", translation=None, translation_language=None, descriptor="survivor leader")
    db.session.commit()
    assert (quote.status, quote.back_to_author) == ("draft", True)  # no translation: not put to them yet
    again = make.quote(reflection, editor=editor, text="makinig ang korte", approve=False)
    with pytest.raises(RuleViolation, match="only they can approve them"):
        curation.approve(editor, again)  # its words are still owed to the author

    curation.update_quote(editor, quote, expected_version=quote.version_id, text="Sana makinig ang korte.",
                          language="fil", translation="I hope the court listens.", translation_language=None,
                          descriptor="survivor leader")
    curation.approve(editor, quote)
    assert quote.status == "awaiting_participant" and _exported() == []


def test_changing_only_a_quotes_language_needs_a_new_approval(make):
    editor, quote = _approved_by_its_reviewing_author(make)

    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="mixed",
                          translation="The court should let children speak from a safe room.",
                          translation_language=None, descriptor=quote.descriptor)
    db.session.commit()

    assert quote.status == "awaiting_participant" and _exported() == []


def test_the_authors_comment_is_kept_with_the_revision_it_was_about(make):
    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    quote = make.quote(make.reflection(participant), editor=editor)
    review.respond(participant, quote, approve=False, comment="Leave out the last part.", revision=quote.revision)
    db.session.commit()
    assert quote.comment_revision == quote.revision

    _edit(editor, quote, "The court should let children speak")

    assert quote.participant_comment == "Leave out the last part." and quote.comment_revision == quote.revision - 1


def test_an_editor_cannot_change_a_quote_whose_reflection_was_held_meanwhile(make):
    from roundtable.services import moderation

    participant = make.participant(grants=REVIEWING)
    editor = make.user("editor")
    reflection = make.reflection(participant)
    quote = make.quote(reflection, editor=editor)
    review.respond(participant, quote, approve=False, revision=quote.revision)
    moderation.decide(participant.roundtable.facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    db.session.commit()

    with pytest.raises(Gone):  # an editor's page opened before the hold: the quote is out of their sight now
        _edit(editor, quote, "The court should let children speak")
    db.session.rollback()

    db.session.refresh(quote)
    assert (quote.status, quote.text) == ("declined", reflection.text)
