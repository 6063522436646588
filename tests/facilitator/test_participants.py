"""A facilitator sees who joined their roundtable, and who said no to a statement they honour in person."""

import itertools
import re

from roundtable.db import db
from roundtable.services import consent, withdrawal

RECORDING = consent.ClauseDraft("audio_record", "The facilitator may record the spoken part of the meeting.",
                                "Maaaring i-record ng tagapagdaloy ang bahaging sinasalita ng pulong.", False)
TAKING_PART = ("take_part", "store_words")


def _with_recording(roundtable):
    drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, roundtable.facilitator, [*drafts, RECORDING], seen=roundtable.consent_version)
    db.session.commit()
    return roundtable


def _page(client, roundtable, language="en", **query):
    client.get(f"/language/{language}")
    response = client.get(f"/facilitator/roundtables/{roundtable.id}/participants", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _counts(html):
    """Each statement's yes and no, by its key."""
    return {key: (int(yes), int(no)) for key, yes, no in re.findall(
        r'<tr data-key="(\w+)"><th scope="row">.*?</th><td>(\d+)</td><td>(\d+)</td></tr>', html, re.S)}


def _names_under(html):
    """The names of the list, under the heading each is listed under."""
    found = {}
    for heading, names in re.findall(r"<h3>\s*(?:<span>)?([^<]+?)(?:</span>)?\s*</h3>\s*<ul>(.*?)</ul>", html, re.S):
        found[heading] = re.findall(r"<li>([^<]+)</li>", names)
    return found


def _joined_and_answered(html):
    joined = re.search(r'<dd id="joined">(\d+)</dd>', html).group(1)
    answered = re.search(r'<dd id="answered">([^<]+)</dd>', html).group(1)
    return int(joined), answered


def test_the_facilitator_sees_who_said_no_to_recording_and_how_many_joined_and_answered(client, make, login):
    facilitator = make.user("facilitator")
    roundtable = _with_recording(make.roundtable(facilitator))
    recorded = make.participant(roundtable, grants=(*TAKING_PART, "internal_use", "audio_record"))
    not_recorded = make.participant(roundtable, grants=(*TAKING_PART, "internal_use", "quote_publicly"))
    login(facilitator)

    html = _page(client, roundtable)

    assert _joined_and_answered(html) == (2, "2 of 2")
    assert _counts(html) == {"take_part": (2, 0), "store_words": (2, 0), "internal_use": (2, 0),
                             "quote_publicly": (1, 1), "review_quotes": (0, 2), "audio_record": (1, 1)}
    assert _names_under(html) == {RECORDING.text_en: [not_recorded.pseudonym]}
    assert recorded.pseudonym not in html  # who declined public quotes or review is nobody's business here
    roundtable_page = client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)
    assert f'href="/facilitator/roundtables/{roundtable.id}/participants"' in roundtable_page


def test_the_page_follows_a_changed_answer_a_new_form_and_a_withdrawal(client, make, login):
    facilitator = make.user("facilitator")
    roundtable = _with_recording(make.roundtable(facilitator))
    changing = make.participant(roundtable, grants=(*TAKING_PART, "internal_use", "audio_record"))
    leaving = make.participant(roundtable, grants=(*TAKING_PART, "internal_use"))
    login(facilitator)
    assert _names_under(_page(client, roundtable)) == {RECORDING.text_en: [leaving.pseudonym]}

    consent.change_clause(changing, "audio_record", grant=False)
    db.session.commit()
    html = _page(client, roundtable)
    assert _counts(html)["audio_record"] == (0, 2)
    assert _names_under(html) == {RECORDING.text_en: sorted([changing.pseudonym, leaving.pseudonym])}

    withdrawal.withdraw_all(leaving, erase=False)
    db.session.commit()
    html = _page(client, roundtable)
    assert _joined_and_answered(html) == (1, "1 of 1")
    assert _counts(html)["audio_record"] == (0, 1)
    assert leaving.pseudonym not in html

    drafts = [consent.ClauseDraft(c.key, c.text_en + " (reworded)", c.text_fil, c.required)
              for c in roundtable.current_clauses()]
    consent.new_form_version(roundtable, facilitator, drafts, seen=roundtable.consent_version)
    db.session.commit()
    html = _page(client, roundtable)
    assert _joined_and_answered(html) == (1, "0 of 1")
    assert _counts(html)["audio_record"] == (0, 0)
    assert _names_under(html) == {"Not answered version 3 yet": [changing.pseudonym],  # and their "no" holds:
                                  RECORDING.text_en + " (reworded)": [changing.pseudonym]}


def test_the_page_speaks_filipino(client, make, login):
    facilitator = make.user("facilitator")
    roundtable = _with_recording(make.roundtable(facilitator))
    declining = make.participant(roundtable, grants=TAKING_PART)
    login(facilitator)

    html = _page(client, roundtable, language="fil")

    internal_use = next(c.text_fil for c in roundtable.current_clauses() if c.key == "internal_use")
    assert _names_under(html) == {internal_use: [declining.pseudonym], RECORDING.text_fil: [declining.pseudonym]}
    assert "Mga kalahok at pahintulot" in html and "Sino ang tumanggi" in html
    assert "Participants and consent" not in html and "Who said no" not in html


def test_a_long_list_of_names_comes_a_page_at_a_time(client, make, login):
    facilitator = make.user("facilitator")
    roundtable = _with_recording(make.roundtable(facilitator))
    people = sorted(make.participant(roundtable, grants=TAKING_PART).pseudonym for _ in range(26))  # 52 "no"s
    login(facilitator)

    first = _page(client, roundtable)
    second = _page(client, roundtable, page=2)

    assert _names_under(first) == {"Staff of the organisation may read my words to learn from them and improve "
                                   "their work.": people, RECORDING.text_en: people[:24]}
    assert _names_under(second) == {RECORDING.text_en: people[24:]}
    assert f'href="/facilitator/roundtables/{roundtable.id}/participants?page=2"' in first
    past_the_end = client.get(f"/facilitator/roundtables/{roundtable.id}/participants?page=9")
    assert past_the_end.status_code == 302 and past_the_end.headers["Location"].endswith("/participants?page=2")


def test_a_roundtable_no_one_joined_says_so(client, make, login):
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    login(facilitator)

    html = _page(client, roundtable)

    assert _joined_and_answered(html) == (0, "0 of 0")
    assert "No one has joined yet." in html


def test_past_the_date_to_erase_words_the_page_does_not_promise_to_ask_anyone(client, make, login):
    from datetime import timedelta

    from roundtable import clock

    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    make.participant(roundtable)
    login(facilitator)
    assert "is asked the next time they open" in _page(client, roundtable)

    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    html = _page(client, roundtable)

    assert "is asked the next time they open" not in html and "so no one is asked any more." in html


def test_a_roundtable_whose_people_all_withdrew_does_not_say_no_one_joined(client, make, login):
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    for _ in range(2):
        withdrawal.withdraw_all(make.participant(roundtable), erase=False)
    db.session.commit()
    login(facilitator)

    html = _page(client, roundtable)

    assert _joined_and_answered(html) == (0, "0 of 0")
    assert "No one is taking part now: the 2 people who joined withdrew." in html
    assert "No one has joined yet." not in html


def test_only_the_roundtables_facilitator_opens_it(app, make, login):
    roundtable = make.roundtable()
    make.participant(roundtable)
    url = f"/facilitator/roundtables/{roundtable.id}/participants"

    for role, answer in (("facilitator", 404), ("editor", 403), ("admin", 403)):  # another facilitator's: not found
        browser = app.test_client()
        login(make.user(role), on=browser)
        assert browser.get(url).status_code == answer, role


_HERONS = itertools.count(1)


def _left_at_the_passphrase(roundtable, grants=TAKING_PART):
    """Someone who went through the join up to the passphrase page, then left without typing two of its words back
    (the join's key is what the join pages send)."""
    import secrets

    from roundtable.services import participation

    participant, _ = participation.join(roundtable, language="en", pseudonym=f"Heron {next(_HERONS)}",
                                        granted=set(grants), adult_confirmed=True, join_key=secrets.token_urlsafe(16))
    db.session.commit()
    return participant


def test_people_who_left_the_join_before_typing_their_passphrase_back_are_neither_counted_nor_listed(
        client, make, login):
    from roundtable.services import participation

    facilitator = make.user("facilitator")
    roundtable = _with_recording(make.roundtable(facilitator))
    in_the_room = make.participant(roundtable, grants=(*TAKING_PART, "internal_use"))
    left = [_left_at_the_passphrase(roundtable) for _ in range(2)]
    login(facilitator)

    html = _page(client, roundtable)

    assert _joined_and_answered(html) == (1, "1 of 1")
    assert _counts(html)["audio_record"] == (0, 1)
    assert _names_under(html) == {RECORDING.text_en: [in_the_room.pseudonym]}
    assert all(person.pseudonym not in html for person in left)
    assert re.search(r'<dd id="unfinished">2</dd>', html)
    roundtable_page = client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)
    assert re.search(r"Joined \(not withdrawn\)</dt><dd>1 \(2 more started joining but did not finish\)",
                     roundtable_page)

    participation.joined(left[0])  # came back with the passphrase: in the room after all
    db.session.commit()
    html = _page(client, roundtable)
    assert _joined_and_answered(html) == (2, "2 of 2")
    assert _names_under(html)[RECORDING.text_en] == sorted([in_the_room.pseudonym, left[0].pseudonym])
    assert re.search(r'<dd id="unfinished">1</dd>', html)


def test_a_roundtable_whose_only_joins_were_left_unfinished_says_no_one_joined_or_withdrew_wrongly(
        client, make, login):
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    _left_at_the_passphrase(roundtable)
    login(facilitator)

    html = _page(client, roundtable)
    assert _joined_and_answered(html) == (0, "0 of 0")
    assert "No one has joined yet." in html and "withdrew" not in html

    withdrawal.withdraw_all(make.participant(roundtable), erase=False)
    db.session.commit()
    html = _page(client, roundtable)
    assert "No one is taking part now: the 1 person who joined withdrew." in html
    assert re.search(r'<dd id="unfinished">1</dd>', html)


def test_the_unfinished_joins_are_said_in_filipino(client, make, login):
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    _left_at_the_passphrase(roundtable)
    login(facilitator)

    html = _page(client, roundtable, language="fil")
    roundtable_page = client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)

    assert "Started joining but did not finish" not in html and "did not finish" not in roundtable_page
    assert re.search(r'<dd id="unfinished">1</dd>', html)


def test_a_new_form_version_does_not_say_anyone_is_asked_again_when_only_an_unfinished_join_answered(make):
    roundtable = make.roundtable()
    _left_at_the_passphrase(roundtable)

    def reworded(n):
        drafts = [consent.ClauseDraft(c.key, c.text_en, c.text_fil, c.required) for c in roundtable.current_clauses()]
        drafts[0] = consent.ClauseDraft(drafts[0].key, f"I take part ({n}).", drafts[0].text_fil, True)
        consent.new_form_version(roundtable, roundtable.facilitator, drafts, seen=roundtable.consent_version)

    reworded(1)
    assert not consent.anyone_asked_again(roundtable)
    make.participant(roundtable)
    reworded(2)
    assert consent.anyone_asked_again(roundtable)
