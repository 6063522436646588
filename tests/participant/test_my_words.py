"""“My words”: a survivor leader's own reflections, quotes and consent, and control over all of them."""

import re
import time

import pytest
from markupsafe import escape
from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent, Participant, Quote, Reflection
from roundtable.services import consent, moderation, participation, review
from tests.conftest import counting_queries, hidden_fields_of, shown_fields_of
from tests.deployment.live import at_once

REVIEWING = ("take_part", "store_words", "quote_publicly", "review_quotes")


def _sign_in(client, csrf, participant):
    page = client.get("/return")
    response = client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
    assert response.status_code == 302
    return response


def test_after_the_retention_purge_my_words_says_where_i_took_part_without_the_erased_pseudonym(client, make, csrf):
    """Signed in as the purge ran: their passphrase opens nothing after it, but this session is still open."""
    from datetime import timedelta

    from roundtable import clock
    from roundtable.services import retention

    me = make.participant(language="en")
    make.reflection(me)
    _sign_in(client, csrf, me)
    me.roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    retention.purge_expired()
    db.session.commit()

    html = client.get("/my").get_data(as_text=True)

    assert "You took part in:" in html and "You are" not in html


def test_each_reflections_links_are_named_apart_for_screen_readers(client, make, csrf):
    """The first reflection to each question was "reflection 1": a list of links read out had the same names twice."""
    me = make.participant(language="en")
    for prompt in me.roundtable.prompts:
        participation.save_reflection(me, prompt, text="Courts should listen.", language="en", submit=True,
                                      idempotency_key=f"key-{prompt.id}")
    db.session.commit()
    _sign_in(client, csrf, me)
    client.get("/language/en")

    names = re.findall(r'>Delete<span class="visually-hidden"> ([^<]+)</span>', client.get("/my").get_data(as_text=True))

    assert names == ["reflection 1 to question 1", "reflection 1 to question 2"]


def test_my_words_shows_only_my_own_reflections_and_quotes(client, make, csrf):
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en", grants=REVIEWING)
    other = make.participant(roundtable, language="en")
    mine = make.quote(make.reflection(me, text="Courts should explain every step."))
    make.quote(make.reflection(other, text="Someone else wrote about healing."))
    _sign_in(client, csrf, me)

    html = client.get("/my").get_data(as_text=True)

    assert "Courts should explain every step." in html
    assert "Someone else wrote about healing" not in html
    assert "Quote 1 · Waiting for your answer</h3>" in html and f'id="quote-{mine.id}"' in html
    assert "Waiting for the author" not in html, "the staff's words, about them (QA)"
    assert "Released to curation" in html


def test_an_editors_draft_reaches_its_author_only_once_sent(client, make, csrf):
    me = make.participant(language="en", grants=REVIEWING)
    reflection = make.reflection(me, text="Courts should explain every step.")
    draft = make.quote(reflection, text="Courts should explain every step, and words I never wrote.", approve=False)
    _sign_in(client, csrf, me)
    page = client.get("/my")

    assert "words I never wrote" not in page.get_data(as_text=True)
    assert "No quote has been made from your words." in page.get_data(as_text=True)
    answer = client.post(f"/my/quotes/{draft.id}", data={
        "csrf_token": csrf(page), f"q{draft.id}-revision": str(draft.revision), f"q{draft.id}-approve": "Approve",
    })
    assert answer.status_code == 404
    assert db.session.get(Quote, draft.id).status == "draft"


def test_the_author_approves_the_exact_revision_with_a_comment(client, make, csrf):
    me = make.participant(language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    _sign_in(client, csrf, me)
    page = client.get("/my")

    response = client.post(f"/my/quotes/{quote.id}", data={
        "csrf_token": csrf(page), f"q{quote.id}-revision": str(quote.revision),
        f"q{quote.id}-comment": "Thank you for asking.", f"q{quote.id}-approve": "Approve",
    })

    assert response.status_code == 302
    quote = db.session.get(Quote, quote.id)
    assert quote.status == "approved" and quote.participant_approved_revision == quote.revision
    assert quote.participant_comment == "Thank you for asking."
    assert "Quote 1 · You approved it</h3>" in client.get("/my").get_data(as_text=True)

    quote.revision += 1  # changed by an editor since (the author no longer reviews): approved by editors alone
    db.session.commit()
    assert "Quote 1 · Approved</h3>" in client.get("/my").get_data(as_text=True), "not words they approved"


def test_the_author_declines_and_nobody_else_can_answer(client, make, csrf):
    me = make.participant(language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    stranger = make.participant(me.roundtable, language="en")
    _sign_in(client, csrf, stranger)
    page = client.get("/my")
    data = {"csrf_token": csrf(page), f"q{quote.id}-revision": str(quote.revision), f"q{quote.id}-decline": "Decline"}
    assert client.post(f"/my/quotes/{quote.id}", data=data).status_code == 404

    client.get("/exit")
    _sign_in(client, csrf, me)
    data["csrf_token"] = csrf(client.get("/my"))
    client.post(f"/my/quotes/{quote.id}", data=data)
    assert db.session.get(Quote, quote.id).status == "declined"
    html = client.get("/my").get_data(as_text=True)
    assert "Quote 1 · You declined it</h3>" in html and "Declined by the author" not in html


def test_a_note_for_the_editor_with_an_email_or_a_phone_number_is_refused_beside_it_as_typed(client, make, csrf):
    """Editors read the note (QA): it takes no contact, as the pseudonym does not, and nothing typed is lost."""
    me = make.participant(language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    _sign_in(client, csrf, me)
    page = client.get("/my")
    note = "Huwag po muna. Email me at bituin.test@example.com or text 0917 123 4567."

    answer = client.post(f"/my/quotes/{quote.id}", data={
        "csrf_token": csrf(page), f"q{quote.id}-revision": str(quote.revision),
        f"q{quote.id}-comment": note, f"q{quote.id}-decline": "Decline",
    })

    assert answer.status_code == 200
    stored = db.session.get(Quote, quote.id)
    assert (stored.status, stored.participant_comment) == ("awaiting_participant", None), "nothing is answered"
    html = answer.get_data(as_text=True)
    said = html[html.index(f'id="quote-{quote.id}"'):]
    said = said[:said.index("</li>")]
    refusal = ("Not sent yet: a note for the editor cannot contain an email address. "
               "Take it out of the note, then press Decline again.")
    assert f'<p class="error" id="q{quote.id}-comment-error">{refusal} </p>' in said, "beside the note"
    assert re.search(rf'<textarea[^>]*aria-invalid="true"[^>]*>\s*{re.escape(note)}</textarea>', said), "kept as typed"
    assert 'tabindex="-1" autofocus' in said and f"A note for the editor (optional): {refusal}" in said, "said first"

    fields = {name: value for name, value in hidden_fields_of(answer).items() if name.startswith(f"q{quote.id}-")}
    again = client.post(f"/my/quotes/{quote.id}", data={
        "csrf_token": csrf(page), **fields, f"q{quote.id}-comment": "Huwag po muna.", f"q{quote.id}-decline": "Decline"})
    assert again.status_code == 302
    stored = db.session.get(Quote, quote.id)
    assert (stored.status, stored.participant_comment) == ("declined", "Huwag po muna.")


@pytest.mark.parametrize("note, found", [
    ("I wrote this in 2015-2016 when the case started.", None),  # QA: each of these was "a phone number or an @"
    ("The hearing was on 12.12.2026, please keep that date out.", None),
    ("Paki-palitan ang 10 000 pesos ng halaga lang.", None),
    ("Salamat po.Me too, I hope it helps.", None),
    ("Thank you @ the team.", None),
    ("Text me: 0917 123 4567.", "a phone number"),
    ("See my page at fb.com/bituin", "a link"),
])
def test_a_note_for_the_editor_is_sent_unless_it_holds_a_way_to_reach_someone_and_a_refusal_says_what(
        client, make, csrf, note, found):
    """A participant asking the editor to take a date out is not told they typed a phone number."""
    me = make.participant(language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    _sign_in(client, csrf, me)
    page = client.get("/my")

    answer = client.post(f"/my/quotes/{quote.id}", data={
        "csrf_token": csrf(page), f"q{quote.id}-revision": str(quote.revision),
        f"q{quote.id}-comment": note, f"q{quote.id}-approve": "Approve",
    })

    stored = db.session.get(Quote, quote.id)
    if found is None:
        assert answer.status_code == 302
        assert (stored.status, stored.participant_comment) == ("approved", note)
    else:
        assert answer.status_code == 200
        assert (stored.status, stored.participant_comment) == ("awaiting_participant", None)
        assert (f'<p class="error" id="q{quote.id}-comment-error">Not sent yet: a note for the editor cannot contain '
                f'{found}. Take it out of the note, then press Approve again. </p>') in answer.get_data(as_text=True)


@pytest.mark.parametrize("buttons", [{}, {"approve": "Approve", "decline": "Decline"}], ids=["neither", "both"])
def test_an_answer_to_a_quote_without_one_of_its_two_buttons_is_no_answer(client, make, csrf, buttons):
    """Read as a "no", a form sent without its buttons (by hand, or a broken page) would decline the quote for
    good."""
    me = make.participant(language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    _sign_in(client, csrf, me)
    page = client.get("/my")

    response = client.post(f"/my/quotes/{quote.id}", data={
        "csrf_token": csrf(page), f"q{quote.id}-revision": str(quote.revision),
        f"q{quote.id}-comment": "Thank you for asking.", **{f"q{quote.id}-{name}": label for name, label in buttons.items()},
    })

    assert db.session.get(Quote, quote.id).status == "awaiting_participant"
    html = response.get_data(as_text=True)
    assert "Please press Approve or Decline." in html and "Thank you for asking." in html, "the note typed is kept"


def test_a_consent_choice_other_than_yes_or_no_changes_nothing(client, make, csrf):
    """"2" was read as "no" and ended the quotes in use without the question that comes first."""
    me = make.participant(language="en")
    quote = make.quote(make.reflection(me))
    _sign_in(client, csrf, me)

    client.post("/my/consent", data={"csrf_token": csrf(client.get("/my")), "key": "quote_publicly", "grant": "2"})

    assert consent.QUOTE_PUBLICLY in consent.current_grants(me) and len(consent.history(me)) == 1
    assert db.session.get(Quote, quote.id).status == "approved"
    assert "This page is out of date" in client.get("/my").get_data(as_text=True)


def test_revoking_a_clause_appends_a_record_and_withdraws_quotes_once_asked(client, make, csrf):
    me = make.participant(language="en")
    quote = make.quote(make.reflection(me))
    _sign_in(client, csrf, me)
    page = client.get("/my")
    assert "Take back" in page.get_data(as_text=True)

    asked = client.post("/my/consent", data={"csrf_token": csrf(page), "key": "quote_publicly", "grant": "0"})

    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "<h1>Take back public quotes?</h1>" in html
    assert "1 quote of your words is in use or being made. It will be taken back now, for good." in html
    assert '<button type="submit">Take it back</button>' in html, "one quote: it, not them"
    assert 'href="/my#consent">Keep allowing public quotes</a>' in html and 'id="quick-exit"' in html
    assert len(consent.history(me)) == 1 and db.session.get(Quote, quote.id).status == "approved", "nothing yet"

    response = client.post("/my/consent", data=hidden_fields_of(asked))

    assert response.status_code == 302
    assert len(consent.history(me)) == 2
    assert db.session.get(Quote, quote.id).status == "withdrawn"
    html = client.get("/my").get_data(as_text=True)
    assert "Your choice is saved" in html.split('id="consent"')[1], "where the page is scrolled to, not at its top"


def test_changing_the_language_on_the_question_before_public_quotes_are_taken_back_asks_it_again(client, make, csrf):
    """Its header's language link led to "My words", the question gone (QA): the buttons send its form instead."""
    me = make.participant(language="en")
    quote = make.quote(make.reflection(me))
    _sign_in(client, csrf, me)
    asked = client.post("/my/consent", data={"csrf_token": csrf(client.get("/my")), "key": "quote_publicly",
                                             "grant": "0"})
    assert 'form="take-back" name="switch_language" value="fil"' in asked.get_data(as_text=True)

    switched = client.post("/my/consent", data={**hidden_fields_of(asked), "switch_language": "fil"})

    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="fil"' in html
    assert "<h1>Bawiin ang pahintulot sa pampublikong pagsipi?</h1>" in html, "the same question, in Filipino"
    assert 'form="take-back" name="switch_language" value="en"' in html
    assert consent.QUOTE_PUBLICLY in consent.current_grants(me) and db.session.get(Quote, quote.id).status == "approved"
    assert db.session.get(Participant, me.id).language == "fil", "the language chosen is theirs from now on"
    fields = hidden_fields_of(switched)
    assert (fields["key"], fields["grant"], fields["confirmed"]) == ("quote_publicly", "0", "yes")
    assert "switch_language" not in fields, "its own button takes them back, not a language"

    client.post("/my/consent", data=fields)
    assert consent.QUOTE_PUBLICLY not in consent.current_grants(me)
    assert db.session.get(Quote, quote.id).status == "withdrawn"


def test_a_language_chosen_on_the_question_after_its_quotes_ended_changes_nothing(client, make, csrf):
    """No question left to ask (the reflection deleted in another tab): a language button is no "Take them back"."""
    me = make.participant(language="en")
    reflection = make.reflection(me)
    make.quote(reflection)
    _sign_in(client, csrf, me)
    asked = client.post("/my/consent", data={"csrf_token": csrf(client.get("/my")), "key": "quote_publicly",
                                             "grant": "0"})
    client.post(f"/my/reflections/{reflection.id}/delete",
                data={"csrf_token": csrf(client.get(f"/my/reflections/{reflection.id}/delete"))})

    switched = client.post("/my/consent", data={**hidden_fields_of(asked), "switch_language": "fil"})

    assert switched.status_code == 302 and switched.headers["Location"].endswith("/my#consent")
    assert consent.QUOTE_PUBLICLY in consent.current_grants(me) and len(consent.history(me)) == 1


def test_taking_back_public_quotes_with_no_quote_in_use_or_being_made_asks_nothing(client, make, csrf):
    me = make.participant(language="en")
    make.reflection(me)
    _sign_in(client, csrf, me)

    response = client.post("/my/consent", data={"csrf_token": csrf(client.get("/my")), "key": "quote_publicly",
                                                "grant": "0"})

    assert response.status_code == 302 and consent.QUOTE_PUBLICLY not in consent.current_grants(me)


def test_a_changed_form_asks_returning_participants_first(client, make, csrf):
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    drafts.append(consent.ClauseDraft("share_with_partners", "Share my words with partner groups.",
                                      "Ibahagi ang aking mga salita sa mga katuwang na grupo.", False))
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()
    _sign_in(client, csrf, me)

    response = client.get("/my")
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/consent/new")
    page = client.get("/my/consent/new")
    html = page.get_data(as_text=True)
    assert "Share my words with partner groups." in html
    assert 'value="quote_publicly" checked' in html and 'value="share_with_partners" checked' not in html

    switched = client.post("/my/consent/new", data={**hidden_fields_of(page), "adult": "y", "switch_language": "fil",
                                                    "clauses": ["take_part", "store_words", "share_with_partners"]})
    html = switched.get_data(as_text=True)
    assert '<html lang="fil"' in html and 'value="share_with_partners" checked' in html, "the ticks come along"
    assert len(consent.history(me)) == 1, "changing the language answers nothing"
    assert db.session.get(Participant, me.id).language == "fil", "the language chosen is theirs from now on (QA)"

    client.post("/my/consent/new", data={**hidden_fields_of(page), "adult": "y",
                                         "clauses": ["take_part", "store_words", "share_with_partners"]})
    assert consent.current_grants(me) == {"take_part", "store_words", "share_with_partners"}
    assert client.get("/my").status_code == 200
    client.get("/exit")
    _sign_in(client, csrf, me)
    assert '<html lang="fil"' in client.get("/my").get_data(as_text=True), "and opens their pages the next visit"


def _consent_form_reworded(roundtable) -> None:
    """The facilitator saves a new version of the consent form: returning participants are asked again."""
    drafts = [consent.ClauseDraft(c.key, c.text_en + " Revised.", c.text_fil, c.required)
              for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()


def test_a_choice_sent_from_a_page_opened_before_the_form_changed_is_answered_on_the_new_form(client, make, csrf):
    """The new form is the page "My words" leads to first: what became of the choice is said at its top."""
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    _sign_in(client, csrf, me)
    page = client.get("/my")
    _consent_form_reworded(roundtable)

    for grant, said in (("1", "Please read the new form first."), ("0", "Your choice is saved.")):
        client.post("/my/consent", data={"csrf_token": csrf(page), "key": "quote_publicly", "grant": grant})
        renewal = client.get(client.get("/my").headers["Location"])
        assert said in renewal.get_data(as_text=True)


def test_a_quote_answer_refused_while_a_new_consent_form_waits_is_said_on_that_form(client, make, csrf):
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    _sign_in(client, csrf, me)
    page = client.get("/my")
    _consent_form_reworded(roundtable)

    answer = client.post(f"/my/quotes/{quote.id}", data={
        **{k: v for k, v in hidden_fields_of(page).items() if k.startswith(f"q{quote.id}-")},
        "csrf_token": csrf(page), f"q{quote.id}-approve": "Approve", f"q{quote.id}-comment": "x" * 1001})

    assert answer.headers["Location"].endswith("/my/consent/new")
    assert "A note for the editor (optional): You wrote 1,001 characters; use at most 1,000." in client.get(
        "/my/consent/new").get_data(as_text=True), "the message names the box it is about, and how long the note is"


def test_a_statement_whose_words_changed_is_not_ticked_from_the_earlier_answer(client, make, csrf):
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    widened = [consent.ClauseDraft(d.key, "My words may be quoted in reports and in the news.",
                                   "Maaaring sipiin ang aking mga salita sa mga ulat at sa balita.", d.required)
               if d.key == "quote_publicly" else d for d in drafts]
    consent.new_form_version(roundtable, roundtable.facilitator, widened, seen=roundtable.consent_version)
    db.session.commit()
    _sign_in(client, csrf, me)

    html = client.get("/my/consent/new").get_data(as_text=True)
    assert 'value="store_words" checked' in html, "agreed to in the same words: ticked as before"
    assert 'value="quote_publicly" checked' not in html, "new words: chosen afresh"
    assert html.count(">new words<") == 1


def test_answering_a_changed_form_without_public_quotes_asks_before_it_takes_quotes_back(client, make, csrf):
    """The reworded statement starts unticked: one press of the form's button would end every quote for good."""
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    quote = make.quote(make.reflection(me))
    drafts = [consent.ClauseDraft(c.key, c.text_en + " In reports too." if c.key == "quote_publicly" else c.text_en,
                                  c.text_fil, c.required) for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()
    _sign_in(client, csrf, me)
    page = client.get("/my/consent/new")
    answer = {**hidden_fields_of(page), "adult": "y", "clauses": ["take_part", "store_words"]}

    asked = client.post("/my/consent/new", data=answer)

    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "<h1>Take back public quotes?</h1>" in html
    assert 'formaction="/my/consent/new" name="go_back" value="1" class="link">Go back to the consent form</button>' in html
    assert consent.current_record(me).form_version == 1 and db.session.get(Quote, quote.id).status == "approved"
    assert re.findall(r'name="clauses" value="(\w+)"', html) == ["take_part", "store_words"], "every choice, again"
    # Its language buttons send the answer back to the form, in that language, as it was given: not a blank form
    # that ticks public quotes again where their Filipino words did not change.
    assert 'form="take-back" name="switch_language" value="fil"' in html
    switched = client.post("/my/consent/new", data={**hidden_fields_of(asked), "clauses": ["take_part", "store_words"],
                                                    "switch_language": "fil"})
    assert switched.status_code == 200 and 'value="quote_publicly" checked' not in switched.get_data(as_text=True)
    assert 'value="store_words" checked' in switched.get_data(as_text=True)
    assert consent.current_record(me).form_version == 1 and db.session.get(Quote, quote.id).status == "approved"
    client.get("/language/en")
    unanswered = client.post("/my/consent/new", data={**answer, "adult": ""})  # the form's own checks come first
    assert "Take back public quotes?" not in unanswered.get_data(as_text=True)
    assert "please confirm you are 18 or older" in unanswered.get_data(as_text=True)
    confirmed = client.post("/my/consent/new", data={**hidden_fields_of(asked), "clauses": ["take_part", "store_words"]})
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("/my")
    assert consent.current_record(me).form_version == 2
    assert consent.QUOTE_PUBLICLY not in consent.current_grants(me)
    assert db.session.get(Quote, quote.id).status == "withdrawn"


def test_going_back_from_the_question_about_quotes_shows_the_changed_form_as_it_was_answered(client, make, csrf):
    """"Go back to the consent form" was a link: the form came back with the earlier choices ticked again, a "yes"
    just taken away among them, one press of Continue from being recorded (QA r1-4). It sends the answer back now."""
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    drafts = [consent.ClauseDraft(c.key, c.text_en + " In reports too." if c.key == "internal_use" else c.text_en,
                                  c.text_fil, c.required) for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()
    _sign_in(client, csrf, me)
    client.get("/language/en")
    page = client.get("/my/consent/new")
    ticked = re.compile(r'name="clauses" id="clause-\w+" value="(\w+)" checked')
    assert ticked.findall(page.get_data(as_text=True)) == list(REVIEWING), "the earlier choices"
    answer = ["take_part", "store_words", "internal_use"]  # public quotes and seeing every quote first unticked
    asked = client.post("/my/consent/new", data={**hidden_fields_of(page), "adult": "y", "clauses": answer})
    assert "<h1>Take back public quotes?</h1>" in asked.get_data(as_text=True)

    back = client.post("/my/consent/new", data={**hidden_fields_of(asked), "clauses": answer, "go_back": "1"})

    html = back.get_data(as_text=True)
    assert back.status_code == 200 and "<h1>The consent form changed</h1>" in html
    assert ticked.findall(html) == answer, "as it was answered, not the earlier choices"
    assert re.search(r'<input checked[^>]* name="adult"|name="adult"[^>]* checked', html), "the age ticked too"
    assert "Take back public quotes?" not in html and "error" not in html.split("<main", 1)[1].split("</h1>")[0]
    assert consent.current_record(me).form_version == 1
    assert db.session.get(Quote, quote.id).status == "awaiting_participant", "not taken back"
    assert {"confirmed", "go_back"}.isdisjoint(hidden_fields_of(back)), "Continue asks about the quotes again"
    again = client.post("/my/consent/new", data={**hidden_fields_of(back), "adult": "y", "clauses": answer})
    assert "<h1>Take back public quotes?</h1>" in again.get_data(as_text=True)
    assert consent.current_record(me).form_version == 1


def test_a_statement_changed_only_in_the_other_language_stays_ticked(client, make, csrf):
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en", grants=REVIEWING)
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil + " (inayos)" if c.key == "review_quotes" else c.text_fil,
                                  c.required) for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()
    _sign_in(client, csrf, me)

    html = client.get("/my/consent/new").get_data(as_text=True)
    assert 'value="review_quotes" checked' in html and ">new words<" not in html


def test_a_new_required_statement_is_not_ticked_for_people_who_already_took_part(client, make, csrf):
    """Required to go on taking part, it is still theirs to agree to: ticked by them, or their words taken back."""
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    drafts.append(consent.ClauseDraft("share_with_partners", "Partner groups may read my words.",
                                      "Maaaring basahin ng mga katuwang na grupo ang aking mga salita.", True))
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()
    _sign_in(client, csrf, me)

    page = client.get("/my/consent/new")

    html = page.get_data(as_text=True)
    assert 'value="take_part" checked' in html and 'value="store_words" checked' in html, "agreed before, same words"
    assert 'value="share_with_partners" checked' not in html
    refused = client.post("/my/consent/new", data={**hidden_fields_of(page), "adult": "y",
                                                   "clauses": ["take_part", "store_words"]})
    assert ("To keep taking part, please tick the required statements. Not ticked yet: “Partner groups may read my "
            "words.”.") in refused.get_data(as_text=True)
    assert consent.current_record(me).form_version == 1
    everything_but_adulthood = client.post("/my/consent/new", data={
        **hidden_fields_of(page), "clauses": ["take_part", "store_words", "share_with_partners"]})
    assert "To keep taking part, please confirm you are 18 or older." in everything_but_adulthood.get_data(as_text=True)


def _audio_notes_now(roundtable, *, required: bool) -> None:
    """A new form version on which the statement "The meeting may be recorded for notes." is (or stays) ``required``."""
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()
              if c.key != "audio_notes"]
    drafts.append(consent.ClauseDraft("audio_notes", "The meeting may be recorded for notes.",
                                      "Maaaring i-record ang pulong para sa mga tala.", required))
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()


@pytest.mark.parametrize("language, tag, told", [
    ("en", "now required", "To keep taking part, please tick the required statements. Not ticked yet: “{}”."),
    ("fil", "kailangan na ngayon", "Para makapagpatuloy sa pagsali, pakilagyan ng tsek ang mga kailangang pahayag. "
                                   "Wala pang tsek: “{}”."),
])
def test_a_statement_made_required_after_i_said_no_is_tagged_and_named_when_left_unticked(client, make, csrf,
                                                                                          language, tag, told):
    """QA r10 #4: the statement sat unticked with a plain "required" tag, and the refusal named nothing."""
    roundtable = make.roundtable()

    _audio_notes_now(roundtable, required=False)
    me = make.participant(roundtable, language=language, grants=("take_part", "store_words"))
    agreed = make.participant(roundtable, language=language, grants=("take_part", "store_words", "audio_notes"))
    _audio_notes_now(roundtable, required=True)
    text = "Maaaring i-record ang pulong para sa mga tala." if language == "fil" else "The meeting may be recorded for notes."
    _sign_in(client, csrf, me)

    page = client.get("/my/consent/new")

    html = page.get_data(as_text=True)
    label = re.search(r'<label for="clause-audio_notes">(.*?)</label>', html, re.S).group(1)
    assert text in label and f'<span class="tag">{tag}</span>' in label, "read with the statement"
    assert 'value="audio_notes" checked' not in html
    others = re.search(r'<label for="clause-take_part">(.*?)</label>', html, re.S).group(1)
    assert tag not in others, "required all along"
    refused = client.post("/my/consent/new", data={**hidden_fields_of(page), "adult": "y",
                                                   "clauses": ["take_part", "store_words"]}).get_data(as_text=True)
    assert told.format(text) in refused
    assert consent.current_record(me).form_version == 2, "their answer to the form they said no on still holds"
    assert consent.changed_since_answered(agreed).made_required == {"audio_notes"}, \
        "a yes to it is told of the change too"


@pytest.mark.parametrize("language, tag", [("en", "now optional"), ("fil", "opsyonal na ngayon")])
def test_a_statement_made_optional_after_i_agreed_to_it_is_tagged_so_i_know_i_may_say_no(client, make, csrf,
                                                                                        language, tag):
    """A statement made required after people answered is tagged "now required"; one made optional had no tag of
    its own, so whoever agreed to it as a condition of taking part was not told they may now say no."""
    roundtable = make.roundtable()

    _audio_notes_now(roundtable, required=True)
    me = make.participant(roundtable, language=language, grants=("take_part", "store_words", "audio_notes"))
    _audio_notes_now(roundtable, required=False)
    _sign_in(client, csrf, me)

    html = client.get("/my/consent/new").get_data(as_text=True)

    label = re.search(r'<label for="clause-audio_notes">(.*?)</label>', html, re.S).group(1)
    assert f'<span class="tag">{tag}</span>' in label, "read with the statement"
    assert 'value="audio_notes" checked' in html, "what they agreed to stays ticked, theirs to untick"
    others = re.search(r'<label for="clause-quote_publicly">(.*?)</label>', html, re.S).group(1)
    assert tag not in others, "optional all along"
    assert consent.changed_since_answered(me).made_optional == {"audio_notes"}
    assert consent.changed_since_answered(me).made_required == frozenset()


@pytest.mark.parametrize("new_statement, queries", [(False, 4), (True, 5)])
def test_a_changed_form_reads_my_current_answer_once_for_what_changed_on_it(client, make, csrf, new_statement,
                                                                            queries):
    """What was reworded, made required and made optional since someone answered were three functions, each reading
    their current answer again: 12 queries for the page, then 9, where 4 do: the participant, their answer and its
    grants, the form. The versions they answered before are read only for a statement not on the one they answered
    last (new, or taken off and put back)."""
    roundtable = make.roundtable()
    _audio_notes_now(roundtable, required=True)
    me = make.participant(roundtable, language="en", grants=("take_part", "store_words", "audio_notes"))
    _audio_notes_now(roundtable, required=False)
    if new_statement:
        drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
        drafts.append(consent.ClauseDraft("photos", "Photos of the meeting may be shared.",
                                          "Maaaring ibahagi ang mga larawan ng pulong.", False))
        consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
        db.session.commit()
    _sign_in(client, csrf, me)
    client.get("/my/consent/new")  # translations and templates loaded: only the page's own queries are counted

    with counting_queries() as statements:
        page = client.get("/my/consent/new")

    html = page.get_data(as_text=True)
    assert '<span class="tag">now optional</span>' in html
    assert 'value="audio_notes" checked' in html, "answered in the same words: still ticked"
    assert ('value="photos">' in html) == new_statement, "new to them: theirs to tick"
    assert consent.changed_since_answered(me).reworded == ({"photos"} if new_statement else frozenset())
    assert len(statements) <= queries, "\n".join(statements)


def test_a_new_form_answered_with_nothing_ticked_points_at_the_statements_and_the_age_at_once(client, make, csrf):
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    drafts = [consent.ClauseDraft(c.key, c.text_en + " Reworded." if c.key == "take_part" else c.text_en, c.text_fil,
                                  c.required) for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()
    _sign_in(client, csrf, me)
    page = client.get("/my/consent/new")

    html = client.post("/my/consent/new", data=hidden_fields_of(page)).get_data(as_text=True)

    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    take_part = escape(roundtable.current_clauses()[0].text_en)
    store_words = escape("Roundtable may keep what I write, encrypted, until this roundtable's retention…")  # long
    assert re.findall(r'<a href="#([\w-]+)">([^<]*)</a>', summary) == [
        ("clauses", "I agree to: To keep taking part, please tick the required statements. "
                    f"Not ticked yet: “{take_part}” and “{store_words}”."),
        ("adult", "I am 18 years old or older: To keep taking part, please confirm you are 18 or older."),
    ]
    assert re.search(r'<input aria-describedby="adult-error" aria-invalid="true"[^>]*id="adult"', html)
    assert consent.current_record(me).form_version == 1


def test_a_renewed_consent_answers_the_form_that_was_read(client, make, csrf):
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")

    def new_version(text_en):
        drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
        drafts[-1] = consent.ClauseDraft(drafts[-1].key, text_en, "Binagong salita.", False)
        consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
        db.session.commit()

    new_version("Read version two.")
    _sign_in(client, csrf, me)
    page = client.get("/my/consent/new")
    new_version("Read version three.")

    answer = {"adult": "y", "clauses": ["take_part", "store_words"]}
    response = client.post("/my/consent/new", data={**hidden_fields_of(page), **answer})

    assert "The consent form changed while you were reading it" in response.get_data(as_text=True)
    assert "Read version three." in response.get_data(as_text=True)
    assert consent.current_record(me).form_version == 1
    client.post("/my/consent/new", data={**hidden_fields_of(response), **answer})
    assert consent.current_record(me).form_version == 3


@pytest.mark.parametrize(("keep_quoting", "warning"), [
    (True, "If you do not agree to public quotes this time, the 2 quotes of your words will be taken back."),
    (False, "This form no longer asks about public quotes, so the 2 quotes of your words will be taken back"),
])
def test_a_changed_form_says_first_that_quotes_are_taken_back_without_public_quoting(
    client, make, csrf, keep_quoting, warning
):
    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en", grants=REVIEWING)
    make.quote(make.reflection(me, status="released"))  # put to the author
    make.quote(make.reflection(me, status="released"), approve=False)  # an editor's draft, ended too
    declined = make.quote(make.reflection(me, status="released"))
    review.respond(me, declined, approve=False, revision=declined.revision)  # not used anyway: not counted
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()
              if keep_quoting or c.key != "quote_publicly"]
    changed = [d for d in drafts if d.key != "internal_use"] if keep_quoting else drafts  # some other change
    consent.new_form_version(roundtable, roundtable.facilitator, changed, seen=roundtable.consent_version)
    db.session.commit()
    _sign_in(client, csrf, me)

    assert warning in client.get("/my/consent/new").get_data(as_text=True)


def test_deleting_a_reflection_explains_first_then_erases_it(client, make, csrf):
    me = make.participant(language="en")
    reflection = make.reflection(me)
    quote = make.quote(reflection)
    _sign_in(client, csrf, me)
    page = client.get(f"/my/reflections/{reflection.id}/delete")
    assert "The 1 quote made from it will be taken back too." in page.get_data(as_text=True)

    client.post(f"/my/reflections/{reflection.id}/delete", data={"csrf_token": csrf(page)})

    assert db.session.get(Reflection, reflection.id).status == "withdrawn"
    assert db.session.get(Quote, quote.id).status == "withdrawn"
    assert client.get(f"/my/reflections/{reflection.id}").status_code == 404


def test_two_reflections_to_one_question_are_told_apart_by_their_words_on_my_words_and_before_deleting(
        client, make, csrf):
    """Both read "Submitted · Open · Delete" to sighted eyes, and the page before the erase showed only the question
    (QA r1-2): each now shows the start of its own words, in their language, and the delete page shows the words."""
    me = make.participant(language="en")
    first = make.reflection(me, text="Dapat may sariling silid ang bata habang nagsasalita sa korte, malayo sa akusado.",
                            language="fil", status="submitted")
    second = make.reflection(me, text="A seat for whoever comes with the child.", status="draft")
    _sign_in(client, csrf, me)
    client.get("/language/en")

    html = client.get("/my").get_data(as_text=True)
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)  # what a sighted reader sees
    assert '<q lang="fil">Dapat may sariling silid ang bata habang…</q><br>Submitted' in shown, "its start, cut at a word"
    assert '<q lang="en">A seat for whoever comes with the child.</q><br>Draft' in shown

    page = client.get(f"/my/reflections/{first.id}/delete").get_data(as_text=True)
    assert f'<blockquote lang="fil">{first.text}</blockquote>' in page and '<p class="status">Submitted</p>' in page
    assert "Only the start" not in page and second.text not in page
    assert '<blockquote lang="en">A seat for whoever comes with the child.</blockquote>' in client.get(
        f"/my/reflections/{second.id}/delete").get_data(as_text=True)


def test_the_delete_page_of_a_very_long_reflection_shows_its_start_and_says_all_of_it_is_erased(client, make, csrf):
    me = make.participant(language="en")
    reflection = make.reflection(me, text="Makinig po kayo sa amin. " * 400, language="fil")
    _sign_in(client, csrf, me)
    client.get("/language/en")

    page = client.get(f"/my/reflections/{reflection.id}/delete").get_data(as_text=True)

    shown = re.search(r'<blockquote lang="fil">([^<]*)</blockquote>', page).group(1)
    assert shown.startswith("Makinig po kayo sa amin. ") and shown.endswith("…") and len(shown) <= 1000
    assert "Only the start of its words is shown here. All of them will be erased." in page


def test_an_empty_draft_says_it_has_no_words_yet(client, make, csrf):
    me = make.participant(language="en")
    draft = make.reflection(me, text="", status="draft")
    _sign_in(client, csrf, me)
    client.get("/language/en")

    assert "No words yet<br>Draft" in client.get("/my").get_data(as_text=True)
    page = client.get(f"/my/reflections/{draft.id}/delete").get_data(as_text=True)
    assert '<p class="hint">No words yet</p>' in page and "<blockquote" not in page


def test_deleting_a_reflection_counts_only_the_quotes_its_author_sees_in_use(client, make, csrf):
    """A quote its author declined is not used, and an editor's draft was never shown to them ("No quote has been
    made from your words"): neither is one the deletion "takes back too"."""
    me = make.participant(language="en", grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    reflection = make.reflection(me)
    declined = make.quote(reflection)
    review.respond(me, declined, approve=False)
    db.session.commit()
    _sign_in(client, csrf, me)
    page = client.get(f"/my/reflections/{reflection.id}/delete").get_data(as_text=True)
    assert "taken back too" not in page and "cannot be erased from here" not in page

    make.quote(reflection, text="children speak from a safe room", approve=False)
    page = client.get(f"/my/reflections/{reflection.id}/delete").get_data(as_text=True)
    assert "taken back too" not in page  # an approved one is counted: test_deleting_a_reflection_explains_first…


def test_delete_sent_twice_says_deleted_both_times_and_deletes_once(client, app, make, csrf):
    """A double click, or Back and "Delete" again: the page the browser shows is the second answer, which must not
    say "not found" to someone who just took their words back."""
    me = make.participant(language="en")
    reflection = make.reflection(me)
    _sign_in(client, csrf, me)
    client.get("/language/en")
    form = {"csrf_token": csrf(client.get(f"/my/reflections/{reflection.id}/delete"))}

    first = client.post(f"/my/reflections/{reflection.id}/delete", data=form)
    second = client.post(f"/my/reflections/{reflection.id}/delete", data=form)

    assert first.status_code == second.status_code == 302
    assert "Your reflection was deleted." in client.get(second.headers["Location"]).get_data(as_text=True)
    deletions = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reflection.deleted")).all()
    assert len(deletions) == 1
    assert client.get(f"/my/reflections/{reflection.id}/delete").status_code == 404, "the page itself is gone"


def test_back_to_a_deleted_reflection_says_it_was_deleted_and_leads_to_my_words(client, make, csrf):
    """Back after "Delete" showed a bare "Page not found" leading to the home page (QA): a frightened person may
    think more was lost."""
    me = make.participant(language="en")
    reflection = make.reflection(me, status="draft")
    _sign_in(client, csrf, me)
    delete_page = client.get(f"/my/reflections/{reflection.id}/delete")
    edit_page = client.get(f"/my/reflections/{reflection.id}")
    client.post(f"/my/reflections/{reflection.id}/delete", data={"csrf_token": csrf(delete_page)})

    for url in (f"/my/reflections/{reflection.id}/delete", f"/my/reflections/{reflection.id}"):
        back = client.get(url)
        html = back.get_data(as_text=True)
        assert back.status_code == 404 and "<h1>This reflection was deleted</h1>" in html, url
        assert '<a class="button" href="/my">Back to my words</a>' in html and "Page not found" not in html
        assert 'id="quick-exit"' in html and "children speak" not in html
    assert client.get("/my").status_code == 200, "still signed in"

    sent = client.post(f"/my/reflections/{reflection.id}?sent=1", data={  # the page left open in another tab
        "csrf_token": csrf(edit_page), "text": "Judges should listen to children.", "language": "en",
        "save": "Save draft", "idempotency_key": reflection.idempotency_key})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 404 and "<h1>This reflection was deleted</h1>" in html
    assert "What you just wrote in it was not saved." in html, "words typed are shown back, not thrown away"
    assert re.search(r'<textarea id="kept-text"[^>]*readonly lang="en">Judges should listen to children.</textarea>', html)
    assert "/language/fil" not in html, "QA r6: shown only this once, they went with a link to the other language"
    assert "/language/fil" in back.get_data(as_text=True), "without words shown, the language may change"
    assert db.session.get(Reflection, reflection.id).status == "withdrawn"


def test_someone_elses_deleted_reflection_is_not_said_to_be_deleted(client, make, csrf):
    author = make.participant(language="en")
    reflection = make.reflection(author)
    _sign_in(client, csrf, author)
    client.post(f"/my/reflections/{reflection.id}/delete",
                data={"csrf_token": csrf(client.get(f"/my/reflections/{reflection.id}/delete"))})
    client.get("/exit")
    _sign_in(client, csrf, make.participant(author.roundtable, language="en"))

    for url in (f"/my/reflections/{reflection.id}/delete", f"/my/reflections/{reflection.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "Page not found" in html and "deleted" not in html, url


def test_delete_sent_twice_at_once_deletes_once_and_says_deleted_both_times(app, make, csrf):
    me = make.participant(language="en")
    reflection = make.reflection(me)
    db.session.commit()
    browsers, forms = (app.test_client(), app.test_client()), []
    for browser in browsers:
        _sign_in(browser, csrf, me)
        forms.append({"csrf_token": csrf(browser.get(f"/my/reflections/{reflection.id}/delete"))})

    answers = at_once(*(lambda browser=browser, form=form: browser.post(f"/my/reflections/{reflection.id}/delete",
                                                                          data=form)
                        for browser, form in zip(browsers, forms)))

    assert [answer.status_code for answer in answers] == [302, 302]
    db.session.expire_all()
    deletions = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reflection.deleted")).all()
    assert len(deletions) == 1


def test_a_reflection_with_an_approved_quote_cannot_be_edited(client, make, csrf):
    me = make.participant(language="en")
    reflection = make.reflection(me)
    make.quote(reflection)
    _sign_in(client, csrf, me)
    assert "can no longer be changed" in client.get("/my").get_data(as_text=True)
    response = client.post(f"/my/reflections/{reflection.id}", data={  # from a page opened before the approval
        "csrf_token": csrf(client.get("/my")), "text": "Changed words.", "language": "en", "submit": "Submit",
        "idempotency_key": reflection.idempotency_key,
    })
    assert "can no longer be changed" in response.get_data(as_text=True)
    assert db.session.get(Reflection, reflection.id).text != "Changed words."


def test_withdrawing_everything_needs_a_clear_confirmation_and_ends_the_session(client, make, csrf):
    me = make.participant(language="en")
    reflection = make.reflection(me)
    _sign_in(client, csrf, me)
    page = client.get("/my/withdraw")
    html = page.get_data(as_text=True)
    assert "cannot be undone" in html and "already exported" in html

    unconfirmed = client.post("/my/withdraw", data={"csrf_token": csrf(page)})
    assert unconfirmed.status_code == 200 and db.session.get(Participant, me.id).withdrawn_at is None

    response = client.post("/my/withdraw", data={"csrf_token": csrf(page), "understood": "y", "erase": "y"})

    assert response.status_code == 302
    assert db.session.get(Participant, me.id).withdrawn_at is not None
    assert db.session.get(Reflection, reflection.id).text is None
    assert client.get("/my").status_code == 302  # signed out
    page = client.get("/return")
    again = client.post("/return", data={"passphrase": me.passphrase, "csrf_token": csrf(page)})
    assert again.status_code == 200


def test_words_sent_from_a_browser_no_longer_signed_in_are_said_not_saved_and_never_shown(app, client, make, csrf):
    """The cookie is gone (the browser was cleared, or the phone dropped it): whose words they are is unknown, so
    they are not shown back, but the person is told, instead of finding the sign-in page without a word."""
    me = make.participant(language="en")
    prompt = me.roundtable.prompts[0]
    _sign_in(client, csrf, me)
    page = client.get(f"/write/{prompt.id}")
    cleared = app.test_client()
    cleared.get("/language/en")

    response = cleared.post(f"/write/{prompt.id}", data={**hidden_fields_of(page), "text": "Courts should listen.",
                                                         "language": "en", "submit": "Submit"}, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert response.request.path == "/return"
    assert "What you wrote was not saved: this browser is no longer signed in." in html
    assert "Courts should listen." not in html


def test_autosave_keeps_a_draft_and_counts_as_activity(client, make, csrf, app):
    me = make.participant(language="en")
    prompt = me.roundtable.prompts[0]
    _sign_in(client, csrf, me)
    page = client.get(f"/write/{prompt.id}")
    html = page.get_data(as_text=True)
    assert 'role="status"' in html and f"/write/{prompt.id}/autosave" in html and "<script>" not in html
    data = {"csrf_token": csrf(page), "text": "Courts should", "language": "en", "idempotency_key": "k" * 32}

    assert client.post(f"/write/{prompt.id}/autosave", data=data).get_json()["saved"] is True
    data["text"] = "Courts should listen."
    idle = app.config["PARTICIPANT_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - idle + 5  # about to expire
    assert client.post(f"/write/{prompt.id}/autosave", data=data).get_json()["saved"] is True
    with client.session_transaction() as session:
        assert int(time.time()) - session["seen"] < 10  # the autosave renewed the session

    drafts = db.session.scalars(select(Reflection).where(Reflection.participant_id == me.id)).all()
    assert [(r.status, r.text) for r in drafts] == [("draft", "Courts should listen.")]
    # The page's own buttons then submit that same draft.
    page = client.get(f"/write/{prompt.id}")
    assert "Courts should listen." in page.get_data(as_text=True)


def test_autosave_without_the_pages_key_saves_nothing_rather_than_a_new_draft_each_time(client, make, csrf):
    me = make.participant(language="en")
    prompt = me.roundtable.prompts[0]
    _sign_in(client, csrf, me)
    page = client.get(f"/write/{prompt.id}")
    for key in (None, "", "   "):
        data = {"csrf_token": csrf(page), "text": "Courts should listen.", "language": "en"}
        if key is not None:
            data["idempotency_key"] = key
        answer = client.post(f"/write/{prompt.id}/autosave", data=data)
        assert answer.status_code == 400 and answer.get_json()["saved"] is False
    assert db.session.scalars(select(Reflection)).all() == []


def test_an_autosave_of_words_over_the_limit_says_the_limit_and_how_many_characters_there_are(client, make, csrf):
    me = make.participant(language="en")
    prompt = me.roundtable.prompts[0]
    _sign_in(client, csrf, me)
    page = client.get(f"/write/{prompt.id}")
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    answer = client.post(f"/write/{prompt.id}/autosave", data={
        "csrf_token": csrf(page), "idempotency_key": key, "text": "Makinig po kayo. " * 700, "language": "en"})
    assert answer.status_code == 400
    assert answer.get_json()["message"] == "You wrote 11,899 characters; use at most 10,000."  # shown by writing.js


def test_autosave_never_turns_a_submitted_reflection_back_into_a_draft(client, make, csrf):
    me = make.participant(language="en")
    reflection = make.reflection(me, status="submitted")
    _sign_in(client, csrf, me)
    page = client.get(f"/my/reflections/{reflection.id}")
    assert "data-autosave-url" not in page.get_data(as_text=True)
    response = client.post(f"/write/{reflection.prompt_id}/autosave", data={
        "csrf_token": csrf(page), "text": "x", "language": "en", "idempotency_key": reflection.idempotency_key})
    assert response.status_code == 409
    assert db.session.get(Reflection, reflection.id).status == "submitted"


def test_autosave_needs_the_csrf_token_and_a_participant(client, make, csrf):
    me = make.participant(language="en")
    prompt = me.roundtable.prompts[0]
    anonymous = client.post(f"/write/{prompt.id}/autosave", data={"text": "x", "language": "en"})
    assert anonymous.status_code in (302, 401)  # to the sign-in page, or refused outright
    _sign_in(client, csrf, me)
    forged = client.post(f"/write/{prompt.id}/autosave", data={"text": "x", "language": "en"})
    assert forged.status_code == 400
    assert db.session.scalars(select(Reflection)).all() == []


def test_approving_twice_at_once_answers_calmly_and_approves_once(app, make, csrf):
    me = make.participant(language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    db.session.commit()
    browsers, forms = (app.test_client(), app.test_client()), []
    for browser in browsers:
        _sign_in(browser, csrf, me)
        forms.append({"csrf_token": csrf(browser.get("/my")), f"q{quote.id}-revision": str(quote.revision),
                      f"q{quote.id}-approve": "Approve"})

    answers = at_once(*(lambda browser=browser, form=form: browser.post(f"/my/quotes/{quote.id}", data=form)
                        for browser, form in zip(browsers, forms)))

    assert [answer.status_code for answer in answers] == [302, 302]
    for browser in browsers:
        assert "Thank you. You approved this quote." in browser.get("/my").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).status == "approved"
    approvals = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "quote.approved_by_participant"))
    assert len(approvals.all()) == 1


def test_taking_back_a_permission_twice_at_once_appends_one_record(app, make, csrf):
    me = make.participant(language="en")
    quote = make.quote(make.reflection(me))
    db.session.commit()
    browsers, forms = (app.test_client(), app.test_client()), []
    for browser in browsers:
        _sign_in(browser, csrf, me)
        forms.append({"csrf_token": csrf(browser.get("/my")), "key": "quote_publicly", "grant": "0",
                      "confirmed": "yes"})

    answers = at_once(*(lambda browser=browser, form=form: browser.post("/my/consent", data=form)
                        for browser, form in zip(browsers, forms)))

    assert [answer.status_code for answer in answers] == [302, 302]
    db.session.expire_all()
    assert len(consent.history(me)) == 2 and db.session.get(Quote, quote.id).status == "withdrawn"


def test_the_author_sees_the_attribution_printed_with_a_quote_they_review(client, make, csrf):
    me = make.participant(language="en", grants=REVIEWING)
    make.quote(make.reflection(me), descriptor="youth advocate")
    _sign_in(client, csrf, me)
    html = client.get("/my").get_data(as_text=True)
    assert f"Shown with your words as: {me.pseudonym}, youth advocate" in html
    assert "<p>Words in English:</p>" in html


def test_withdrawing_without_the_tick_ties_the_message_to_the_box(client, make, csrf):
    me = make.participant(language="en")
    _sign_in(client, csrf, me)
    page = client.get("/my/withdraw")
    html = client.post("/my/withdraw", data={"csrf_token": csrf(page), "confirm": "x"}).get_data(as_text=True)
    assert re.search(r'<input[^>]*aria-describedby="understood-error"[^>]*aria-invalid="true"[^>]*id="understood"'
                     r'|<input[^>]*aria-invalid="true"[^>]*aria-describedby="understood-error"', html), html
    assert '<a href="#understood">' in html


def test_a_refused_answer_to_a_quote_is_said_beside_that_quote_with_the_note_kept(client, make, csrf):
    from roundtable.services import curation

    me = make.participant(language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    editor = make.user("editor")
    theme = curation.add_theme(editor, "Courts", "Mga korte")
    _sign_in(client, csrf, me)
    page = client.get("/my")
    assert "Themes it is filed under:" not in page.get_data(as_text=True)
    curation.update_quote(editor, quote, expected_version=quote.version_id, text="The court should let children speak",
                          language="en", translation=None, translation_language=None, descriptor="survivor leader",
                          themes=[theme])
    db.session.commit()

    answer = client.post(f"/my/quotes/{quote.id}", data={
        "csrf_token": csrf(page), f"q{quote.id}-revision": str(quote.revision - 1), f"q{quote.id}-approve": "Approve",
        f"q{quote.id}-comment": "Please keep the word children.",
    })

    html = answer.get_data(as_text=True)
    assert answer.status_code == 200, "shown again, not sent on: the note typed stays"
    assert "<title>Error: My words · Roundtable</title>" in html, "the answer not taken is said first"
    beside = html[html.index(f'id="quote-{quote.id}"'):]
    said = beside[:beside.index("</li>")]
    assert "The quote changed while you were reading it." in said and 'tabindex="-1" autofocus' in said
    assert "Please keep the word children.</textarea>" in said
    # the language buttons lead back to this page, not home, with the note (test_a_note_typed_for_the_editor_stays…)
    assert 'form="quote-answers" name="switch_language" value="fil"' in html and 'action="/my"' in html
    assert "Themes it is filed under: Courts" in beside
    assert 'aria-label="Approve quote 1"' in beside
    fields = {name: value for name, value in hidden_fields_of(answer).items() if name.startswith(f"q{quote.id}-")}
    again = client.post(f"/my/quotes/{quote.id}", data={
        "csrf_token": csrf(page), **fields, f"q{quote.id}-approve": "Approve",
        f"q{quote.id}-comment": "Please keep the word children.",
    })
    assert again.headers["Location"].endswith(f"/my#quote-{quote.id}"), "read again, the answer is taken"
    assert db.session.get(type(quote), quote.id).status == "approved"
    resent = client.post(f"/my/quotes/{quote.id}", data={  # Back to the refused page, and reload
        "csrf_token": csrf(page), **fields, f"q{quote.id}-approve": "Approve", f"q{quote.id}-comment": "x" * 1001})
    assert resent.status_code == 302 and "Use at most" not in client.get("/my").get_data(as_text=True)


def test_a_note_typed_for_the_editor_stays_when_the_language_is_changed(client, make, csrf):
    """The header's language link opened "My words" again with every note box empty (QA r1-3): with a quote waiting
    for an answer, its language buttons send the notes, as the writing pages' buttons send their words."""
    me = make.participant(language="en", grants=REVIEWING)
    first = make.quote(make.reflection(me))
    second = make.quote(make.reflection(me, text="A seat for whoever comes with the child."))
    _sign_in(client, csrf, me)
    page = client.get("/my")
    html = page.get_data(as_text=True)
    assert '<button type="submit" form="quote-answers" name="switch_language" value="fil"' in html
    assert "/language/fil" not in html
    assert f'formaction="/my/quotes/{second.id}"' in html and f'formaction="/my/quotes/{first.id}"' in html

    switched = client.post("/my", data={**shown_fields_of(page), f"q{first.id}-comment": "Please use 'companion'.",
                                        f"q{second.id}-comment": "Salamat po.", "switch_language": "fil"})

    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="fil"' in html
    assert "Please use &#39;companion&#39;.</textarea>" in html and "Salamat po.</textarea>" in html
    assert 'form="quote-answers" name="switch_language" value="en"' in html
    assert db.session.get(Participant, me.id).language == "fil", "the language chosen is theirs from now on"
    assert {db.session.get(Quote, q.id).status for q in (first, second)} == {"awaiting_participant"}, "not answered"
    answered = client.post(f"/my/quotes/{first.id}", data={**shown_fields_of(switched), f"q{first.id}-approve": "1"})
    assert answered.status_code == 302 and answered.headers["Location"].endswith(f"/my#quote-{first.id}")
    assert db.session.get(Quote, first.id).participant_comment == "Please use 'companion'."
    assert db.session.get(Quote, first.id).status == "approved"
    assert db.session.get(Quote, second.id).status == "awaiting_participant", "only the quote whose button was pressed"
    # sent without a language, the form changes nothing and leads to the page
    again = client.post("/my", data=shown_fields_of(client.get("/my")))
    assert again.status_code == 302 and again.headers["Location"].endswith("/my")
    assert db.session.get(Quote, second.id).status == "awaiting_participant"


def test_my_words_without_a_quote_to_answer_keeps_the_language_link(client, make, csrf):
    me = make.participant(language="en")
    make.reflection(me)
    _sign_in(client, csrf, me)

    html = client.get("/my").get_data(as_text=True)

    assert 'href="/language/fil?next=/my?"' in html and "switch_language" not in html and "quote-answers" not in html


def test_an_answer_to_a_quote_an_editor_took_back_to_change_says_so_instead_of_page_not_found(client, make, csrf):
    from roundtable.services import curation

    me = make.participant(language="en", grants=REVIEWING)
    quote = make.quote(make.reflection(me))
    editor = make.user("editor")
    _sign_in(client, csrf, me)
    page = client.get("/my")
    curation.update_quote(editor, quote, expected_version=quote.version_id, text="Judges must never allow plea deals.",
                          language="en", translation=None, translation_language=None, descriptor="survivor leader")
    db.session.commit()
    assert quote.back_to_author

    answer = client.post(f"/my/quotes/{quote.id}", data={
        "csrf_token": csrf(page), f"q{quote.id}-revision": str(quote.revision - 1), f"q{quote.id}-approve": "Approve",
    })

    assert answer.status_code == 302 and answer.headers["Location"].endswith("/my#quotes")
    html = client.get("/my").get_data(as_text=True)
    assert "An editor is changing this quote. You will be asked about the new words." in html
    assert "An editor is changing 1 quote you were asked about." in html
    assert "Judges must never" not in html  # words not fit to put to the author are not shown


def test_quotes_taken_back_are_said_so_not_that_none_was_made(client, make, csrf):
    me = make.participant(language="en")
    make.quote(make.reflection(me))
    consent.change_clause(me, "quote_publicly", grant=False)
    db.session.commit()
    _sign_in(client, csrf, me)
    html = client.get("/my").get_data(as_text=True)
    assert "1 quote of your words was taken back: it is no longer used." in html
    assert "No quote has been made from your words." not in html


def test_an_approved_quote_of_a_held_reflection_is_said_to_be_unused_for_now(client, make, csrf):
    me = make.participant(language="en")
    quote = make.quote(make.reflection(me))
    reflection = quote.reflection
    moderation.decide(me.roundtable.facilitator, reflection, "hold", read=moderation.read_mark(reflection))
    db.session.commit()
    _sign_in(client, csrf, me)
    assert "It is not used for now: the facilitator is holding back your reflection." in client.get("/my").get_data(
        as_text=True)


def test_my_words_says_what_stays_after_the_date_to_erase_words(client, make, csrf):
    """The purge keeps a reflection behind an approved quote (services/retention.py): the page promises no more."""
    from datetime import timedelta

    from roundtable import clock

    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    _sign_in(client, csrf, me)
    client.get("/language/en")
    html = client.get("/my").get_data(as_text=True)
    assert "Your words are kept until" in html
    assert "A reflection quoted with your consent stays, with its quote, until you take it back." in html

    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    html = client.get("/my").get_data(as_text=True)
    assert "Your words are kept until" not in html
    assert re.search(r'<p class="flash">This roundtable is closed and does not accept new words\. The date to erase '
                     r"this roundtable's words was [^<]+\.</p>", html), "said at the top: why words are gone"
    assert "A reflection quoted with your consent stays, with its quote, until you take it back." in html


def test_past_the_date_to_erase_words_no_one_is_asked_to_consent_again_to_keep_them(client, make, csrf):
    """The form changed before the date; once it passed, asking to tick "I am 18 or older" again and to agree to
    keep words "until" a day gone by made no sense to someone whose words were erased (QA)."""
    from datetime import timedelta

    from roundtable import clock
    from roundtable.services import retention

    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    make.quote(make.reflection(me))  # kept behind its published quote: they can still come back to withdraw it
    make.reflection(me, text="Healing takes time.")
    _consent_form_reworded(roundtable)
    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    retention.purge_expired()
    db.session.commit()
    _sign_in(client, csrf, me)
    client.get("/language/en")

    mine = client.get("/my")
    assert mine.status_code == 200 and "You are" in mine.get_data(as_text=True)
    assert client.get("/my/consent/new").headers["Location"].endswith("/my")
    assert len(consent.history(me)) == 1, "what they agreed to before still applies"


def test_past_the_date_to_erase_words_a_participant_may_take_back_but_not_allow_more(client, make, csrf):
    """Asking to review quotes then put a kept quote to its author, whose approval is refused past the date: the
    quote was out of use for good (seen in a regression round)."""
    from datetime import timedelta

    from roundtable import clock

    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en", grants=("take_part", "store_words", "quote_publicly"))
    quote = make.quote(make.reflection(me))
    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    _sign_in(client, csrf, me)
    client.get("/language/en")

    page = client.get("/my")
    html = page.get_data(as_text=True)
    assert "You can still take back what you allowed." in html
    assert "Allow<span" not in html and "Take back<span" in html, "only what was allowed can be changed"
    refused = client.post("/my/consent", data={"csrf_token": csrf(page), "key": "review_quotes", "grant": "1"},
                          follow_redirects=True).get_data(as_text=True)  # from a page opened before the date
    assert "but not allow more." in refused
    assert "review_quotes" not in consent.current_grants(me)
    assert db.session.get(Quote, quote.id).status == "approved"

    asked = client.post("/my/consent", data={"csrf_token": csrf(page), "key": "quote_publicly", "grant": "0"})
    assert "Take back public quotes?" in asked.get_data(as_text=True)
    assert "If you allow public quotes again later" not in asked.get_data(as_text=True), "they cannot any more"
    client.post("/my/consent", data={"csrf_token": csrf(page), "key": "quote_publicly", "grant": "0", "confirmed": "yes"})
    assert "quote_publicly" not in consent.current_grants(me)
    withdraw = client.get("/my/withdraw").get_data(as_text=True)
    assert "Also erase my words now.</label>" in withdraw and "until the retention date" not in withdraw


def test_past_the_date_to_erase_words_a_quote_waiting_for_its_author_offers_only_declining(client, make, csrf):
    from datetime import timedelta

    from roundtable import clock

    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en",
                          grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    make.quote(make.reflection(me))
    _sign_in(client, csrf, me)
    client.get("/language/en")
    assert re.search(r'name="q\d+-approve"', client.get("/my").get_data(as_text=True))

    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    html = client.get("/my").get_data(as_text=True)

    assert not re.search(r'name="q\d+-approve"', html) and re.search(r'name="q\d+-decline"', html)
    assert "so this quote can no longer be approved. You can still decline it." in html


def test_a_new_consent_form_answered_as_the_date_to_erase_words_passes_says_nothing_was_changed(client, make, csrf):
    """The answer cannot be recorded (the form no longer applies): said, not dropped unseen on "My words"."""
    from datetime import timedelta

    from roundtable import clock

    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    _consent_form_reworded(roundtable)
    _sign_in(client, csrf, me)
    client.get("/language/en")
    page = client.get("/my/consent/new")
    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()

    answered = client.post("/my/consent/new", data={**hidden_fields_of(page), "clauses": ["take_part", "store_words"],
                                                     "adult": "y", "confirmed": "yes"}, follow_redirects=True)

    html = answered.get_data(as_text=True)
    assert "passed while you answered, so the new form no longer applies and nothing was changed." in html
    assert "quote_publicly" in consent.current_grants(me) and len(consent.history(me)) == 1


def test_taking_back_all_my_words_past_the_date_to_erase_them_does_not_promise_that_date_again(client, make, csrf):
    from datetime import timedelta

    from roundtable import clock

    roundtable = make.roundtable()
    me = make.participant(roundtable, language="en")
    _sign_in(client, csrf, me)
    client.get("/language/en")
    assert "Otherwise they stay hidden and are erased on " in client.get("/my/withdraw").get_data(as_text=True)

    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    html = client.get("/my/withdraw").get_data(as_text=True)

    assert "are erased on " not in html
    assert re.search(r"Otherwise they stay hidden and are erased soon: the date to erase this roundtable's words "
                     r"was [^<]+\.</li>", html)
