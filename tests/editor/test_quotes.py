"""The quote builder through HTTP: two editors at once, translations, lists, identifying details."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from roundtable.db import db
from roundtable.models import AuditEvent, Quote
from roundtable.services import curation, moderation, withdrawal
from tests.conftest import (
    csrf_token_of, hidden_fields_of, post_roundtable_edit, sensitive_words_saved,
)
from tests.deployment.live import at_once
from tests.editor.conftest import approve_form_of, quote_of

NAMED = "My cousin Marites recorded the interview in Cebu City and the judge listened."


def form_of(page, quote, **changes):
    body = page.get_data(as_text=True)
    data = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1),
        "version": re.search(r'id="version" name="version" type="hidden" value="(\d+)"', body).group(1),
        "text": quote.text, "language": quote.language, "translation": quote.translation or "",
        "descriptor": quote.descriptor,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("version", ["x", "1e3", "", "99999999999", "²", "１"])
def test_a_version_changed_by_hand_counts_as_changed_meanwhile_and_keeps_the_typing(make, editor, desk, version):
    quote = quote_of(editor, make.reflection(), approve=False)
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")

    response = desk.post(url, data=form_of(desk.get(url), quote, text="The court should let children speak",
                                           version=version))

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Another editor saved this quote while you were editing it." in body and "<title>Error: " in body
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*The court should let children speak</textarea>', body)


def test_the_second_of_two_editors_sees_both_versions_and_loses_nothing(app, make, editor, desk, login):
    other_editor = make.user("editor")
    other = app.test_client()
    login(other_editor, on=other)
    quote = quote_of(editor, make.reflection(), approve=False)
    url = f"/editor/quotes/{quote.id}"

    mine, theirs = desk.get(url), other.get(url)
    response = other.post(url, data=form_of(theirs, quote, text="let children speak from a safe room"))
    assert response.status_code == 302

    response = desk.post(url, data=form_of(mine, quote, text="The court should let children speak"))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<section class="conflict" role="alert">' in body
    saved = re.search(r'<blockquote class="saved-version"[^>]*>(.*?)</blockquote>', body).group(1)
    assert saved == "let children speak from a safe room"
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*The court should let children speak</textarea>', body)
    db.session.refresh(quote)
    assert quote.text == "let children speak from a safe room"

    # Saving again from the conflict page is a deliberate choice and goes through.
    again = form_of(response, quote, text="The court should let children speak")
    assert desk.post(url, data=again).status_code == 302
    db.session.refresh(quote)
    assert quote.text == "The court should let children speak"


def listed(desk, path: str, **query) -> list[int]:
    """The ids of the quotes or reflections a list page links to, in its order."""
    page = desk.get(path, query_string=query)
    assert page.status_code == 200
    return [int(n) for n in re.findall(r'href="/editor/(?:quotes|reflections)/(\d+)[?"]', page.get_data(as_text=True))]


def redact(desk, url: str, index: int) -> None:
    """Press "Replace with …" on finding ``index`` of the quote page at ``url``."""
    page = desk.get(url).get_data(as_text=True)
    fields = {
        name: re.search(rf'id="redact{index}-{name}" name="redact{index}-{name}" type="hidden" value="([^"]+)"', page).group(1)
        for name in ("digest", "version", "csrf_token")
    }
    desk.post(f"{url}/findings/{index}/redact", data={f"redact{index}-{name}": value for name, value in fields.items()})


def test_a_filipino_quote_without_translation_cannot_be_approved(make, editor, desk, csrf):
    quote = quote_of(editor, make.reflection(text="Sana makinig ang korte sa mga bata.", language="fil"), approve=False)
    page = desk.get(f"/editor/quotes/{quote.id}")
    html = page.get_data(as_text=True)
    # Disabled, it says why: a screen reader reads the reason with the button.
    assert re.search(r'<button type="submit" aria-disabled="true" aria-describedby="translation-problem">', html)
    assert 'id="translation-problem">A Filipino or mixed quote needs an English translation' in html
    desk.post(f"/editor/quotes/{quote.id}/approve", data=approve_form_of(page))
    db.session.refresh(quote)
    assert quote.status == "draft"

    page = desk.get(f"/editor/quotes/{quote.id}")
    desk.post(f"/editor/quotes/{quote.id}", data=form_of(page, quote, translation="I hope the court listens to children."))
    page = desk.get(f"/editor/quotes/{quote.id}")
    desk.post(f"/editor/quotes/{quote.id}/approve", data=approve_form_of(page))
    db.session.refresh(quote)
    assert quote.status == "approved" and quote.translation_language == "en"
    listing = desk.get("/editor/quotes").get_data(as_text=True)
    assert ':</span> <span lang="en">I hope the court listens to children.' in listing


def test_quote_and_reflection_lists_filter_and_paginate(make, editor, desk):
    first, second = make.roundtable(), make.roundtable()
    courts = curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()
    author = make.participant(first)
    made = [quote_of(editor, make.reflection(author, text=f"The court listened on day {n}."), approve=n % 2 == 0,
                     themes=[courts] if n < 3 else [])
            for n in range(27)]
    stranger = make.participant(second)
    elsewhere = quote_of(editor, make.reflection(stranger, text="Sana makinig ang korte.", language="fil"), approve=False)

    def ids(path):
        return [int(n) for n in re.findall(r'href="/editor/quotes/(\d+)[?"]', desk.get(path).get_data(as_text=True))]

    page_one, page_two = ids("/editor/quotes"), ids("/editor/quotes?page=2")
    assert len(page_one) == 25 and len(page_two) == 3 and not set(page_one) & set(page_two)
    assert ids(f"/editor/quotes?roundtable={second.id}") == [elsewhere.id]
    assert ids("/editor/quotes?language=fil") == [elsewhere.id]
    assert sorted(ids(f"/editor/quotes?theme={courts.id}")) == [q.id for q in made[:3]]
    approved = ids(f"/editor/quotes?status=approved&roundtable={first.id}")
    assert sorted(approved) == [q.id for q in made if q.status == "approved"]
    assert ids(f"/editor/quotes?status=withdrawn&roundtable={second.id}") == [elsewhere.id], "not a choice: no filter"
    assert 'rel="next"' in desk.get("/editor/quotes").get_data(as_text=True)
    following = re.search(r'rel="next" href="([^"]+)"', desk.get(f"/editor/quotes?roundtable={first.id}").get_data(as_text=True))
    assert f"roundtable={first.id}" in following.group(1) and "page=2" in following.group(1)  # filters survive paging
    assert len(ids(following.group(1).replace("&amp;", "&"))) == 2

    def reflections(path):
        return re.findall(r'href="/editor/reflections/(\d+)[?"]', desk.get(path).get_data(as_text=True))

    assert len(reflections("/editor/")) == 25 and len(reflections("/editor/?page=2")) == 3
    assert reflections(f"/editor/?roundtable={second.id}") == [str(elsewhere.reflection_id)]
    assert reflections("/editor/?language=fil") == [str(elsewhere.reflection_id)]


def test_an_editor_finds_quotes_by_words_in_their_text_or_translation(make, editor, desk):
    roundtable = make.roundtable()
    author = make.participant(roundtable)
    plea = quote_of(editor, make.reflection(author, text="Plea bargaining spared my little sister a trial."))
    hearing = quote_of(editor, make.reflection(author, text="Sana may video ng panayam para hindi na humarap ang bata.",
                                                 language="fil"), translation="I wish a recorded interview spared "
                                                                              "the child from facing the court.")
    accented = quote_of(editor, make.reflection(author, text="Ang Piñas ay may korteng nakikinig sa mga bata."),
                        approve=False)
    quote_of(editor, make.reflection(author, text="The judge listened to us after many years."))
    taken_back = quote_of(editor, make.reflection(make.participant(roundtable),
                                                  text="Plea deals kept my brother away from the courtroom."))
    withdrawal.withdraw_all(taken_back.reflection.participant, erase=False)
    db.session.commit()
    desk.get("/language/en")

    def ids(words, **filters):
        return listed(desk, "/editor/quotes", words=words, **filters)

    assert ids("plea") == [plea.id], "taken back by their author: never found"
    assert ids("SPARED") == [hearing.id, plea.id], "any case, newest first, in the translation too"
    assert ids("child court recorded") == [hearing.id], "every word, in any order"
    assert ids("pinas") == [accented.id] and ids("piñas") == [accented.id]
    assert ids("spared", status="approved", language="fil") == [hearing.id], "with the other filters"
    assert ids("plea bargaining jury") == []
    html = desk.get("/editor/quotes", query_string={"words": "spared <b>"}).get_data(as_text=True)
    assert "0 quotes hold the words “spared &lt;b&gt;”." in html and 'value="spared &lt;b&gt;"' in html
    assert "1 quote holds the words “plea”." in desk.get("/editor/quotes?words=plea").get_data(as_text=True)
    accents_only = desk.get("/editor/quotes", query_string={"words": "\u00b4 \u0303"}).get_data(as_text=True)
    assert "hold the words" not in accents_only and len(re.findall(r'href="/editor/quotes/\d+[?"]', accents_only)) == 4
    long = desk.get("/editor/quotes", query_string={"words": "spared" + " " * 200 + "zebra"}).get_data(as_text=True)
    assert "2 quotes hold the words “spared”. Only the first 200 characters of what you typed were looked for." in long


def test_curly_quotes_and_apostrophes_find_straight_ones(make, editor, desk):
    author = make.participant(make.roundtable())
    said = quote_of(editor, make.reflection(author, text="The judge said \"you are safe here\" to the children's aunt."))

    found = desk.get("/editor/quotes", query_string={"words": "\u201cyou are safe here\u201d children\u2019s"})

    assert re.findall(r'href="/editor/quotes/(\d+)[?"]', found.get_data(as_text=True)) == [str(said.id)]


def test_words_looked_for_page_through_every_quote_that_holds_them(make, editor, desk):
    author = make.participant(make.roundtable())
    made = [quote_of(editor, make.reflection(author, text=f"The court listened on day {n}.")) for n in range(27)]
    quote_of(editor, make.reflection(author, text="Healing takes time."))

    first = desk.get("/editor/quotes?words=listened").get_data(as_text=True)
    second = desk.get("/editor/quotes?words=listened&page=2").get_data(as_text=True)

    found = re.findall(r'href="/editor/quotes/(\d+)[?"]', first) + re.findall(r'href="/editor/quotes/(\d+)[?"]', second)
    assert [int(n) for n in found] == [q.id for q in reversed(made)]
    assert "Page 1 of 2" in first and "words=listened" in re.search(r'rel="next" href="([^"]+)"', first).group(1)
    assert "This page is past the end of the list." in desk.get("/editor/quotes?words=listened&page=3").get_data(
        as_text=True)


def test_an_editor_finds_reflections_to_quote_by_their_words(make, editor, desk):
    first, second = make.roundtable(), make.roundtable()
    author = make.participant(first)
    plea = make.reflection(author, text="Plea bargaining spared my little sister a trial.")
    accented = make.reflection(author, text="Sa Las Piñas, nakinig ang korte sa mga bata.", language="fil")
    elsewhere = make.reflection(make.participant(second), text="A plea deal kept my brother out of the courtroom.")
    make.reflection(author, text="The plea hearing is still waiting for a decision.", status="held")
    make.reflection(make.participant(first, grants=("take_part", "store_words")), text="My plea: believe children.")
    taken_back = make.reflection(make.participant(first), text="Plea deals must never silence a child.")
    withdrawal.withdraw_all(taken_back.participant, erase=False)
    db.session.commit()
    desk.get("/language/en")

    def ids(words, **filters):
        return listed(desk, "/editor/", words=words, **filters)

    assert ids("PLEA") == [elsewhere.id, plea.id], "held, not quotable or taken back: never found; last shared first"
    assert ids("plea", roundtable=first.id) == [plea.id], "with the other filters"
    assert ids("sister spared") == [plea.id] and ids("pinas korte") == [accented.id] == ids("piñas", language="fil")
    assert ids("plea jury") == []
    found = desk.get("/editor/?words=plea").get_data(as_text=True)
    assert "2 reflections hold the words “plea”." in found and 'value="plea"' in found
    assert '<label for="f-words">Words in the reflection</label>' in found
    assert "1 reflection holds the words “sister”." in desk.get("/editor/?words=sister").get_data(as_text=True)
    everything = desk.get("/editor/", query_string={"words": "\u0303"}).get_data(as_text=True)
    assert "hold the words" not in everything and len(re.findall(r'href="/editor/reflections/\d+[?"]', everything)) == 3


def test_words_looked_for_page_through_every_reflection_that_holds_them(make, editor, desk):
    author = make.participant(make.roundtable())
    made = [make.reflection(author, text=f"The court listened on day {n}.") for n in range(27)]
    make.reflection(author, text="Healing takes time.")

    first = desk.get("/editor/?words=listened").get_data(as_text=True)
    second = desk.get("/editor/?words=listened&page=2").get_data(as_text=True)

    found = re.findall(r'href="/editor/reflections/(\d+)[?"]', first) + re.findall(r'href="/editor/reflections/(\d+)[?"]', second)
    assert [int(n) for n in found] == [r.id for r in reversed(made)]
    assert "words=listened" in re.search(r'rel="next" href="([^"]+)"', first).group(1)


def test_a_search_looks_through_the_newest_rows_only_and_says_so(make, editor, desk, monkeypatch):
    author = make.participant(make.roundtable())
    oldest = make.reflection(author, text="The court listened at last.")
    newer = [make.reflection(author, text=f"Healing takes time, day {n}.") for n in range(2)]
    quoted = [quote_of(editor, reflection) for reflection in (oldest, *newer)]
    monkeypatch.setattr(curation, "SEARCHED_ROWS", 2)
    desk.get("/language/en")
    said = "Only the newest 2 of the list were looked through: narrow the list with the choices above to look among the others."

    among_reflections = desk.get("/editor/?words=listened").get_data(as_text=True)
    among_quotes = desk.get("/editor/quotes?words=healing").get_data(as_text=True)

    assert "0 reflections hold the words “listened”. " + said in among_reflections
    assert "2 quotes hold the words “healing”. " + said in among_quotes
    assert re.findall(r'href="/editor/quotes/(\d+)[?"]', among_quotes) == [str(q.id) for q in reversed(quoted[1:])]
    monkeypatch.setattr(curation, "SEARCHED_ROWS", 3)
    assert said.replace("2", "3") not in desk.get("/editor/?words=listened").get_data(as_text=True)


def _opened_from(desk, list_address: str, opened: str):
    """The page at ``opened``, followed from the list at ``list_address`` (which links to it): (its address, it)."""
    assert f'href="{opened.replace("&", "&amp;")}"' in desk.get(list_address).get_data(as_text=True)
    return opened, desk.get(opened)


def test_a_quote_opened_from_a_list_leads_back_to_the_list_as_the_editor_left_it(make, editor, desk, csrf):
    author = make.participant(make.roundtable(), language="en")
    quote = quote_of(editor, make.reflection(author, text="The court listened to the child at last."), approve=False)
    other = quote_of(editor, make.reflection(make.participant(author.roundtable),
                                             text="The court listened and believed us."), approve=False)
    desk.get("/language/en")
    left = f"roundtable={author.roundtable_id}&language=en&words=listened&page=1"

    opened, page = _opened_from(desk, f"/editor/quotes?{left}", f"/editor/quotes/{quote.id}?{left}")
    html = page.get_data(as_text=True)
    assert f'<a href="/editor/quotes?{left.replace("&", "&amp;")}">Back to quotes</a>' in html
    assert f'action="/editor/quotes/{quote.id}/approve?{left.replace("&", "&amp;")}"' in html
    words_page = f"/editor/roundtables/{author.roundtable_id}/sensitive-words?quote={quote.id}&{left}"
    assert f'href="{words_page.replace("&", "&amp;")}"' in html, "and through the roundtable's sensitive words"
    assert f'<a href="{opened.replace("&", "&amp;")}">Back to the quote</a>' in desk.get(words_page).get_data(
        as_text=True)

    saved = desk.post(opened, data=form_of(page, quote, descriptor="youth advocate"))
    assert saved.status_code == 302 and saved.headers["Location"] == opened
    approved = desk.post(f"/editor/quotes/{quote.id}/approve?{left}",
                         data=approve_form_of(desk.get(opened)))
    assert approved.headers["Location"] == opened

    page = desk.get(f"/editor/quotes/{other.id}?{left}")
    withdrawal.withdraw_all(other.reflection.participant, erase=False)
    db.session.commit()
    gone = desk.post(f"/editor/quotes/{other.id}?{left}", data=form_of(page, other, descriptor="advocate"))
    assert gone.headers["Location"] == f"/editor/quotes?{left}", "its author took it back: the list, as left"


def test_only_what_a_search_looks_for_travels_with_a_quote_opened_from_its_list(make, editor, desk):
    """A long search typed by hand would make addresses longer than a server takes (the language link doubles it)."""
    from urllib.parse import parse_qs, urlsplit

    quote = quote_of(editor, make.reflection(text="Plea bargaining spared my sister."))
    typed = "plea" + " " * 300 + "spared"

    listed_page = desk.get("/editor/quotes", query_string={"words": typed}).get_data(as_text=True)

    link = re.search(rf'href="(/editor/quotes/{quote.id}\?[^"]+)"', listed_page).group(1).replace("&amp;", "&")
    carried = parse_qs(urlsplit(link).query)["words"]
    assert carried == [typed[:curation.SEARCH_LIMIT]] and "spared" not in link


def _reflection_opened_from_its_list(make, desk, also: str = ""):
    """A reflection found by its words among its roundtable's: (its author, it, the list's query, its address, its
    page)."""
    author = make.participant(make.roundtable(), language="en")
    reflection = make.reflection(author, text="The court listened to the child at last.")
    desk.get("/language/en")
    left = f"roundtable={author.roundtable_id}&words=listened{also}"
    opened = _opened_from(desk, f"/editor/?{left}", f"/editor/reflections/{reflection.id}?{left}")
    return author, reflection, left, *opened


def test_a_reflection_opened_from_a_list_leads_back_to_the_list_as_the_editor_left_it(make, editor, desk):
    author, reflection, left, opened, page = _reflection_opened_from_its_list(make, desk)

    assert f'<a href="/editor/?{left.replace("&", "&amp;")}">Back to reflections</a>' in page.get_data(as_text=True)
    withdrawal.withdraw_all(author, erase=False)
    db.session.commit()
    gone = desk.post(opened, data={**hidden_fields_of(page), "text": reflection.text, "language": "en",
                                   "descriptor": "survivor leader"})
    assert gone.headers["Location"] == f"/editor/?{left}"


def test_a_quote_made_from_a_reflection_leads_back_to_the_reflections_as_the_editor_left_them(make, editor, desk):
    """The editor goes on to the next reflection to quote, not to a list of quotes that has no search in it."""
    author, reflection, left, opened, page = _reflection_opened_from_its_list(make, desk, "&page=1")

    saved = desk.post(opened, data={**hidden_fields_of(page), "text": "The court listened", "language": "en",
                                    "descriptor": "survivor leader"})

    made = db.session.scalar(select(Quote).where(Quote.reflection_id == reflection.id))
    assert saved.headers["Location"] == f"/editor/quotes/{made.id}?made_from=reflections&{left}"
    quote_page = desk.get(saved.headers["Location"])
    html = quote_page.get_data(as_text=True)
    assert f'<a href="/editor/?{left.replace("&", "&amp;")}">Back to reflections</a>' in html
    assert "Back to quotes" not in html
    assert f'action="/editor/quotes/{made.id}?{left.replace("&", "&amp;")}&amp;made_from=reflections"' in html
    withdrawal.withdraw_all(author, erase=False)
    db.session.commit()
    gone = desk.post(saved.headers["Location"], data=form_of(quote_page, made))
    assert gone.headers["Location"] == f"/editor/?{left}", "its author took it back: the reflections, as left"


def test_the_filters_show_each_roundtable_by_title_and_join_code_and_keep_what_was_chosen(make, editor, desk):
    first, second = make.roundtable(), make.roundtable()
    courts = curation.add_theme(editor, "Courts", "Mga korte")
    db.session.commit()

    def selected(path):
        return re.findall(r'<option value="([^"]*)" selected>', desk.get(path).get_data(as_text=True))

    assert selected("/editor/quotes") == []
    chosen = f"roundtable={second.id}&language=en&theme={courts.id}&status=approved"
    assert selected(f"/editor/quotes?{chosen}") == [str(second.id), "en", str(courts.id), "approved"]
    assert selected(f"/editor/?roundtable={first.id}&language=mixed") == [str(first.id), "mixed"]
    desk.get("/language/fil")
    body = desk.get("/editor/quotes").get_data(as_text=True)
    assert (f'<option value="{second.id}">{second.title_fil} · {second.join_code}</option>'
            f'<option value="{first.id}">{first.title_fil} · {first.join_code}</option>') in body, "same titles"
    export = desk.get("/editor/export").get_data(as_text=True)
    assert f'<option value="{second.id}">{second.title_fil} · {second.join_code}</option>' in export


def test_findings_are_marked_with_their_kind_and_must_be_resolved(make, editor, desk, csrf):
    quote = quote_of(editor, make.reflection(text=NAMED), approve=False)
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")
    body = desk.get(url).get_data(as_text=True)
    marks = re.findall(r'<mark class="finding" id="finding-(\d)">([^<]*) <span class="finding-kind" lang="\w+">\[([^\]]+)\]</span></mark>', body)
    assert [(text, kind) for _, text, kind in marks] == [("Marites", "name"), ("Cebu City", "place")]

    response = desk.post(url + "/approve", data=approve_form_of(desk.get(url)))
    assert response.status_code == 302
    with desk.session_transaction() as session:  # the signed cookie can be read: no words of the quote in it
        flashes = " ".join(message for _category, message in session.get("_flashes", []))
    assert "Not approved yet" in flashes and "Marites" not in flashes and "Cebu" not in flashes
    db.session.refresh(quote)
    assert quote.status == "draft"
    shown = desk.get(url).get_data(as_text=True)
    assert "Not approved yet" in shown and 'id="finding-0"' in shown  # the page itself says what is left

    redact(desk, url, 0)  # the name
    db.session.refresh(quote)
    assert quote.text == "My cousin [name] recorded the interview in Cebu City and the judge listened."

    # Keeping needs a reason, in a box that says which detail it is for (each box has the same label).
    page = desk.get(url).get_data(as_text=True)
    box = re.search(r'<(?:input|textarea)[^>]*id="keep0-reason"[^>]*>', page).group()
    detail = re.search(r'aria-describedby="(finding-\d+-detail) keep0-reason-hint"', box).group(1)
    assert "Cebu City" in page.split(f'id="{detail}"')[1].split("</p>")[0]
    digest = re.search(r'name="keep0-digest" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    token = re.search(r'name="keep0-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = desk.post(url + "/findings/0/keep", data={"keep0-digest": digest, "keep0-reason": "", "keep0-csrf_token": token})
    assert response.status_code == 400
    assert curation.unresolved_findings(quote)
    summary = response.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]  # takes the focus
    assert 'href="#keep0-reason"' in summary
    assert f"<title>Error: Quote number {quote.id} · Roundtable</title>" in response.get_data(as_text=True)
    # The refused page's own quote form still saves the quote (it was sent to "Keep"'s address, and refused again).
    assert f'<form method="post" action="{url}" novalidate id="quote-form">' in response.get_data(as_text=True)
    response = desk.post(url + "/findings/0/keep",
                         data={"keep0-digest": digest, "keep0-reason": "A large city.", "keep0-csrf_token": token})
    assert response.status_code == 302

    # The keep stays resolved on the next page load, said where the page is scrolled to, and approval goes through.
    body = desk.get(url).get_data(as_text=True)
    assert "The detail stays, with your reason." in body.split('id="findings"')[1]
    assert re.search(r'<mark class="finding resolved" id="finding-0">Cebu City <span class="finding-kind" lang="\w+">\[place · kept\]', body)
    desk.post(url + "/approve", data=approve_form_of(desk.get(url)))
    db.session.refresh(quote)
    assert quote.status == "approved"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("quote.finding_%"))).all()
    assert sorted(actions) == ["quote.finding_kept", "quote.finding_redacted"]


def test_a_name_in_the_translation_is_marked_there_and_redacted_with_an_english_label(make, editor, desk):
    reflection = make.reflection(text="Si Ate Joy ang kasama ko sa korte.", language="fil")
    quote = quote_of(editor, reflection, translation="Ate Joy was with me in court.", approve=False)
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")
    body = desk.get(url).get_data(as_text=True)
    quoted, translated = re.findall(r'<blockquote class="quote-findings"[^>]*>(.*?)</blockquote>', body)
    assert '<mark class="finding" id="finding-0">Joy' in quoted
    assert '<mark class="finding" id="finding-1">Joy' in translated
    assert '<strong>name (in the translation):</strong> “<span lang="en">Joy</span>”' in body
    assert '<strong>name:</strong> “<span lang="fil">Joy</span>”' in body, "the quote's words in the quote's language"
    assert 'Replace with <span lang="en">[name]</span>' in body and 'Replace with <span lang="fil">[pangalan]</span>' in body

    redact(desk, url, 1)  # the name in the translation: it goes from the quote too, each in its own language
    db.session.refresh(quote)
    assert quote.translation == "Ate [name] was with me in court."
    assert quote.text == "Si Ate [pangalan] ang kasama ko sa korte."


def test_the_notice_after_a_replace_says_in_how_many_places_the_detail_was_replaced(make, editor, desk):
    """It said "The detail was replaced by a label." whether one place went or every one in both texts."""
    reflection = make.reflection(text="Si Maria ang tumulong sa akin sa korte. Salamat, Maria.", language="fil")
    quote = quote_of(editor, reflection, translation="Maria helped me in court. Thank you, Maria.", approve=False)
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")

    redact(desk, url, 0)

    db.session.refresh(quote)
    assert quote.translation == "[name] helped me in court. Thank you, [name]."
    said = desk.get(url).get_data(as_text=True).split('id="findings"')[1]
    assert "The detail was replaced by a label in 4 places." in said

    other = quote_of(editor, make.reflection(text=NAMED), approve=False)
    redact(desk, f"/editor/quotes/{other.id}", 0)
    assert "The detail was replaced by a label in 1 place." in desk.get(f"/editor/quotes/{other.id}").get_data(as_text=True)


@pytest.mark.parametrize("text, translation, first, second", [
    ("Sa Criminal Case Nos. 12345-67 at 12346-67, nahatulan siya.",
     "In Criminal Case Nos. 12345-67 and 12346-67, he was convicted.", "12345-67", "12346-67"),
    ("Kaso Blg. 1234 at 1235 ang mga kaso namin.", "Case Nos. 1234 and 1235 are our cases.", "1234", "1235"),
])
def test_a_case_number_after_one_redacted_in_its_list_must_still_be_decided_before_approval(
        make, editor, desk, text, translation, first, second):
    """Replacing the first case number of a list with its label ("Case Nos. [institution] and 12346-67") stopped the
    detector flagging the next, in both texts, and the quote was approved and exported with a survivor's case number
    (QA)."""
    quote = quote_of(editor, make.reflection(text=text, language="mixed"), translation=translation, approve=False)
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")
    assert [(s.field, s.finding.text) for s in curation.unresolved_findings(quote)] == [
        ("text", first), ("text", second), ("translation", first), ("translation", second)]

    redact(desk, url, 0)  # the first number: it goes from the translation too

    db.session.refresh(quote)
    assert quote.text == text.replace(first, "[institusyon]")
    assert quote.translation == translation.replace(first, "[institution]")
    assert [(s.field, s.finding.text) for s in curation.unresolved_findings(quote)] == [
        ("text", second), ("translation", second)]
    page = desk.get(url)
    assert f'<mark class="finding" id="finding-0">{second} ' in page.get_data(as_text=True)
    desk.post(f"{url}/approve", data=approve_form_of(page))
    db.session.refresh(quote)
    assert quote.status == "draft"

    redact(desk, url, 0)  # the second number, from both texts

    db.session.refresh(quote)
    assert second not in quote.text and second not in quote.translation
    desk.post(f"{url}/approve", data=approve_form_of(desk.get(url)))
    db.session.refresh(quote)
    assert quote.status == "approved"


def test_sensitive_words_of_a_roundtable_are_checked_in_its_quotes(make, editor, desk, csrf):
    quote = quote_of(editor, make.reflection(text="The judge who sat near the blue chapel listened to us."), approve=False)
    assert "blue chapel <span" not in desk.get(f"/editor/quotes/{quote.id}").get_data(as_text=True)
    roundtable_id = quote.reflection.participant.roundtable_id
    url = f"/editor/roundtables/{roundtable_id}/sensitive-words?quote={quote.id}"
    page = desk.get(url)
    response = desk.post(url, data={**hidden_fields_of(page), "terms": "blue chapel\nLola Nena"})
    assert response.headers["Location"].endswith(f"/editor/quotes/{quote.id}"), "no #fragment: its message takes the focus"
    assert "blue chapel <span" in desk.get(f"/editor/quotes/{quote.id}").get_data(as_text=True)
    assert "Lola Nena" in desk.get(url).get_data(as_text=True)


def test_sensitive_words_typed_on_a_page_opened_before_another_save_do_not_drop_that_save(make, app, editor, desk,
                                                                                          login):
    """An editor and a facilitator both keep the list: neither page, opened earlier, drops the other's words unseen."""
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    url = f"/editor/roundtables/{roundtable.id}/sensitive-words"
    opened = desk.get(url)
    staff = app.test_client()
    login(facilitator, on=staff)
    assert post_roundtable_edit(staff, roundtable, sensitive_terms="Tito Ramon").status_code == 302

    refused = desk.post(url, data={**hidden_fields_of(opened), "terms": "Barangay Malinis"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "saved on another page after you opened this one" in html
    assert "Saved now: Tito Ramon" in html and "Barangay Malinis</textarea>" in html
    db.session.expire_all()
    assert curation.sensitive_terms(roundtable) == ["Tito Ramon"]
    combined = {**hidden_fields_of(refused), "terms": "Tito Ramon\nBarangay Malinis"}
    assert desk.post(url, data=combined).status_code == 302
    db.session.expire_all()
    assert curation.sensitive_terms(roundtable) == ["Tito Ramon", "Barangay Malinis"]


def test_sensitive_words_can_be_set_from_a_reflection_before_its_first_quote(make, desk):
    reflection = make.reflection()
    page = desk.get(f"/editor/reflections/{reflection.id}").get_data(as_text=True)
    assert f'href="/editor/roundtables/{reflection.participant.roundtable_id}/sensitive-words"' in page


def test_quotes_stay_out_of_reach_for_other_roles(make, app, login):
    quote = quote_of(make.user("editor"), make.reflection(), approve=False)
    facilitator = app.test_client()
    login(make.user("facilitator"), on=facilitator)
    for path in (f"/editor/quotes/{quote.id}", "/editor/summary", f"/editor/roundtables/{quote.reflection.participant.roundtable_id}/sensitive-words"):
        assert facilitator.get(path).status_code in (403, 404)
    assert db.session.get(Quote, quote.id).status == "draft"


def test_the_facilitator_adds_sensitive_words_on_the_roundtable_edit_form(app, make, editor, desk, login):
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    quote = quote_of(editor, make.reflection(make.participant(roundtable),
                                             text="The judge who sat near the blue chapel listened to us."), approve=False)
    staff = app.test_client()
    login(facilitator, on=staff)
    page = staff.get(f"/facilitator/roundtables/{roundtable.id}/edit")
    assert 'name="sensitive_terms"' in page.get_data(as_text=True)
    response = post_roundtable_edit(staff, roundtable, sensitive_terms="blue chapel")
    assert response.status_code == 302
    db.session.refresh(roundtable)
    assert curation.sensitive_terms(roundtable) == ["blue chapel"]
    assert [s.finding.text for s in curation.unresolved_findings(quote)] == ["blue chapel"]
    assert "blue chapel <span" in desk.get(f"/editor/quotes/{quote.id}").get_data(as_text=True)


def test_the_same_sensitive_words_typed_again_are_not_saved_again(app, make, login):
    """Saving the list rechecks every quote of the roundtable and is audited: an unchanged list is left alone."""
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    sensitive_words_saved(facilitator, roundtable, "blue chapel")
    db.session.commit()
    staff = app.test_client()
    login(facilitator, on=staff)
    response = post_roundtable_edit(staff, roundtable, sensitive_terms="  blue   chapel \nBlue Chapel\n")
    assert response.status_code == 302
    changed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "roundtable.sensitive_terms_changed"))
    assert len(changed.all()) == 1, "only the first list was saved"


def test_too_long_a_sensitive_word_on_the_roundtable_edit_form_is_refused_beside_it(app, make, login):
    facilitator = make.user("facilitator")
    roundtable = make.roundtable(facilitator)
    staff = app.test_client()
    login(facilitator, on=staff)
    staff.get("/language/en")
    response = post_roundtable_edit(staff, roundtable, title_fil="Bagong pamagat", title_en="A new title",
                                    sensitive_terms="blue chapel\n" + "x" * 101)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    field = html[html.index('for="sensitive_terms"'):]
    assert "Please keep each word or phrase under 100 characters." in field[:field.index("</textarea>")]
    assert 'value="A new title"' in html, "what was typed stays in the form"
    db.session.refresh(roundtable)
    assert roundtable.title_en != "A new title" and curation.sensitive_terms(roundtable) == []


def test_a_quote_theme_or_reflection_that_is_not_there_answers_with_the_404_page(desk, csrf):
    """The services say NotFound; one error handler turns it into the plain 404 page for every view."""
    desk.get("/language/en")
    token = {"csrf_token": csrf(desk.get("/editor/themes"))}
    for method, url in (("get", "/editor/quotes/999999"), ("get", "/editor/reflections/999999"),
                        ("post", "/editor/themes/999999/rename"), ("post", "/editor/themes/999999/remove")):
        response = desk.get(url) if method == "get" else desk.post(url, data=token)
        assert response.status_code == 404, url
        assert "Roundtable" in response.get_data(as_text=True), url


def test_a_quote_or_reflection_opened_after_its_author_took_it_back_says_why_on_its_404_page(make, editor, desk):
    """An old list or a bookmark: the same reason a form sent to it is given, never what it was."""
    reflection = make.reflection(text="The court listened to the child at last.")
    quote = quote_of(editor, reflection, approve=False)
    withdrawal.withdraw_all(reflection.participant, erase=False)
    db.session.commit()
    desk.get("/language/en")

    for url, said in ((f"/editor/quotes/{quote.id}", "That quote is no longer available: its author may have taken"),
                      (f"/editor/reflections/{reflection.id}", "That reflection is no longer available for quoting")):
        response = desk.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 404 and said in html and "listened" not in html, url


def test_a_quote_or_reflection_held_back_by_a_facilitator_names_the_hold_among_the_reasons_on_its_404_page(
    make, editor, desk
):
    """Not only "its author may have taken it back": the editor would drop for good a quote that comes back as it was
    once its reflection is released again. Every reason is given, whichever it was."""
    reflection = make.reflection(text="The court listened to the child at last.")
    quote = quote_of(editor, reflection)
    moderation.decide(reflection.participant.roundtable.facilitator, reflection, "hold",
                      read=moderation.read_mark(reflection))
    db.session.commit()
    desk.get("/language/en")

    for url, said in ((f"/editor/quotes/{quote.id}", "an editor discarded it as a draft, or a facilitator is holding "
                                                     "its reflection back for now."),
                      (f"/editor/reflections/{reflection.id}", "its author may have taken it back, or a facilitator is "
                                                               "holding it back for now.")):
        response = desk.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 404 and said in html and "listened" not in html, url


def test_a_form_sent_for_a_quote_or_reflection_out_of_sight_leads_back_to_its_list_and_says_why(desk, csrf):
    """One that never was looks the same as one taken back since its page was opened: no page shows what it was."""
    desk.get("/language/en")
    token = {"csrf_token": csrf(desk.get("/editor/themes"))}
    for url, back_to in (("/editor/quotes/999999", "/editor/quotes"), ("/editor/quotes/999999/approve", "/editor/quotes"),
                         ("/editor/quotes/999999/findings/0/keep", "/editor/quotes"),
                         ("/editor/quotes/999999/findings/0/redact", "/editor/quotes"),
                         ("/editor/reflections/999999", "/editor/")):
        response = desk.post(url, data=token)
        assert (response.status_code, response.location) == (302, back_to), url
        assert "its author may have taken" in desk.get(back_to).get_data(as_text=True), url


def test_words_taken_back_just_as_an_editor_sends_a_new_quote_are_not_shown_again(make, editor, desk, monkeypatch):
    from roundtable.services import participation, withdrawal

    reflection = make.reflection(text="Video interviews let the children stay out of the courtroom.")
    desk.get("/language/en")
    page = desk.get(f"/editor/reflections/{reflection.id}")
    waited = participation.wait_for_the_author

    def the_author_took_everything_back_first(source):  # hidden, not erased: the words are still stored
        withdrawal.withdraw_all(source.participant, erase=False)
        db.session.commit()
        waited(source)

    monkeypatch.setattr(participation, "wait_for_the_author", the_author_took_everything_back_first)
    answer = desk.post(f"/editor/reflections/{reflection.id}", data={
        **hidden_fields_of(page), "text": "Video interviews", "language": "en", "descriptor": "survivor leader"})

    assert (answer.status_code, answer.location) == (302, "/editor/")
    listed = desk.get("/editor/").get_data(as_text=True)
    assert "its author may have taken it back" in listed and "courtroom" not in listed
    assert db.session.scalars(select(Quote)).all() == []


def test_two_editors_approving_one_quote_at_once_both_get_a_calm_answer(app, make, editor, desk, login):
    quote = quote_of(editor, make.reflection(), approve=False)
    other = app.test_client()
    login(make.user("editor"), on=other)
    forms = [approve_form_of(browser.get(f"/editor/quotes/{quote.id}")) for browser in (desk, other)]

    answers = at_once(*(lambda browser=browser, form=form: browser.post(f"/editor/quotes/{quote.id}/approve", data=form)
                        for browser, form in zip((desk, other), forms)))

    assert sorted(answer.status_code for answer in answers) in ([302, 302], [302, 409])
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).status == "approved"


@pytest.mark.parametrize("taking_back", ["delete", "public quotes"])
def test_an_approval_as_the_author_takes_the_words_back_take_turns_without_a_deadlock(app, make, editor, desk, csrf,
                                                                                       taking_back):
    """Both wait at the author's row, in one order: an approval that locked the quote first deadlocked with the
    author's change, which locks the author, then the quote (503 for one of them)."""
    for _round in range(8):
        author = make.participant(language="en")
        quote = quote_of(editor, make.reflection(author), approve=False)
        db.session.commit()
        phone = app.test_client()
        page = phone.get("/return")
        phone.post("/return", data={"passphrase": author.passphrase, "csrf_token": csrf(page)})
        mine = {"csrf_token": csrf(phone.get("/my"))}
        if taking_back == "delete":
            address, form = f"/my/reflections/{quote.reflection_id}/delete", mine
        else:
            address, form = "/my/consent", {**mine, "key": "quote_publicly", "grant": "0", "confirmed": "yes"}
        approve = approve_form_of(desk.get(f"/editor/quotes/{quote.id}"))

        answers = at_once(lambda: phone.post(address, data=form),
                          lambda: desk.post(f"/editor/quotes/{quote.id}/approve", data=approve))

        assert [answer.status_code for answer in answers] == [302, 302], f"round {_round}"
        db.session.expire_all()
        assert db.session.get(Quote, quote.id).status == "withdrawn"


def test_approve_pressed_on_a_page_opened_before_the_words_changed_is_refused_until_they_are_read(
        app, make, editor, desk, login):
    """An approval is of the words the page showed: another editor's change since (here one that now leaves out a
    "not") is read first."""
    quote = quote_of(editor, make.reflection(text="Justice is not only the verdict."), approve=False)
    desk.get("/language/en")
    opened = desk.get(f"/editor/quotes/{quote.id}")
    other = app.test_client()
    login(make.user("editor"), on=other)
    changed = other.post(f"/editor/quotes/{quote.id}", data=form_of(other.get(f"/editor/quotes/{quote.id}"), quote,
                                                                  text="Justice is … the verdict."))
    assert changed.status_code == 302

    refused = desk.post(f"/editor/quotes/{quote.id}/approve", data=approve_form_of(opened))

    shown = desk.get(refused.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<div class="messages" role="status" tabindex="-1" autofocus><p class="flash error">This quote '
                     r'changed after you opened this page. Read it again, then approve.</p>', shown), "said, and focused"
    assert db.session.get(Quote, quote.id).status == "draft"
    again = desk.post(f"/editor/quotes/{quote.id}/approve", data=approve_form_of(desk.get(f"/editor/quotes/{quote.id}")))
    assert again.status_code == 302 and db.session.get(Quote, quote.id).status == "approved"


def test_approve_pressed_on_a_page_opened_before_another_editor_kept_a_detail_is_refused_until_it_is_read(
        make, editor, desk):
    quote = quote_of(editor, make.reflection(text="The judge in Cebu was kind."), approve=False)
    desk.get("/language/en")
    opened = desk.get(f"/editor/quotes/{quote.id}")
    (cebu,) = curation.findings_of(quote)
    curation.keep_finding(make.user("editor"), quote, index=cebu.index, digest=cebu.digest, reason="A large city.")
    db.session.commit()

    refused = desk.post(f"/editor/quotes/{quote.id}/approve", data=approve_form_of(opened))

    assert "This quote changed after you opened this page." in desk.get(refused.headers["Location"]).get_data(
        as_text=True)
    assert db.session.get(Quote, quote.id).status == "draft"


def test_approve_sent_twice_for_an_author_who_reviews_says_sent_once_and_no_error(make, editor, desk):
    author = make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    quote = quote_of(editor, make.reflection(author), approve=False)
    desk.get("/language/en")
    form = approve_form_of(desk.get(f"/editor/quotes/{quote.id}"))

    first, second = (desk.post(f"/editor/quotes/{quote.id}/approve", data=form) for _ in range(2))

    shown = desk.get(second.headers["Location"]).get_data(as_text=True)
    assert "Sent to the author for review." in shown and 'class="flash error"' not in shown
    assert db.session.get(Quote, quote.id).status == "awaiting_participant"


def test_a_change_refused_because_someone_changed_the_record_first_gets_the_calm_409_page(make, editor, desk,
                                                                                         monkeypatch, caplog):
    """The safety net for any view without an answer of its own, whatever the database."""
    quote = quote_of(editor, make.reflection(), approve=False)
    token = csrf_token_of(desk.get(f"/editor/quotes/{quote.id}"))
    desk.get("/language/fil")
    for refusal in (StaleDataError("0 rows matched"), IntegrityError("INSERT", {}, Exception("unique"))):
        def refuse(*args, refusal=refusal, **kwargs):
            raise refusal
        monkeypatch.setattr(curation, "approve", refuse)
        answer = desk.post(f"/editor/quotes/{quote.id}/approve", data={"approve-csrf_token": token})
        assert answer.status_code == 409, refusal
        assert "May ibang nagbago nito sa parehong sandali" in answer.get_data(as_text=True)
    refusals = [r.getMessage() for r in caplog.records if "change refused by the database" in r.getMessage()]
    assert len(refusals) == 2 and not any(quote.text in message for message in refusals)


def test_past_the_retention_date_an_approved_quote_is_shown_as_it_is_and_its_source_no_more(desk, editor, make, csrf):
    from datetime import timedelta

    from roundtable import clock

    reflection = make.reflection(make.participant(), status="released",
                                 text="The judge let me rest between questions, and I could go on.")
    quote = quote_of(editor, reflection, text="The judge let me rest between questions")
    reflection.participant.roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    desk.get("/language/en")

    page = desk.get(f"/editor/quotes/{quote.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "The judge let me rest between questions" in html
    assert "and I could go on" not in html and 'id="quote-form"' not in html
    assert "retention date has passed" in html
    desk.post(f"/editor/quotes/{quote.id}", data={
        "text": "Changed words", "language": "en", "descriptor": "survivor leader", "version": "1",
        "csrf_token": csrf(page),
    })
    db.session.expire_all()
    assert db.session.get(type(quote), quote.id).text == "The judge let me rest between questions"


def test_an_approval_and_the_authors_edit_at_once_never_leave_an_approved_quote_of_removed_words(
        app, make, editor, desk, csrf, monkeypatch):
    from roundtable.services import withdrawal

    author = make.participant(language="en")
    reflection = make.reflection(author, text="The court should listen to children. Later the judge let me speak.")
    reflection.status = "released"
    quote = quote_of(editor, reflection, text="Later the judge let me speak.", approve=False)
    db.session.commit()
    phone = app.test_client()
    page = phone.get("/return")
    phone.post("/return", data={"passphrase": author.passphrase, "csrf_token": csrf(page)})
    edit_page, quote_page = phone.get(f"/my/reflections/{reflection.id}"), desk.get(f"/editor/quotes/{quote.id}")
    checked = withdrawal.has_approved_quote

    def slowly_checked(source):  # the author's "no approved quote yet" check, then a pause: the editor's turn
        found = checked(source)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(withdrawal, "has_approved_quote", slowly_checked)

    def approve_a_moment_later():
        time.sleep(0.2)
        return desk.post(f"/editor/quotes/{quote.id}/approve", data=approve_form_of(quote_page))

    at_once(lambda: phone.post(f"/my/reflections/{reflection.id}", data={
        "text": "The court should listen to children.", "language": "en", "submit": "Submit", "idempotency_key": "",
        "csrf_token": csrf(edit_page)}), approve_a_moment_later)

    db.session.expire_all()
    edited = "Later the judge" not in db.session.get(type(reflection), reflection.id).text
    approved = db.session.get(Quote, quote.id).status == "approved"
    assert edited != approved, "exactly one of the two went through"


def test_saving_new_words_says_where_the_quote_now_stands_and_an_old_comment_is_marked_as_old(make, editor, desk):
    from roundtable.services import review

    participant = make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    quote = quote_of(editor, make.reflection(participant))
    review.respond(participant, quote, approve=False, comment="Please leave out the safe room.", revision=quote.revision)
    db.session.commit()
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")
    html = desk.get(url).get_data(as_text=True)
    assert "The author says:" in html
    # The note's language is not known (the author's interface language is not the note's): it is not marked.
    assert "<strong>The author says:</strong> Please leave out the safe room.</p>" in html

    invented = desk.post(url, data=form_of(desk.get(url), quote, text="Judges must never allow plea bargaining."),
                         follow_redirects=True).get_data(as_text=True)
    assert "Quote saved as a draft: its author sees it as it now reads once it is ready and you approve it." in invented
    assert "The author said, about an earlier version:" in invented and "Please leave out the safe room." in invented
    assert "approving sends these words to them first" in invented

    fixed = desk.post(url, data=form_of(desk.get(url), quote, text="The court should let children speak"),
                      follow_redirects=True).get_data(as_text=True)
    assert "Quote saved." in fixed and "Draft" in fixed


def test_new_words_of_a_quote_its_author_reviews_are_put_to_them_and_the_editor_is_told(make, editor, desk):
    participant = make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    quote = quote_of(editor, make.reflection(participant))
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")

    saved = desk.post(url, data=form_of(desk.get(url), quote, text="The court should let children speak"),
                      follow_redirects=True).get_data(as_text=True)

    assert "Quote saved. Its author is asked about it again, as it now reads." in saved
    assert db.session.get(Quote, quote.id).status == "awaiting_participant"


def test_a_page_past_the_end_of_a_list_leads_back_to_its_first_page_with_the_filters_kept(make, editor, desk):
    quote = quote_of(editor, make.reflection())
    desk.get("/language/en")

    html = desk.get("/editor/quotes?status=approved&page=3").get_data(as_text=True)

    assert "This page is past the end of the list." in html and "Nothing here right now." not in html
    assert re.search(r'href="/editor/quotes\?status=approved&amp;page=1">Go to the first page', html)
    assert "Page 3 of 1" not in html
    assert f"/editor/quotes/{quote.id}" in desk.get("/editor/quotes?status=approved&page=1").get_data(as_text=True)


def test_an_approved_quote_held_back_by_a_new_sensitive_word_says_so_in_the_list(make, editor, desk):
    reflection = make.reflection(text="The court in our town should listen to children.")
    quote = quote_of(editor, reflection)
    sensitive_words_saved(editor, reflection.participant.roundtable, "our town")
    db.session.commit()
    desk.get("/language/en")

    html = desk.get("/editor/quotes?status=approved").get_data(as_text=True)

    assert quote.status == "approved" and "not exported until a detail has a decision" in html


def test_a_refused_descriptor_is_said_beside_the_descriptor_not_the_words(make, editor, desk):
    quote = quote_of(editor, make.reflection(), approve=False)
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")

    html = desk.post(url, data=form_of(desk.get(url), quote, descriptor="survivor, 24")).get_data(as_text=True)

    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert '<a href="#descriptor">' in summary and "must not point to anyone" in summary
    assert re.search(r'id="descriptor-error"[^>]*>[^<]*must not point to anyone', html)


def test_a_declined_quote_offers_no_approve_button_and_one_awaiting_its_author_says_why_it_is_off(make, editor, desk):
    from roundtable.services import review

    author = make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    waiting = quote_of(editor, make.reflection(author, text="The judge should listen to children first."))
    declined = quote_of(editor, make.reflection(author, text="Plea bargains spare children the stand."))
    review.respond(author, declined, approve=False, revision=declined.revision)
    db.session.commit()
    desk.get("/language/en")

    waiting_page = desk.get(f"/editor/quotes/{waiting.id}").get_data(as_text=True)
    declined_page = desk.get(f"/editor/quotes/{declined.id}").get_data(as_text=True)

    assert waiting.status == "awaiting_participant" and declined.status == "declined"
    assert re.search(r'<button type="submit" aria-disabled="true" aria-describedby="approve-waits">Approve</button>', waiting_page)
    assert 'id="approve-waits">It waits for its author' in waiting_page
    assert f"/editor/quotes/{declined.id}/approve" not in declined_page
    assert "Its author declined these words, so they cannot be approved." in declined_page


def test_an_editor_saving_words_the_author_declined_meanwhile_is_told_it_was_the_author_not_another_editor(
    make, editor, desk
):
    from roundtable.services import review

    author = make.participant(grants=("take_part", "store_words", "quote_publicly", "review_quotes"))
    quote = quote_of(editor, make.reflection(author, text="Plea bargains spare children the stand."))
    desk.get("/language/en")
    url = f"/editor/quotes/{quote.id}"
    page = desk.get(url)
    review.respond(author, quote, approve=False, revision=quote.revision)
    db.session.commit()

    refused = desk.post(url, data=form_of(page, quote, text="Plea bargains spare children."))

    html = refused.get_data(as_text=True)
    assert "Its author declined this quote while you were editing it." in html
    assert "<h2>Its author declined this quote</h2>" in html and "Another editor" not in html
    assert "Saving it would put new words to the author just after their no." in html


@pytest.mark.parametrize(("reflection", "quote", "named"), [
    ("Justice is not only the verdict.", "Justice is … the verdict.", "not"),
    ("Hindi kami mahina, matatag kami.", "… kami mahina …", "hindi"),
    ("We don't want children to face their parents in court.", "We … want children to face their parents in court.",
     "don't"),
    ("I dont think the court heard us.", "I … think the court heard us.", "dont"),
    ("Hindi po kami mahina.", "… kami mahina.", "hindi"),
    ("I don't think healing is quick.", "healing is quick.", "don't"),
])
def test_a_quote_that_leaves_out_a_no_asks_whoever_approves_to_read_it_again(make, editor, desk, reflection, quote,
                                                                            named):
    """Faithful word for word, yet "Justice is … the verdict" says the opposite of "not only the verdict"."""
    made = quote_of(editor, make.reflection(text=reflection), text=quote, approve=False)
    desk.get("/language/en")

    html = desk.get(f"/editor/quotes/{made.id}").get_data(as_text=True)

    assert f"words that can turn a statement around: {named}." in html.replace("&#39;", "'")
    assert re.search(r'<button type="submit" aria-describedby="[^"]*negations-left-out[^"]*">Approve</button>', html)


def test_a_quote_that_keeps_every_no_says_nothing_of_it(make, editor, desk):
    made = quote_of(editor, make.reflection(text="The court did not rush us. It listened."),
                    text="The court did not rush us. …", approve=False)
    desk.get("/language/en")
    assert "turn a statement around" not in desk.get(f"/editor/quotes/{made.id}").get_data(as_text=True)


def test_a_quote_that_makes_a_statement_a_question_asks_whoever_approves_to_read_it_again(make, editor, desk):
    made = quote_of(editor, make.reflection(text="Justice should not depend on how brave a child can be."),
                    text="Justice should not depend on how brave a child can be?", approve=False)
    desk.get("/language/en")

    html = desk.get(f"/editor/quotes/{made.id}").get_data(as_text=True)

    assert "asks or exclaims where the reflection does not, or the other way round: “be?” where the reflection has " \
           "“be.”." in html
    assert re.search(r'<button type="submit" aria-describedby="[^"]*marks-changed[^"]*">Approve</button>', html)


def test_editors_see_beside_the_words_which_statements_their_author_said_no_to(make, editor, desk):
    """Roundtable acts on taking part, keeping words, quoting and reviewing; a "no" to any other statement (here
    the default form's internal use) is for staff to honour, so it is shown where the words are used."""
    roundtable = make.roundtable()
    declining = make.participant(roundtable, grants=("take_part", "store_words", "quote_publicly"))
    agreeing = make.participant(roundtable, grants=("take_part", "store_words", "quote_publicly", "internal_use"))
    said_no, said_yes = make.reflection(declining), make.reflection(agreeing)
    quote = quote_of(editor, said_no)
    desk.get("/language/en")
    statement = next(c.text_en for c in roundtable.current_clauses() if c.key == "internal_use")

    for url in (f"/editor/reflections/{said_no.id}", f"/editor/quotes/{quote.id}"):
        html = desk.get(url).get_data(as_text=True)
        assert "Its author said no to these statements of the consent form." in html, url
        assert re.search(rf"<li>\s*<span>{re.escape(statement)}</span>\s*</li>", html), url
    html = desk.get(f"/editor/reflections/{said_yes.id}").get_data(as_text=True)
    assert "said no to these statements" not in html


def test_the_quote_page_names_the_words_in_brackets_before_approval(make, editor, desk):
    quote = quote_of(editor, make.reflection(text="Support for children matters."),
                     text="Support for [no] children matters.", approve=False)
    desk.get("/language/en")

    html = desk.get(f"/editor/quotes/{quote.id}").get_data(as_text=True)

    assert f"<h1>Quote number {quote.id}</h1>" in html
    assert "the faithfulness check does not look for them: [no]. Before you approve, read them again" in html
    assert re.search(r'<button type="submit" aria-describedby="editors-words">Approve</button>', html)


def test_an_editor_discards_a_draft_after_confirming_and_goes_back_to_the_list_as_left(make, editor, desk):
    reflection = make.reflection()
    draft = quote_of(editor, reflection, text="The court should never let children speak", approve=False)
    approved = quote_of(editor, make.reflection())
    discard = f"/editor/quotes/{draft.id}/discard"
    desk.get("/language/en")
    left = "status=draft&page=1"
    opened = f"/editor/quotes/{draft.id}?{left}"
    page = desk.get(opened)
    fields = {name: value for name, value in hidden_fields_of(page).items() if name.startswith("discard-")}
    assert "Discard this draft" in page.get_data(as_text=True)
    assert "Discard this draft" not in desk.get(f"/editor/quotes/{approved.id}").get_data(as_text=True)

    asked = desk.post(f"{discard}?{left}", data=fields)  # the button asks first
    assert asked.status_code == 200 and "<h1>Discard this draft?</h1>" in asked.get_data(as_text=True)
    assert db.session.get(Quote, draft.id) is not None

    confirmed = hidden_fields_of(asked)
    assert confirmed["discard-confirmed"] == "yes"
    done = desk.post(f"{discard}?{left}", data=confirmed)
    assert done.status_code == 302 and done.headers["Location"] == f"/editor/quotes?{left}"
    assert db.session.scalar(select(Quote.id).where(Quote.reflection_id == reflection.id)) is None
    assert "The draft was discarded." in desk.get(done.headers["Location"]).get_data(as_text=True)

    again = desk.post(f"{discard}?{left}", data=confirmed)  # Back, and the button again
    assert again.status_code == 302 and again.headers["Location"] == f"/editor/quotes?{left}"


def test_discarding_a_quote_approved_meanwhile_is_refused_with_the_reason(make, editor, desk):
    draft = quote_of(editor, make.reflection(), approve=False)
    desk.get("/language/en")
    asked = desk.post(f"/editor/quotes/{draft.id}/discard", data={
        name: value for name, value in hidden_fields_of(desk.get(f"/editor/quotes/{draft.id}")).items()
        if name.startswith("discard-")})
    curation.approve(editor, draft)
    db.session.commit()

    refused = desk.post(f"/editor/quotes/{draft.id}/discard", data=hidden_fields_of(asked), follow_redirects=True)

    assert "Only a draft can be discarded, and this quote is no longer one." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Quote, draft.id).status == "approved"


def test_a_quote_approved_after_its_page_opened_is_not_asked_about_as_a_draft(make, editor, desk):
    """The question "Discard this draft?" for an approved quote led only to a refusal: the reason is said at once."""
    draft = quote_of(editor, make.reflection(), approve=False)
    desk.get("/language/en")
    sent = {name: value for name, value in hidden_fields_of(desk.get(f"/editor/quotes/{draft.id}")).items()
            if name.startswith("discard-")}
    curation.approve(editor, draft)
    db.session.commit()

    answer = desk.post(f"/editor/quotes/{draft.id}/discard", data=sent, follow_redirects=True).get_data(as_text=True)

    assert "Discard this draft?" not in answer
    assert "Only a draft can be discarded, and this quote is no longer one." in answer


@pytest.mark.parametrize("language, named", [
    ("en", "Make a quote from reflection number {n} by {pseudonym}"),
    ("fil", "Gumawa ng sipi mula sa pagninilay bilang {n} ni {pseudonym}")])
def test_two_reflections_by_one_author_have_links_named_apart_in_the_list_to_quote(make, desk, language, named):
    participant = make.participant()
    first = make.reflection(participant)
    second = make.reflection(participant, text="Another answer, already released.")
    desk.get(f"/language/{language}")

    body = desk.get("/editor/").get_data(as_text=True)

    names = [re.sub(r"<[^>]+>", "", link) for link in re.findall(r'<a href="/editor/reflections/[^"]*">(.*?)</a>', body)]
    assert sorted(names) == sorted(named.format(n=reflection.id, pseudonym=participant.pseudonym)
                                   for reflection in (first, second))


def test_the_words_not_in_the_reflection_are_quoted_whole_after_html_is_taken_out(make, editor, desk):
    """"<script>alert(1)</script>" typed into a quote left "alert(1)", and the page said “alert(1”, its closing
    parenthesis cut off (QA)."""
    quote = quote_of(editor, make.reflection(text="Ang hustisya ay dapat mabilis.", language="fil"), approve=False)
    url = f"/editor/quotes/{quote.id}"
    desk.get("/language/en")

    desk.post(url, data=form_of(desk.get(url), quote, text="<script>alert(1)</script>Ang hustisya ay dapat mabilis"))

    page = desk.get(url).get_data(as_text=True)
    assert "These words are not in the reflection as written: “alert(1)”." in page
    assert "<script>" not in page.split("<main", 1)[1]
