"""What an editor's change led to is said where the page it leads to is read from, and takes the focus there."""

from __future__ import annotations

import re

import pytest

from roundtable.db import db
from roundtable.services import curation, exports, review, withdrawal
from tests.conftest import csrf_token_of, hidden_fields_of, said_in_focus
from tests.editor.conftest import approve_form_of, quote_of

REVIEWS = ("take_part", "store_words", "quote_publicly", "review_quotes")
NAMED = "My cousin Marites recorded the interview in Cebu City and the judge listened."


def _quote_form(page, quote, **changes):
    html = page.get_data(as_text=True)
    return {"csrf_token": csrf_token_of(page),
            "version": re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html).group(1),
            "text": quote.text, "language": quote.language, "translation": quote.translation or "",
            "descriptor": quote.descriptor, **changes}


def _quote_made(desk, make, editor):
    url = f"/editor/reflections/{make.reflection().id}"
    return desk.post(url, data={**hidden_fields_of(desk.get(url)), "text": "The court listened", "language": "en",
                                "descriptor": "survivor leader"})


def _saved(desk, quote, text):
    url = f"/editor/quotes/{quote.id}"
    return desk.post(url, data=_quote_form(desk.get(url), quote, text=text))


def _draft_saved(desk, make, editor):
    return _saved(desk, quote_of(editor, make.reflection(), approve=False), "The court should let children speak")


def _approved_words_saved(desk, make, editor):
    return _saved(desk, quote_of(editor, make.reflection()), "The court should let children speak")


def _words_put_to_their_author_again(desk, make, editor):
    return _saved(desk, quote_of(editor, make.reflection(make.participant(grants=REVIEWS))),
                  "The court should let children speak")


def _words_an_author_said_no_to_saved(desk, make, editor):
    author = make.participant(grants=REVIEWS)
    quote = quote_of(editor, make.reflection(author))
    review.respond(author, quote, approve=False, comment="Please leave out the safe room.", revision=quote.revision)
    db.session.commit()
    return _saved(desk, quote, "Judges must never allow plea bargaining.")


def _approve(desk, quote):
    url = f"/editor/quotes/{quote.id}"
    return desk.post(url + "/approve", data=approve_form_of(desk.get(url)))


def _approved(desk, make, editor):
    return _approve(desk, quote_of(editor, make.reflection(), approve=False))


def _sent_for_review(desk, make, editor):
    return _approve(desk, quote_of(editor, make.reflection(make.participant(grants=REVIEWS)), approve=False))


def _discarded(desk, quote, opened):
    page = desk.get(opened)
    discard = f"/editor/quotes/{quote.id}/discard?{opened.partition('?')[2]}"
    asked = desk.post(discard, data={k: v for k, v in hidden_fields_of(page).items() if k.startswith("discard-")})
    return desk.post(discard, data=hidden_fields_of(asked))


def _discarded_from_the_quotes(desk, make, editor):
    quote = quote_of(editor, make.reflection(), approve=False)
    return _discarded(desk, quote, f"/editor/quotes/{quote.id}?status=draft")


def _discarded_from_the_reflections(desk, make, editor):
    quote = quote_of(editor, make.reflection(), approve=False)
    return _discarded(desk, quote, f"/editor/quotes/{quote.id}?made_from=reflections")


def _finding_form(desk, url, action, index=0):
    html = desk.get(url).get_data(as_text=True)
    return dict(re.findall(rf'name="({action}{index}-\w+)" type="hidden" value="([^"]*)"', html))


def _detail_replaced(desk, make, editor):
    url = f"/editor/quotes/{quote_of(editor, make.reflection(text=NAMED), approve=False).id}"
    return desk.post(url + "/findings/0/redact", data=_finding_form(desk, url, "redact"))


def _detail_kept(desk, make, editor):
    url = f"/editor/quotes/{quote_of(editor, make.reflection(text=NAMED), approve=False).id}"
    return desk.post(url + "/findings/0/keep", data={**_finding_form(desk, url, "keep"), "keep0-reason": "A city."})


def _sensitive_words_saved_from_a_quote(desk, make, editor):
    quote = quote_of(editor, make.reflection(text=NAMED), approve=False)
    url = (f"/editor/roundtables/{quote.reflection.participant.roundtable_id}/sensitive-words?quote={quote.id}")
    return desk.post(url, data={**hidden_fields_of(desk.get(url)), "terms": "blue chapel"})


def _sensitive_words_saved(desk, make, editor):
    url = f"/editor/roundtables/{make.roundtable().id}/sensitive-words"
    return desk.post(url, data={**hidden_fields_of(desk.get(url)), "terms": "blue chapel"})


def _theme_added(desk, make, editor):
    page = desk.get("/editor/themes")
    return desk.post("/editor/themes", data={"csrf_token": csrf_token_of(page), "name_fil": "Paghilom",
                                             "name_en": "Healing"})


def _renamed(desk, theme, name_en, page_number=None):
    page = desk.get("/editor/themes", query_string={"page": page_number} if page_number else None)
    prefix = f"rename{theme.id}"
    query = f"?page={page_number}" if page_number else ""
    return desk.post(f"/editor/themes/{theme.id}/rename{query}", data={
        f"{prefix}-csrf_token": csrf_token_of(page), f"{prefix}-name_fil": theme.name_fil,
        f"{prefix}-name_en": name_en})


def _theme_renamed(desk, make, editor):
    curation.add_theme(editor, "Courts", "Mga korte")
    theme = curation.add_theme(editor, "Healing", "Paghilom")
    db.session.commit()
    return _renamed(desk, theme, "Healing together")


def _theme_renamed_that_its_authors_approved(desk, make, editor):
    theme = curation.add_theme(editor, "Healing", "Paghilom")
    db.session.commit()
    author = make.participant(grants=REVIEWS)
    quote = quote_of(editor, make.reflection(author), themes=[theme])
    review.respond(author, quote, approve=True, revision=quote.revision)
    db.session.commit()
    return _renamed(desk, theme, "Healing together")


def _theme_renamed_onto_another_page(desk, make, editor):
    themes = [curation.add_theme(editor, f"Theme {n:02d}", f"Tema {n:02d}") for n in range(51)]
    db.session.commit()
    return _renamed(desk, themes[-1], "A theme first of all", page_number=2)


def _removed(desk, theme):
    prefix = f"remove{theme.id}"
    page = desk.get("/editor/themes")
    return desk.post(f"/editor/themes/{theme.id}/remove", data={f"{prefix}-csrf_token": csrf_token_of(page),
                                                                  f"{prefix}-detach": "y"})


def _theme_removed(desk, make, editor):
    theme = curation.add_theme(editor, "Healing", "Paghilom")
    db.session.commit()
    return _removed(desk, theme)


def _theme_removed_from_a_quote(desk, make, editor):
    theme = curation.add_theme(editor, "Healing", "Paghilom")
    db.session.commit()
    quote_of(editor, make.reflection(), themes=[theme])
    return _removed(desk, theme)


def _exported_then_taken_back(make, editor, count):
    authors = [make.participant() for _ in range(count)]
    for author in authors:
        make.quote(make.reflection(author), editor=editor)
    exports.record(editor, "csv", exports.QuoteFilters())
    for author in authors:
        withdrawal.withdraw_all(author, erase=True)
    db.session.commit()
    return authors


def _acknowledge_all(desk, page):
    shown = re.search(r'name="all-quotes" value="([^"]*)"', page.get_data(as_text=True)).group(1)
    return desk.post("/editor/notices/acknowledge", data={"all-csrf_token": csrf_token_of(page), "all-quotes": shown})


def _notices_acknowledged(desk, make, editor):
    _exported_then_taken_back(make, editor, 2)
    return _acknowledge_all(desk, desk.get("/editor/notices"))


def _notices_acknowledged_already(desk, make, editor):
    _exported_then_taken_back(make, editor, 2)
    page = desk.get("/editor/notices")
    _acknowledge_all(desk, page)
    return _acknowledge_all(desk, page)


def _notice_changed_while_the_page_was_open(desk, make, editor):
    _exported_then_taken_back(make, editor, 2)
    page = desk.get("/editor/notices")
    shown = re.search(r'name="all-quotes" value="([^"]*)"', page.get_data(as_text=True)).group(1).split()
    quote_id, event_id = shown[0].split(":")
    shown[0] = f"{quote_id}:{int(event_id) + 1000}"  # another event than the newest: it changed since
    return desk.post("/editor/notices/acknowledge", data={"all-csrf_token": csrf_token_of(page),
                                                          "all-quotes": " ".join(shown)})


_QUOTE = r"<h1>Quote number \d+</h1>\s*"
_FINDINGS = r'<h2 id="findings-title">Details that could identify someone</h2>\s*'
_THEMES = r"<h1>Themes</h1>\s*"
_IN_ITS_PLACE = r'<li id="theme-\d+">\s*<p>(?:(?!</li>).)*Healing together</span>[^<]*</p>\s*'
_NOTICES = r"<h1>Withdrawn after export</h1>\s*<p>[^<]*</p>\s*"


@pytest.mark.parametrize(("done", "after", "said"), [
    (_quote_made, _QUOTE, "Quote saved as a draft."),
    (_draft_saved, _QUOTE, "Quote saved."),
    (_approved_words_saved, _QUOTE, "Quote saved. It is a draft again: approve it when it is ready."),
    (_words_put_to_their_author_again, _QUOTE, "Quote saved. Its author is asked about it again, as it now reads."),
    (_words_an_author_said_no_to_saved, _QUOTE, "Quote saved as a draft: its author sees it as it now reads"),
    (_approved, _QUOTE, "Quote approved."),
    (_sent_for_review, _QUOTE, "Sent to the author for review."),
    (_discarded_from_the_quotes, r"<h1>Quotes</h1>\s*", "The draft was discarded."),
    (_discarded_from_the_reflections, r"<h1>Reflections to quote</h1>\s*", "The draft was discarded."),
    (_detail_replaced, _FINDINGS, "The detail was replaced by a label in 1 place."),
    (_detail_kept, _FINDINGS, "The detail stays, with your reason."),
    (_sensitive_words_saved_from_a_quote, _FINDINGS, "Sensitive words saved."),
    (_sensitive_words_saved, r"<h1>Sensitive words</h1>\s*", "Sensitive words saved."),
    (_theme_added, _THEMES, "Theme added."),
    (_theme_renamed, _IN_ITS_PLACE, "Theme renamed."),
    (_theme_renamed_that_its_authors_approved, _IN_ITS_PLACE, "1 quote carrying it had been approved by its author"),
    (_theme_renamed_onto_another_page, _THEMES, "Theme renamed."),
    (_theme_removed, _THEMES, "Theme removed."),
    (_theme_removed_from_a_quote, _THEMES, "Theme removed. It was taken off 1 quote."),
    (_notices_acknowledged, _NOTICES, "2 notices acknowledged."),
    (_notices_acknowledged_already, _NOTICES, "These notices were acknowledged already."),
    (_notice_changed_while_the_page_was_open, _NOTICES, "1 notice changed after you opened the page."),
])
def test_what_an_editors_change_led_to_is_said_where_the_page_leads_and_takes_the_focus(
        desk, make, editor, done, after, said):
    """As a facilitator's changes are (32e7473): the editor's came back at the top of the page, unfocused, so a screen
    reader did not say them and the next Tab began again at "Skip to content"; those said beside the identifying
    details, or a theme renamed, came with a #fragment that scrolled there but left the message unsaid."""
    desk.get("/language/en")

    response = done(desk, make, editor)

    assert response.status_code == 302
    assert "#" not in response.headers["Location"], "a #fragment makes the browser skip the autofocus"
    html = desk.get(response.headers["Location"]).get_data(as_text=True)
    said_in_focus(html, after, said)
