"""Facilitators change a consent form by making a new version; the old version stays as it was."""

import re

import pytest
from sqlalchemy import select

from roundtable.db import db
from roundtable.models import ConsentClause, Roundtable
from roundtable.services import consent, withdrawal
from tests.conftest import csrf_token_of, shown_fields_of
from tests.deployment.live import at_once


def _as_shown(page, **changes) -> dict[str, str]:
    """The consent-form editor as ``page`` shows it (every statement as it was filled in), sent with ``changes``
    typed in."""
    return {**shown_fields_of(page), **changes}


def test_changing_the_consent_form_makes_a_new_version(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert "review_quotes" in html

    data = _as_shown(page, new_key="share_with_partners",
                     new_text_en="My words may be shared with partner groups.",
                     new_text_fil="Maaaring ibahagi ang aking mga salita sa mga katuwang na grupo.")
    internal_use = [c.key for c in roundtable.current_clauses()].index("internal_use")
    data[f"clauses-{internal_use}-remove"] = "y"

    response = client.post(url, data=data)

    assert response.status_code == 302
    roundtable = db.session.get(Roundtable, roundtable.id)
    assert roundtable.consent_version == 2
    keys = [c.key for c in roundtable.current_clauses()]
    assert "share_with_partners" in keys and "internal_use" not in keys
    old = db.session.scalars(select(ConsentClause).where(ConsentClause.version == 1)).all()
    assert len(old) == 5


def test_a_new_version_says_participants_will_be_asked_again_only_when_someone_answered_an_earlier_one(
        client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    for n, asked_again in ((1, False), (2, True)):
        if asked_again:
            make.participant(roundtable)
        saved = client.post(url, data=_as_shown(client.get(url), **{"clauses-0-text_en": f"I take part ({n})."}))
        html = client.get(saved.headers["Location"]).get_data(as_text=True)
        assert f"The consent form is now version {n + 1}." in html
        assert ("will be asked to consent again" in html) == asked_again, "a draft nobody joined asks no one"


def test_saving_the_form_unchanged_makes_no_new_version_and_asks_no_one_again(client, make, login):
    roundtable = make.roundtable()
    participant = make.participant(roundtable)
    client.get("/language/en")
    login(roundtable.facilitator)
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    data = _as_shown(client.get(url))
    data.update({key: value + " " for key, value in data.items() if key.endswith("-text_en")})  # spaces only

    response = client.post(url, data=data)

    assert response.status_code == 302
    assert "Nothing changed: the consent form stays version 1." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1
    from roundtable.services import consent
    assert not consent.needs_new_consent(participant)


def test_the_required_statements_cannot_be_removed(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    data = _as_shown(client.get(url))
    data.update({f"clauses-{n}-remove": "y" for n in range(len(roundtable.current_clauses()))})
    data = {key: value for key, value in data.items() if not key.endswith("-required")}
    response = client.post(url, data=data)
    assert response.status_code == 200 and "must stay required" in response.get_data(as_text=True)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1


def test_the_editor_offers_no_control_that_could_only_be_refused_and_says_the_fixed_state_instead(
        client, make, login):
    """Taking part and keeping the words stay required and on the form; internal use, public quotes and reviewing
    quotes are each participant's choice. Saved as shown, the form is saved."""
    roundtable, url = _editing_the_consent_form(client, make, login)
    page = client.get(url)
    html = page.get_data(as_text=True)
    rows = {key: html.split(f'value="{key}"')[1].split("</fieldset>")[0] for key in (
        "take_part", "store_words", "internal_use", "quote_publicly", "review_quotes")}

    for key in ("take_part", "store_words"):
        assert 'type="checkbox"' not in rows[key], key
        assert "Required to take part. This statement always stays on the form." in rows[key], key
    for key in ("internal_use", "quote_publicly", "review_quotes"):
        assert "-required" not in rows[key] and "it cannot be required" in rows[key], key
        assert "Remove this statement" in rows[key], key
    changed = client.post(url, data=_as_shown(page, **{"clauses-0-text_en": "I choose to take part. I can stop."}))
    assert changed.status_code == 302
    assert [c.required for c in db.session.get(Roundtable, roundtable.id).current_clauses()] == [
        True, True, False, False, False]


def test_every_statement_left_unwritten_is_pointed_at_at_once_and_named_by_its_number(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    emptied = {"clauses-1-text_fil": "", "clauses-2-text_fil": "", "clauses-3-text_en": ""}

    html = client.post(url, data=_as_shown(client.get(url), **emptied)).get_data(as_text=True)

    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert re.findall(r'<a href="#([\w-]+)">([^<]*)</a>', summary) == [
        ("clauses-1-text_fil", "Statement 2 in Filipino: Write each statement in English and in Filipino."),
        ("clauses-2-text_fil", "Statement 3 in Filipino: Write each statement in English and in Filipino."),
        ("clauses-3-text_en", "Statement 4 in English: Write each statement in English and in Filipino."),
    ]
    for box in emptied:
        assert re.search(rf'<textarea[^>]*aria-describedby="{box}-error"[^>]*aria-invalid="true"[^>]*id="{box}"', html)
    assert html.count('aria-invalid="true"') == 3
    assert '<label for="clauses-0-text_en">Statement 1 in English</label>' in html, "each box says its statement"
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1


def test_one_save_says_every_problem_though_a_new_statement_was_typed_without_its_key(client, make, login):
    """A tester's steps: three boxes emptied and a new statement typed in English only, its key left empty. The
    key's problem was said alone, and the empty boxes only on the next save."""
    roundtable, url = _editing_the_consent_form(client, make, login)
    emptied = {"clauses-2-text_en": "", "clauses-3-text_fil": "", "clauses-4-text_en": ""}

    html = client.post(url, data=_as_shown(client.get(url), **emptied, new_text_en="Partners may read my words.")
                       ).get_data(as_text=True)

    assert _summary_of(html) == [
        ("clauses-2-text_en", "Statement 3 in English: Write each statement in English and in Filipino."),
        ("clauses-3-text_fil", "Statement 4 in Filipino: Write each statement in English and in Filipino."),
        ("clauses-4-text_en", "Statement 5 in English: Write each statement in English and in Filipino."),
        ("new_key", "Short key of the new statement: Each statement needs its own short key of lowercase letters."),
        ("new_text_fil", "New statement in Filipino: Write each statement in English and in Filipino."),
    ]
    for box in [*emptied, "new_key", "new_text_fil"]:
        assert _marked_invalid(html, box)
    assert html.count('aria-invalid="true"') == 5
    assert "Partners may read my words.</textarea>" in html
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1


def test_one_save_says_every_problem_though_a_box_is_over_its_limit(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    too_long = "Katarungan para sa lahat. " * 40  # over 1,000 characters
    sent = {"clauses-0-text_fil": too_long, "clauses-1-text_en": "", "new_key": "share_with_partners",
            "new_text_en": "Partners may read my words."}

    html = client.post(url, data=_as_shown(client.get(url), **sent)).get_data(as_text=True)

    assert _summary_of(html) == [
        ("clauses-0-text_fil", "Statement 1 in Filipino: You wrote 1,039 characters; use at most 1,000."),
        ("clauses-1-text_en", "Statement 2 in English: Write each statement in English and in Filipino."),
        ("new_text_fil", "New statement in Filipino: Write each statement in English and in Filipino."),
    ]
    for box in ("clauses-0-text_fil", "clauses-1-text_en", "new_text_fil"):
        assert _marked_invalid(html, box)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1


def test_the_new_statements_key_says_when_it_is_needed_rather_than_optional(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)

    html = client.get(url).get_data(as_text=True)

    assert '<label for="new_key">Short key of the new statement</label>' in html and "(optional)" not in html
    assert ('<p class="hint" id="new_key-hint">Needed only when you add a statement: lowercase letters, with _ '
            "between words, such as share_with_partners.</p>") in html
    assert re.search(r'<input[^>]*aria-describedby="new_key-hint"[^>]*id="new_key"', html)


def _summary_of(html: str) -> list[tuple[str, str]]:
    """Each problem the error summary lists: the id of the box it leads to, and what it says."""
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    return re.findall(r'<a href="#([\w-]+)">([^<]*)</a>', summary)


def _marked_invalid(html: str, box: str) -> bool:
    """The box is marked invalid and described by its error."""
    return bool(re.search(rf'<(?:textarea|input)[^>]*aria-describedby="[^"]*{box}-error"[^>]*aria-invalid="true"'
                          rf'[^>]*id="{box}"', html))


def test_other_facilitators_cannot_change_it(client, make, login):
    roundtable = make.roundtable()
    login(make.user("facilitator"))
    assert client.get(f"/facilitator/roundtables/{roundtable.id}/consent").status_code == 404


def test_a_refusal_is_shown_beside_the_statement_it_is_about(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    keys = [c.key for c in roundtable.current_clauses()]

    html = client.post(url, data=_as_shown(client.get(url), **{"clauses-0-text_en": ""})
                       ).get_data(as_text=True)
    assert re.search(r'<a href="#clauses-0-text_en">[^<:]+: Write each statement in English and in Filipino.</a>', html)
    assert re.search(r'<textarea[^>]*aria-describedby="clauses-0-text_en-error"[^>]*aria-invalid="true"', html)

    quoting = keys.index("quote_publicly")
    html = client.post(url, data=_as_shown(client.get(url), **{f"clauses-{quoting}-required": "y"})
                       ).get_data(as_text=True)
    assert f'<a href="#clauses-{quoting}-required">' in html
    assert re.search(rf'<input[^>]*aria-describedby="clauses-{quoting}-required-error"', html)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1


def test_a_consent_form_page_opened_before_another_save_shows_that_version_instead_of_dropping_it(client, make,
                                                                                                  login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    first_tab, second_tab = client.get(url), client.get(url)
    added = _as_shown(first_tab, new_key="share_with_partners", new_text_en="Partners may read my words.",
                      new_text_fil="Maaaring basahin ng mga katuwang ang aking mga salita.")
    assert client.post(url, data=added).status_code == 302

    refused = client.post(url, data=_as_shown(second_tab, **{"clauses-0-text_en": "I take part, freely."}))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "it is now version 2" in html
    assert "Partners may read my words." in html and "I take part, freely." in html
    assert 'Saved now: <span lang="en">I choose to take part' in html and 'href="#new_key"' not in html
    db.session.expire_all()
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2

    assert client.post(url, data=_as_shown(refused)).status_code == 302, "seen, it saves"
    roundtable = db.session.get(Roundtable, roundtable.id)
    texts = {c.key: c.text_en for c in roundtable.current_clauses()}
    assert roundtable.consent_version == 3
    assert texts["take_part"] == "I take part, freely."
    assert texts["share_with_partners"] == "Partners may read my words."


def test_a_statement_missing_from_what_was_sent_is_kept_not_removed(client, make, login):
    roundtable = make.roundtable()
    login(roundtable.facilitator)
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    data = _as_shown(client.get(url), **{"clauses-0-text_en": "I take part, freely."})
    sent = {name: value for name, value in data.items() if not name.startswith(("clauses-2-", "clauses-3-"))}
    assert client.post(url, data=sent).status_code == 302
    roundtable = db.session.get(Roundtable, roundtable.id)
    assert [c.key for c in roundtable.current_clauses()] == [c.key for c in roundtable.clauses if c.version == 1]


def _editing_the_consent_form(client, make, login):
    """A roundtable's facilitator, signed in and reading English, and the address of its consent-form editor."""
    roundtable = make.roundtable()
    client.get("/language/en")
    login(roundtable.facilitator)
    return roundtable, f"/facilitator/roundtables/{roundtable.id}/consent"


def test_a_stale_page_is_told_of_a_statement_removed_or_made_required_there_and_keeps_what_it_sends(client, make,
                                                                                                    login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    reviewing = [c.key for c in roundtable.current_clauses()].index("review_quotes")
    assert client.post(url, data=_as_shown(client.get(url), new_key="extra_one", new_text_en="One more.",
                                           new_text_fil="Isa pa.")).status_code == 302
    first_tab, second_tab = client.get(url), client.get(url)
    made_required = {f"clauses-{reviewing}-remove": "y", f"clauses-{reviewing + 1}-required": "y"}  # extra_one
    assert client.post(url, data=_as_shown(second_tab, **made_required)).status_code == 302

    refused = client.post(url, data=_as_shown(first_tab, **{
        f"clauses-{reviewing}-text_en": "I want to review quotes of my words first."}))
    html = refused.get_data(as_text=True)
    assert "The other page removed this statement." in html
    assert "Saved now: required to take part" in html.split('value="extra_one"')[1]
    assert "aria-invalid" not in html, "what another page saved is said, not marked as a mistake"

    assert client.post(url, data=_as_shown(refused)).status_code == 302
    roundtable = db.session.get(Roundtable, roundtable.id)
    statements = {c.key: c for c in roundtable.current_clauses()}
    assert statements["review_quotes"].text_en == "I want to review quotes of my words first.", "not removed here"
    assert not statements["extra_one"].required, "seen and sent again as it was here"


def test_a_stale_page_adding_exactly_the_statement_another_page_added_loses_nothing_and_makes_no_version(
    client, make, login
):
    roundtable, url = _editing_the_consent_form(client, make, login)
    first_tab, second_tab = client.get(url), client.get(url)
    new = {"new_key": "share_partners", "new_text_en": "Partners may read my words.",
           "new_text_fil": "Maaaring basahin ng mga katuwang ang aking mga salita."}
    assert client.post(url, data=_as_shown(second_tab, **new)).status_code == 302

    response = client.post(url, data=_as_shown(first_tab, **new))

    assert response.status_code == 302, "what it sends is what is saved now"
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2
    worded_otherwise = client.post(url, data=_as_shown(first_tab, **{**new, "new_text_en": "Partners may read it."}))
    html = worded_otherwise.get_data(as_text=True)
    assert "it is now version 2" in html and "already has a statement with this key" not in html
    assert 'value="share_partners"' in html, "the other page's statement is a row of the form now"


@pytest.mark.parametrize("altered", ["key left out", "key sent twice", "key the form never had"])
def test_a_consent_form_sent_without_a_statements_key_or_with_one_twice_is_refused_calmly(client, make, login,
                                                                                          altered):
    roundtable, url = _editing_the_consent_form(client, make, login)
    sent = _as_shown(client.get(url), **{"clauses-0-text_en": "I agree to take part, with changes."})
    if altered == "key left out":
        del sent["clauses-1-key"]
    elif altered == "key sent twice":
        sent["clauses-1-key"] = sent["clauses-0-key"]
    else:  # it made a second required statement worded as take_part's, beside take_part kept as it was
        sent["clauses-0-key"] = "zzz"

    refused = client.post(url, data=sent)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "This page came back incomplete, so nothing was saved." in html
    db.session.refresh(roundtable)
    assert roundtable.consent_version == 1


@pytest.mark.parametrize("version", ["0", "999"])
def test_a_consent_form_sent_for_a_version_never_made_is_refused_not_said_saved(client, make, login, version):
    roundtable, url = _editing_the_consent_form(client, make, login)

    refused = client.post(url, data=_as_shown(client.get(url), version=version))

    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "This page came back incomplete, so nothing was saved." in html
    assert "is now version" not in html
    db.session.refresh(roundtable)
    assert roundtable.consent_version == 1


@pytest.mark.parametrize(("someone_reviews", "quoting_stays", "refused"), [
    (True, True, True),
    (False, True, False),  # no one asked: nothing is lost
    (True, False, False),  # public quotes leave the form too: no quote is made to review
])
def test_reviewing_quotes_stays_on_the_form_while_someone_asked_for_it_and_quotes_are_asked(
    client, make, login, someone_reviews, quoting_stays, refused
):
    roundtable = make.roundtable()
    make.participant(roundtable, grants=("take_part", "store_words", "quote_publicly")
                     + (("review_quotes",) if someone_reviews else ()))
    client.get("/language/en")
    login(roundtable.facilitator)
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    keys = [c.key for c in roundtable.current_clauses()]
    data = _as_shown(client.get(url), **{f"clauses-{keys.index('review_quotes')}-remove": "y"})
    if not quoting_stays:
        data.update({f"clauses-{keys.index('quote_publicly')}-remove": "y", "confirmed": "yes"})  # asked, and said yes

    response = client.post(url, data=data)

    html = response.get_data(as_text=True)
    assert ("asked to see every quote of their words before it is used" in html) is refused
    assert db.session.get(Roundtable, roundtable.id).consent_version == (1 if refused else 2)
    if refused:
        assert f'<a href="#clauses-{keys.index("review_quotes")}-remove">' in html


def test_public_quotes_taken_off_and_put_back_cannot_end_a_review_someone_asked_for(client, make, login):
    """Their answer to the first version counts until they answer again: the guard looks at what they chose."""
    roundtable = make.roundtable()
    make.participant(roundtable, grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    client.get("/language/en")
    login(roundtable.facilitator)
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    keys = [c.key for c in roundtable.current_clauses()]
    quoting = next(c for c in roundtable.current_clauses() if c.key == "quote_publicly")
    both_off = _as_shown(client.get(url), **{f"clauses-{keys.index('review_quotes')}-remove": "y",
                                             f"clauses-{keys.index('quote_publicly')}-remove": "y", "confirmed": "yes"})
    assert client.post(url, data=both_off).status_code == 302  # no public quotes: no quote to review

    put_back = client.post(url, data=_as_shown(client.get(url), new_key="quote_publicly", new_text_en=quoting.text_en,
                                               new_text_fil=quoting.text_fil))

    assert "asked to see every quote of their words before it is used" in put_back.get_data(as_text=True)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2


def test_a_consent_form_sent_twice_makes_one_version_and_says_so(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    sent = _as_shown(client.get(url), new_key="snacks_ok", new_text_en="Snacks are fine during the roundtable.",
                     new_text_fil="Puwede ang meryenda habang nag-uusap.")

    first, second = client.post(url, data=sent), client.post(url, data=sent)  # a double click, or Back and Save

    assert first.status_code == second.status_code == 302
    assert "The consent form is now version 2." in client.get(second.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2


def test_a_consent_form_sent_twice_at_once_makes_one_version_and_tells_of_no_other_page(app, make, login):
    """The second sending waits for the first's lock, then finds the statements the first saved: its own."""
    roundtable = make.roundtable()
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    first, second = app.test_client(), app.test_client()  # one facilitator, two requests in flight
    for browser in (first, second):
        browser.get("/language/en")
        login(roundtable.facilitator, on=browser)
    sent = _as_shown(first.get(url), new_key="snacks_ok", new_text_en="Snacks are fine during the roundtable.",
                     new_text_fil="Puwede ang meryenda habang nag-uusap.")
    sent["csrf_token"] = csrf_token_of(second.get(url))  # each browser's own token: the same form otherwise
    sent_first = {**sent, "csrf_token": csrf_token_of(first.get(url))}

    answers = at_once(lambda: first.post(url, data=sent_first), lambda: second.post(url, data=sent))

    assert [answer.status_code for answer in answers] == [302, 302]
    assert "saved on another page" not in " ".join(answer.get_data(as_text=True) for answer in answers)
    db.session.expire_all()
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2


def test_a_key_already_on_the_form_is_refused_as_taken(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)

    html = client.post(url, data=_as_shown(client.get(url), new_key="internal_use", new_text_en="Again.",
                                           new_text_fil="Muli.")).get_data(as_text=True)

    assert "The form already has a statement with this key. Choose another key." in html
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1


def test_taking_public_quotes_off_the_form_is_asked_first_and_saying_no_keeps_the_other_changes(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    make.quote(make.reflection(make.participant(roundtable), status="released"))
    quoting = [c.key for c in roundtable.current_clauses()].index("quote_publicly")
    sent = _as_shown(client.get(url), new_key="snacks_ok", new_text_en="Snacks are fine during the roundtable.",
                     new_text_fil="Puwede ang meryenda habang nag-uusap.", **{f"clauses-{quoting}-remove": "y"})

    asked = client.post(url, data=sent)

    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "<h1>Remove the statement on public quotes?</h1>" in html
    assert "1 quote of this roundtable's words is in use or being made now." in html
    assert 'value="Snacks are fine during the roundtable."' in html, "the whole form, sent again by either answer"
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1
    kept = client.post(url, data={**shown_fields_of(asked), "confirmed": "no"})
    html = kept.get_data(as_text=True)
    assert "The statement on public quotes stays on the form. Your other changes are below, not saved yet." in html
    assert "Snacks are fine during the roundtable.</textarea>" in html
    assert re.search(rf'<input[^>]* name="clauses-{quoting}-remove"', html)
    assert not re.search(rf'<input[^>]*checked[^>]* name="clauses-{quoting}-remove"', html), "the statement stays"
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1
    removed = client.post(url, data={**shown_fields_of(asked), "confirmed": "yes"})
    assert removed.status_code == 302
    assert "quote_publicly" not in [c.key for c in db.session.get(Roundtable, roundtable.id).current_clauses()]


def test_a_form_that_could_not_be_saved_is_refused_before_the_question_on_public_quotes(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    quoting = [c.key for c in roundtable.current_clauses()].index("quote_publicly")

    refused = client.post(url, data=_as_shown(client.get(url), **{f"clauses-{quoting}-remove": "y",
                                                                   "clauses-0-text_en": ""}))

    html = refused.get_data(as_text=True)
    assert "Write each statement in English and in Filipino." in html and "Remove the statement on public" not in html


def test_a_new_statement_typed_without_its_key_is_refused_not_left_out(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)

    refused = client.post(url, data=_as_shown(client.get(url), new_text_en="Partners may read my words.",
                                              new_text_fil="Maaaring basahin ng mga katuwang ang aking mga salita."))

    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and '<a href="#new_key">' in html
    assert "Each statement needs its own short key of lowercase letters." in html
    assert "Partners may read my words.</textarea>" in html
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1


def test_asking_to_review_quotes_as_the_statement_is_taken_off_the_form_never_ends_with_both(app, make, login, csrf):
    """The participant's "Allow" and the facilitator's save take turns on the roundtable's row: either the save
    sees the request and is refused, or the request finds the new form and is refused. Never both saved, which
    left a request to review quotes under a form without it, unseen by the guard, and then lost."""
    outcomes = set()
    for _round in range(12):
        roundtable = make.roundtable()
        me = make.participant(roundtable, language="en", grants=("take_part", "store_words", "quote_publicly"))
        db.session.commit()
        author, facilitator = app.test_client(), app.test_client()
        page = author.get("/return")
        author.post("/return", data={"passphrase": me.passphrase, "csrf_token": csrf(page)})
        allow = {"csrf_token": csrf(author.get("/my")), "key": "review_quotes", "grant": "1"}
        login(roundtable.facilitator, on=facilitator)
        url = f"/facilitator/roundtables/{roundtable.id}/consent"
        keys = [c.key for c in roundtable.current_clauses()]
        drop = _as_shown(facilitator.get(url), **{f"clauses-{keys.index('review_quotes')}-remove": "y"})

        at_once(lambda: author.post("/my/consent", data=allow), lambda: facilitator.post(url, data=drop))

        db.session.expire_all()
        stored = db.session.get(Roundtable, roundtable.id)
        dropped = "review_quotes" not in {c.key for c in stored.current_clauses()}
        asked = "review_quotes" in consent.current_grants(db.session.get(type(me), me.id))
        assert not (dropped and asked), f"round {_round}: both saved"
        outcomes.add((dropped, asked))
    assert outcomes, "every round ran"


PHOTOS = consent.ClauseDraft("meeting_photos", "I may be photographed at the meeting without my face.",
                             "Maaari akong kunan ng larawan sa pulong nang hindi kita ang aking mukha.", False)
TAKING_PART = ("take_part", "store_words")


def _with_photos(roundtable):
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, [*drafts, PHOTOS], seen=roundtable.consent_version)
    db.session.commit()
    return [c.key for c in roundtable.current_clauses()].index(PHOTOS.key)


def _left_at_the_passphrase(roundtable, grants):
    from roundtable.services import participation

    participation.join(roundtable, language="en", pseudonym="Heron Dalawa", granted=set(grants), adult_confirmed=True,
                       join_key="a-join-left-unfinished")
    db.session.commit()


def test_making_a_statement_required_after_people_said_no_to_it_is_asked_first_and_going_back_keeps_the_edits(
        client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    photos = _with_photos(roundtable)
    for grants in (TAKING_PART, TAKING_PART, (*TAKING_PART, PHOTOS.key)):
        make.participant(roundtable, grants=grants)
    _left_at_the_passphrase(roundtable, TAKING_PART)  # not in the room: said apart
    sent = _as_shown(client.get(url), **{f"clauses-{photos}-required": "y", "clauses-0-text_en": "I take part."})

    asked = client.post(url, data=sent)

    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "<h1>Make this statement required?</h1>" in html
    said_no = re.search(r'<ul id="said-no">(.*?)</ul>', html, re.S).group(1)
    assert PHOTOS.text_en in said_no and "2 people taking part said no to it." in said_no
    assert "1 person who started joining but did not finish said no to it." in said_no
    assert "whoever said no must then agree to each required statement" in html
    assert "take back all their words" in html
    assert "Yes, make it required" in html and "No, go back to the form" in html
    assert "Remove the statement on public quotes" not in html
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2

    back = client.post(url, data={**shown_fields_of(asked), "confirmed": "no"})
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and "Nothing was saved yet. Your changes are below" in html
    assert "I take part.</textarea>" in html
    assert re.search(rf'<input[^>]*checked[^>]* name="clauses-{photos}-required"', html), "the tick is kept too"
    assert 'name="confirmed"' not in html, "saved again from here, it is asked again"
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2
    assert client.post(url, data=shown_fields_of(back)).status_code == 200

    saved = client.post(url, data={**shown_fields_of(asked), "confirmed": "yes"})
    assert saved.status_code == 302
    roundtable = db.session.get(Roundtable, roundtable.id)
    assert roundtable.consent_version == 3
    assert next(c for c in roundtable.current_clauses() if c.key == PHOTOS.key).required


def test_someone_who_said_no_and_left_the_join_unfinished_is_asked_about_too(client, make, login):
    """Back with their passphrase, they take part and face the statement made required: the facilitator is told."""
    roundtable, url = _editing_the_consent_form(client, make, login)
    photos = _with_photos(roundtable)
    make.participant(roundtable, grants=(*TAKING_PART, PHOTOS.key))
    _left_at_the_passphrase(roundtable, TAKING_PART)

    asked = client.post(url, data=_as_shown(client.get(url), **{f"clauses-{photos}-required": "y"}))

    assert asked.status_code == 200, "asked first, not saved at once"
    said_no = re.search(r'<ul id="said-no">(.*?)</ul>', asked.get_data(as_text=True), re.S).group(1)
    assert "1 person who started joining but did not finish said no to it." in said_no
    assert "If they come back with their passphrase, they are asked too." in said_no
    assert "taking part said no" not in said_no, "no one taking part now said no"
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2
    client.get("/language/fil")
    html = client.post(url, data={**shown_fields_of(asked)}).get_data(as_text=True)
    assert "did not finish" not in html and "nagsimulang sumali pero hindi natapos" in html


def test_going_back_to_the_question_after_yes_and_answering_no_says_the_changes_were_saved(client, make, login):
    """QA r10 #5: "Yes", the browser's Back, then "No, go back to the form" said "Nothing was saved yet" over the
    edits saved already, with the older version's mark (saved again, they were refused as saved on another page)."""
    roundtable, url = _editing_the_consent_form(client, make, login)
    photos = _with_photos(roundtable)
    make.participant(roundtable, grants=TAKING_PART)
    asked = client.post(url, data=_as_shown(client.get(url), **{f"clauses-{photos}-required": "y",
                                                                "clauses-0-text_en": "I take part."}))
    assert client.post(url, data={**shown_fields_of(asked), "confirmed": "yes"}).status_code == 302

    back = client.post(url, data={**shown_fields_of(asked), "confirmed": "no"})

    assert back.status_code == 302 and back.headers["Location"].endswith(url)
    html = client.get(back.headers["Location"]).get_data(as_text=True)
    assert "These changes were saved already: the consent form is now version 3" in html
    assert "Nothing was saved yet" not in html
    assert re.search(r'<input[^>]*name="version"[^>]*value="3"|<input[^>]*value="3"[^>]*name="version"', html)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 3


def test_answering_no_after_another_page_saved_a_version_says_so_at_once_and_keeps_the_edits(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    photos = _with_photos(roundtable)
    make.participant(roundtable, grants=TAKING_PART)
    other_tab = client.get(url)
    asked = client.post(url, data=_as_shown(client.get(url), **{f"clauses-{photos}-required": "y"}))
    assert client.post(url, data=_as_shown(other_tab, **{"clauses-0-text_en": "I take part."})).status_code == 302

    back = client.post(url, data={**shown_fields_of(asked), "confirmed": "no"})

    html = back.get_data(as_text=True)
    assert back.status_code == 200 and "saved on another page after you opened this one: it is now version 3" in html
    assert "Nothing was saved yet" not in html
    assert re.search(rf'<input[^>]*checked[^>]* name="clauses-{photos}-required"', html), "the tick is kept"
    assert re.search(r"Saved now: (<span[^>]*>)?I take part\.", html), "what the other page saved is shown"
    assert client.post(url, data=shown_fields_of(back)).status_code == 200, "asked again about the tick"


def test_a_statement_no_one_taking_part_said_no_to_is_made_required_at_once(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    photos = _with_photos(roundtable)
    make.participant(roundtable, grants=(*TAKING_PART, PHOTOS.key))
    withdrawal.withdraw_all(make.participant(roundtable, grants=TAKING_PART), erase=False)
    db.session.commit()

    response = client.post(url, data=_as_shown(client.get(url), **{f"clauses-{photos}-required": "y"}))

    assert response.status_code == 302
    assert db.session.get(Roundtable, roundtable.id).consent_version == 3


def test_a_no_given_under_an_earlier_version_counts_and_each_statement_is_named(make):
    roundtable = make.roundtable()
    _with_photos(roundtable)
    make.participant(roundtable, grants=TAKING_PART)  # said no to the photos and to internal use, under version 2
    drafts = [consent.ClauseDraft(c.key, c.text_en + " (reworded)", c.text_fil, c.required)
              for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)
    recording = consent.ClauseDraft("audio_record", "The meeting may be recorded.", "Maaaring i-record ang pulong.",
                                    True)  # new and required: not a change from optional

    asked = consent.made_required_after_no(roundtable, [
        consent.ClauseDraft(d.key, d.text_en, d.text_fil, True if d.key == PHOTOS.key else d.required)
        for d in drafts] + [recording])

    assert [(item.clause.key, item.clause.version, item.said_no, item.unfinished) for item in asked] == [
        (PHOTOS.key, 3, 1, 0)]
    assert consent.made_required_after_no(roundtable, drafts) == []


def test_the_question_on_a_statement_made_required_is_asked_in_filipino(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    photos = _with_photos(roundtable)
    make.participant(roundtable, grants=TAKING_PART)
    client.get("/language/fil")

    html = client.post(url, data=_as_shown(client.get(url), **{f"clauses-{photos}-required": "y"})).get_data(
        as_text=True)

    said_no = re.search(r'<ul id="said-no">(.*?)</ul>', html, re.S).group(1)
    assert PHOTOS.text_fil in said_no and PHOTOS.text_en not in said_no
    assert "<h1>Make this statement required?</h1>" not in html and "said no to it" not in html
    assert "No, go back to the form" not in html and "Hindi, bumalik sa form" in html


def test_removing_public_quotes_and_making_a_statement_required_are_asked_on_one_page(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    photos = _with_photos(roundtable)
    make.participant(roundtable, grants=TAKING_PART)
    make.participant(roundtable, grants=TAKING_PART)
    quoting = [c.key for c in roundtable.current_clauses()].index("quote_publicly")
    sent = _as_shown(client.get(url), **{f"clauses-{photos}-required": "y", f"clauses-{quoting}-remove": "y"})

    asked = client.post(url, data=sent)

    html = asked.get_data(as_text=True)
    assert "<h1>Save these changes to the consent form?</h1>" in html
    assert "their quotes are taken back" in html and "2 people taking part said no to it." in html
    assert "Yes, save these changes" in html
    back = client.post(url, data={**shown_fields_of(asked), "confirmed": "no"}).get_data(as_text=True)
    assert re.search(rf'<input[^>]*checked[^>]* name="clauses-{quoting}-remove"', back), "as it was typed"
    assert re.search(rf'<input[^>]*checked[^>]* name="clauses-{photos}-required"', back)
    assert client.post(url, data={**shown_fields_of(asked), "confirmed": "yes"}).status_code == 302
    keys = {c.key: c.required for c in db.session.get(Roundtable, roundtable.id).current_clauses()}
    assert "quote_publicly" not in keys and keys[PHOTOS.key]


RECORDING = {"new_key": "audio_record", "new_text_en": "The meeting may be recorded for the notes of the court visit.",
             "new_text_fil": "Maaaring i-record ang pulong para sa mga tala ng pagbisita sa korte.",
             "new_required": "y"}


def test_adding_a_statement_as_required_once_people_joined_is_asked_first_and_going_back_keeps_the_edits(
        client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    make.participant(roundtable, grants=TAKING_PART)
    make.participant(roundtable, grants=(*TAKING_PART, "quote_publicly"))
    withdrawal.withdraw_all(make.participant(roundtable, grants=TAKING_PART), erase=False)
    db.session.commit()
    _left_at_the_passphrase(roundtable, TAKING_PART)
    sent = _as_shown(client.get(url), **RECORDING, **{"clauses-0-text_en": "I take part."})

    asked = client.post(url, data=sent)

    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "<h1>Add this statement as required?</h1>" in html
    added = re.search(r'<ul id="added-required">(.*?)</ul>', html, re.S).group(1)
    assert RECORDING["new_text_en"] in added and "audio_record" in added
    joined = re.search(r'<p id="joined">(.*?)</p>', html, re.S).group(1)
    assert "2 people have joined this roundtable." in joined, "who withdrew is not asked"
    assert "1 person started joining but did not finish. If they come back with their passphrase" in joined
    assert "each of them must then agree to every statement added as required" in html
    assert "take back all their words" in html
    assert "Yes, add it as required" in html and "No, go back to the form" in html
    assert "said no to it" not in html and "Remove the statement on public quotes" not in html
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1

    back = client.post(url, data={**shown_fields_of(asked), "confirmed": "no"})
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and "Nothing was saved yet. Your changes are below" in html
    assert "I take part.</textarea>" in html and f'{RECORDING["new_text_fil"]}</textarea>' in html
    assert re.search(r'<input[^>]*checked[^>]*name="new_required"|<input[^>]*name="new_required"[^>]*checked', html)
    assert 'name="confirmed"' not in html, "saved again from here, it is asked again"
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1
    assert client.post(url, data=shown_fields_of(back)).status_code == 200

    saved = client.post(url, data={**shown_fields_of(asked), "confirmed": "yes"})
    assert saved.status_code == 302
    roundtable = db.session.get(Roundtable, roundtable.id)
    assert roundtable.consent_version == 2
    assert next(c for c in roundtable.current_clauses() if c.key == "audio_record").required


@pytest.mark.parametrize("someone_joined, required", [(False, True), (True, False)])
def test_a_statement_added_before_anyone_joined_or_as_optional_is_saved_at_once(client, make, login,
                                                                               someone_joined, required):
    roundtable, url = _editing_the_consent_form(client, make, login)
    if someone_joined:
        make.participant(roundtable, grants=TAKING_PART)
    typed = {**RECORDING, "new_required": "y" if required else ""}

    response = client.post(url, data=_as_shown(client.get(url), **typed))

    assert response.status_code == 302
    assert db.session.get(Roundtable, roundtable.id).consent_version == 2


def test_the_question_on_a_statement_added_as_required_is_asked_in_filipino(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    make.participant(roundtable, grants=TAKING_PART)
    client.get("/language/fil")

    html = client.post(url, data=_as_shown(client.get(url), **RECORDING)).get_data(as_text=True)

    added = re.search(r'<ul id="added-required">(.*?)</ul>', html, re.S).group(1)
    assert RECORDING["new_text_fil"] in added and RECORDING["new_text_en"] not in added
    assert "1 tao ang sumali na sa talakayang ito." in html
    assert "Add this statement as required?" not in html and "Idagdag ang pahayag na ito bilang kailangan?" in html
    assert "Oo, idagdag ito bilang kailangan" in html and "Hindi, bumalik sa form" in html


def test_adding_a_required_statement_and_making_another_required_are_asked_on_one_page(client, make, login):
    roundtable, url = _editing_the_consent_form(client, make, login)
    photos = _with_photos(roundtable)
    make.participant(roundtable, grants=TAKING_PART)

    asked = client.post(url, data=_as_shown(client.get(url), **RECORDING, **{f"clauses-{photos}-required": "y"}))

    html = asked.get_data(as_text=True)
    assert "<h1>Save these changes to the consent form?</h1>" in html
    assert "<h2>Statements made required</h2>" in html and "<h2>Statements added as required</h2>" in html
    assert "1 person taking part said no to it." in html and "1 person has joined this roundtable." in html
    assert "Yes, save these changes" in html
    assert client.post(url, data={**shown_fields_of(asked), "confirmed": "yes"}).status_code == 302
    keys = {c.key: c.required for c in db.session.get(Roundtable, roundtable.id).current_clauses()}
    assert keys[PHOTOS.key] and keys["audio_record"]


def test_statements_added_as_required_are_told_with_who_joined_and_who_stopped_at_the_passphrase(make):
    roundtable = make.roundtable()
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    recording = consent.ClauseDraft("audio_record", "The meeting may be recorded.", "Maaaring i-record ang pulong.",
                                    True)
    assert consent.added_as_required(roundtable, [*drafts, recording]) is None, "no one joined: no one to ask"
    _left_at_the_passphrase(roundtable, TAKING_PART)
    make.participant(roundtable, grants=TAKING_PART)

    asked = consent.added_as_required(roundtable, [*drafts, recording, PHOTOS])

    assert asked == consent.AddedAsRequired([recording], joined=1, unfinished=1), "an optional one asks nothing"
    assert consent.added_as_required(roundtable, drafts) is None
