"""Editors see quotes withdrawn after export, with the exports that carried them, and acknowledge them."""

import re

import pytest

from roundtable.db import db
from roundtable.services import audit, curation, exports, moderation, withdrawal


def _exported_then_taken_back(make, editor, count: int) -> None:
    """``count`` authors, each with a quote that left in one export and was taken back since: ``count`` notices."""
    authors = [make.participant() for _ in range(count)]
    for author in authors:
        make.quote(make.reflection(author), editor=editor)
    exports.record(editor, "csv", exports.QuoteFilters())
    for author in authors:
        withdrawal.withdraw_all(author, erase=True)
    db.session.commit()


def _ack_form_of(page, quote_id: int) -> dict:
    """The Acknowledge form of one notice, as the page shows it."""
    html = page.get_data(as_text=True)
    form = re.search(rf'action="/editor/notices/{quote_id}/acknowledge[^"]*"[^>]*>(.*?)</form>', html, re.S).group(1)
    return dict(re.findall(r'name="(ack-[\w]+)"[^>]*value="([^"]*)"', form))


def test_editors_see_and_acknowledge_a_withdrawn_after_export_notice(client, make, login, csrf):
    editor = make.user("editor")
    participant = make.participant()
    quote = make.quote(make.reflection(participant), editor=editor)
    export = exports.record(editor, "csv", exports.QuoteFilters())
    db.session.commit()
    withdrawal.withdraw_all(participant, erase=True)
    db.session.commit()
    client.get("/language/en")
    login(editor)

    page = client.get("/editor/notices")
    html = page.get_data(as_text=True)
    assert f"Quote number {quote.id}" in html and f"Export {export.id} (CSV)" in html
    assert ('href="/editor/notices" aria-current="page">Withdrawn after export<span class="visually-hidden">, 1 notice not '
            'acknowledged yet</span> <span class="tag" aria-hidden="true">1</span>') in html

    response = client.post(f"/editor/notices/{quote.id}/acknowledge", data=_ack_form_of(page, quote.id))

    assert response.status_code == 302 and response.headers["Location"].endswith("/editor/notices")
    after = client.get("/editor/notices").get_data(as_text=True)
    assert "No quote was withdrawn after export." in after
    assert re.search(r'</p>\s*<div class="messages" role="status" tabindex="-1" autofocus>'
                     r'<p class="flash message">Notice acknowledged.</p>', after), "said above the list, and focused"
    assert audit.page(action="notice.acknowledged").items[0].actor_id == editor.id


def test_the_notices_page_does_not_say_a_quote_that_may_be_used_again_may_no_longer_be_used(client, make, login):
    """Held back by a facilitator, then released again: its notice says the quote may stay, and so must the intro."""
    editor = make.user("editor")
    reflection = make.reflection(text="The judge let the survivors speak in their own words.")
    make.quote(reflection, editor=editor)
    exports.record(editor, "csv", exports.QuoteFilters())
    facilitator = reflection.participant.roundtable.facilitator
    for decision in ("hold", "release"):
        moderation.decide(facilitator, reflection, decision, read=moderation.read_mark(reflection))
        db.session.commit()
    client.get("/language/en")
    login(editor)

    html = client.get("/editor/notices").get_data(as_text=True)

    assert "the same approved words may be used again" in html
    assert "may no longer be used" not in html
    assert "A notice that says its quote may be used again asks for nothing to be removed" in html


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Exported quote's attribution changed"),
    ("fil", "Binago ang pagkilala ng na-export na sipi"),
])
def test_a_notice_says_the_attribution_changed_when_only_the_attribution_did(client, make, login, language, said):
    """It said "Exported quote's words changed", and an editor found the words in their materials unchanged (QA)."""
    editor = make.user("editor")
    quote = make.quote(make.reflection(), editor=editor)
    exports.record(editor, "csv", exports.QuoteFilters())
    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="en",
                          translation=None, translation_language=None, descriptor="survivor leader and advocate")
    db.session.commit()
    client.get(f"/language/{language}")
    login(editor)

    html = client.get("/editor/notices").get_data(as_text=True)

    assert f'<p class="meta">{said} · ' in html.replace("&#39;", "'")
    assert "words" not in html.split("<h2>", 1)[1].split("</li>", 1)[0]


def test_only_editors_see_notices(client, make, login):
    login(make.user("facilitator"))
    assert client.get("/editor/notices").status_code == 403


def test_acknowledging_on_a_later_page_of_notices_leads_back_to_that_page(client, make, login, csrf):
    editor = make.user("editor")
    _exported_then_taken_back(make, editor, 27)  # 25 a page: two pages
    login(editor)
    page = client.get("/editor/notices?page=2")
    action = re.search(r'action="(/editor/notices/(\d+)/acknowledge[^"]*)"', page.get_data(as_text=True))

    response = client.post(action.group(1).replace("&amp;", "&"), data=_ack_form_of(page, int(action.group(2))))

    assert response.headers["Location"].endswith("/editor/notices?page=2")
    rest = client.get("/editor/notices?page=2").get_data(as_text=True)
    for action, quote_id in re.findall(r'action="(/editor/notices/(\d+)/acknowledge[^"]*)"', rest):
        client.post(action.replace("&amp;", "&"), data=_ack_form_of(client.get("/editor/notices?page=2"), int(quote_id)))
    emptied = client.get("/editor/notices?page=2")
    assert emptied.status_code == 302 and emptied.headers["Location"].endswith("/editor/notices?page=1"), \
        "the page's last notice acknowledged, the list's last page, not a page past its end"


def test_the_notices_of_one_page_are_acknowledged_in_one_go_and_a_notice_raised_since_stays(client, make, login, csrf):
    editor = make.user("editor")
    authors = [make.participant() for _ in range(3)]
    quotes = [make.quote(make.reflection(author), editor=editor) for author in authors]
    exports.record(editor, "csv", exports.QuoteFilters())
    for author in authors[:2]:
        withdrawal.withdraw_all(author, erase=True)
    db.session.commit()
    client.get("/language/en")
    login(editor)
    page = client.get("/editor/notices")
    assert "Acknowledge the 2 notices on this page" in page.get_data(as_text=True)
    withdrawal.withdraw_all(authors[2], erase=True)  # while the page is open
    db.session.commit()

    shown = re.search(r'name="all-quotes" value="([^"]*)"', page.get_data(as_text=True)).group(1)
    response = client.post("/editor/notices/acknowledge", data={
        "all-csrf_token": csrf(page), "all-quotes": f"{shown} 99999999999999:1 x:y"}, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "2 notices acknowledged." in html
    assert f"Quote number {quotes[2].id}" in html, "the notice the page did not show is still open"
    assert f"Quote number {quotes[0].id}" not in html and f"Quote number {quotes[1].id}" not in html
    assert "Acknowledge the" not in html, "one notice left: its own button is enough"
    again = client.post("/editor/notices/acknowledge", data={"all-csrf_token": csrf(page), "all-quotes": shown},
                        follow_redirects=True)
    assert "These notices were acknowledged already." in again.get_data(as_text=True), "a double click says so"


def test_a_page_of_notices_acknowledged_twice_at_once_is_recorded_once(app, make, login, csrf):
    """A double click: the two sendings take turns on the quotes, and the second finds them acknowledged."""
    from sqlalchemy import func, select

    from roundtable.models import AuditEvent
    from tests.deployment.live import at_once

    editor = make.user("editor")
    _exported_then_taken_back(make, editor, 2)
    sendings = []
    for _ in range(4):  # a double click, or the same page open in several tabs
        browser = app.test_client()
        login(editor, on=browser)
        page = browser.get("/editor/notices")
        sendings.append((browser, {
            "all-csrf_token": csrf(page),
            "all-quotes": re.search(r'name="all-quotes" value="([^"]*)"', page.get_data(as_text=True)).group(1)}))

    at_once(*(lambda browser=browser, sent=sent: browser.post("/editor/notices/acknowledge", data=sent)
              for browser, sent in sendings))

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "notice.acknowledged")) == 2, "one for each notice, not one for each sending"


def _staff_menu_links(html: str) -> list[tuple[str, bool]]:
    """Each link of the staff menu as a screen reader names it (without what is hidden from it), and whether it is
    marked as the page shown."""
    menu = re.search(r'<nav aria-label="[^"]*" class="staff-nav">(.*?)</nav>', html, re.S).group(1)
    links = []
    for attributes, inside in re.findall(r"<a ([^>]*)>(.*?)</a>", menu, re.S):
        inside = re.sub(r'<span[^>]*aria-hidden="true">.*?</span>', "", inside)
        links.append((" ".join(re.sub(r"<[^>]+>", "", inside).split()), 'aria-current="page"' in attributes))
    return links


@pytest.mark.parametrize("language, notices, themes, audit_log", [
    ("en", "Withdrawn after export, 2 notices not acknowledged yet", "Themes", "Audit log"),
    ("fil", "Binawi matapos i-export, 2 paalalang hindi pa nakikilala", "Mga tema", "Talaan ng mga aksyon"),
])
def test_the_staff_menu_marks_the_page_shown_and_reads_the_count_of_notices_in_words(
        client, make, login, language, notices, themes, audit_log):
    editor = make.user("editor", "admin")
    _exported_then_taken_back(make, editor, 2)
    login(editor)
    client.get(f"/language/{language}")

    for address, marked in (("/editor/notices", [notices]), ("/editor/themes", [themes]),
                            ("/admin/audit", [audit_log]), ("/admin/audit?action=theme.added", [audit_log]),
                            ("/editor/quotes/999999", [])):  # a page the menu does not lead to: none is marked
        links = _staff_menu_links(client.get(address).get_data(as_text=True))
        assert notices in [name for name, _current in links]
        assert [name for name, current in links if current] == marked, address
