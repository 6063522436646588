"""The printable join card: the roundtable's title in both languages, the code in large type and a
QR code of the join address, for the roundtable's own facilitator only."""

import re

import pytest
import segno

from roundtable.facilitator.views import join_qr_svg


def _card(client, roundtable):
    return client.get(f"/facilitator/roundtables/{roundtable.id}/card")


def test_the_card_shows_both_titles_the_code_and_a_qr_code_of_the_join_address(client, make, login):
    roundtable = make.roundtable()
    login(roundtable.facilitator)
    response = _card(client, roundtable)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert '<span lang="fil">Mga korteng nakikinig</span>' in html
    assert '<span class="join-card-en" lang="en">Courts that listen</span>' in html
    assert f'<p class="code join-code">{roundtable.join_code}</p>' in html
    join_url = f"http://roundtable.test/join?code={roundtable.join_code}"
    assert join_url in html
    assert 'style="' not in html, "no inline styles: the CSP forbids them"


def test_the_qr_code_encodes_exactly_the_join_address(client, make, login):
    roundtable = make.roundtable()
    login(roundtable.facilitator)
    html = _card(client, roundtable).get_data(as_text=True)
    served = re.search(r'<svg role="img".*?</svg>', html, re.S).group()
    modules = re.findall(r'<path[^>]* d="([^"]+)"', served)

    join_url = f"http://roundtable.test/join?code={roundtable.join_code}"
    expected = segno.make(join_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    assert modules == re.findall(r'<path[^>]* d="([^"]+)"', expected)
    assert modules, "the QR code has dark modules"
    other = segno.make(join_url + "X", error="m").svg_inline(scale=4, dark="#000", light="#fff")
    assert modules != re.findall(r'<path[^>]* d="([^"]+)"', other)


def test_the_qr_svg_has_a_name_for_screen_readers_and_no_style_attribute(ctx):
    svg = str(join_qr_svg("http://roundtable.test/join?code=ABC123", "QR code"))
    assert svg.startswith('<svg role="img" ')
    assert "<title>QR code</title>" in svg
    assert "style" not in svg


def test_only_the_roundtables_own_facilitator_sees_its_card(client, make, login):
    roundtable = make.roundtable()
    login(make.user("facilitator"))
    assert _card(client, roundtable).status_code == 404


def test_editors_and_participants_cannot_open_a_join_card(client, make, login):
    roundtable = make.roundtable()
    login(make.user("editor"))
    assert _card(client, roundtable).status_code == 403


def test_the_roundtable_page_links_to_its_join_card(client, make, login):
    roundtable = make.roundtable()
    login(roundtable.facilitator)
    html = client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)
    assert f'href="/facilitator/roundtables/{roundtable.id}/card"' in html


def test_the_qr_code_scales_to_the_size_the_stylesheet_gives_it(ctx):
    """A fixed width and height would keep the code small in a corner of the 60 mm box the card gives it."""
    svg = str(join_qr_svg("http://roundtable.test/join?code=ABC123", "QR code"))
    opening = svg[:svg.index(">")]
    assert re.search(r'viewBox="0 0 (\d+) \1"', opening)
    assert "width=" not in opening and "height=" not in opening


def test_the_card_of_a_roundtable_not_yet_open_warns_before_it_is_handed_out(client, make, login):
    draft = make.roundtable(status="draft")
    login(draft.facilitator)
    client.get("/language/en")
    assert "This roundtable is not open" in _card(client, draft).get_data(as_text=True)
    opened = make.roundtable(draft.facilitator)
    assert "This roundtable is not open" not in _card(client, opened).get_data(as_text=True)


@pytest.mark.parametrize("status, past, told, can_open", [
    ("draft", False, "is told so, and to ask you to open it", True),
    ("closed", False, "is told that it takes no new words", True),
    ("archived", False, "is told that no roundtable has that code. An archived roundtable cannot be opened again.", False),
    # what /join checks first is said first (regression round): past its date, a draft is still "not open yet"
    ("draft", True, "is told so. Its retention date has passed, so it cannot open: move the date later first.", False),
    ("archived", True, "is told that no roundtable has that code.", False),
    ("closed", True, "retention date has passed: whoever uses this code now is told that it is closed", False),
])
def test_a_card_not_open_says_what_a_participant_is_told_and_offers_to_open_it_only_where_it_can_be(
        client, make, login, status, past, told, can_open):
    """Archived could not be opened, yet the card said to, in words about every status at once."""
    from datetime import timedelta

    from roundtable import clock
    from roundtable.db import db

    roundtable = make.roundtable(status=status)
    if past:
        roundtable.retention_until = clock.today() - timedelta(days=1)
        db.session.commit()
    login(roundtable.facilitator)
    client.get("/language/en")

    html = _card(client, roundtable).get_data(as_text=True)

    assert told in html and "(archived: not found)" not in html
    opens = f'action="/facilitator/roundtables/{roundtable.id}/status"' in html and 'value="open"' in html
    assert opens == can_open
    page = client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)
    assert ('value="open"' in page) == can_open, "the roundtable's page offers the same"


def test_a_roundtable_past_its_retention_date_says_so_on_its_page_its_list_and_its_card(client, make, login):
    from datetime import timedelta

    from roundtable import clock
    from roundtable.db import db

    roundtable = make.roundtable()
    roundtable.retention_until = clock.today() - timedelta(days=1)
    db.session.commit()
    login(roundtable.facilitator)
    client.get("/language/en")

    assert "retention date has passed: whoever uses this code now is told that it is closed" in _card(
        client, roundtable).get_data(as_text=True)
    page = client.get(f"/facilitator/roundtables/{roundtable.id}").get_data(as_text=True)
    assert "Its retention date has passed: it takes no new words or people." in page
    assert "past its retention date" in client.get("/facilitator/").get_data(as_text=True)


def test_the_card_says_everything_in_filipino_and_in_english_whatever_the_facilitator_reads(client, make, login):
    """People in the room read one or the other; the facilitator may print it from an English page."""
    from datetime import date, time

    from roundtable.db import db

    roundtable = make.roundtable()
    roundtable.meets_on, roundtable.starts_at = date(2026, 12, 12), time(14, 0)
    db.session.commit()
    login(roundtable.facilitator)
    for language in ("en", "fil"):
        client.get(f"/language/{language}")
        html = _card(client, roundtable).get_data(as_text=True)
        assert '<span lang="fil">Code para sumali</span> · <span lang="en">Join code</span>' in html, language
        assert '<span lang="en">You will not be asked for your name, email or phone number.</span>' in html
        assert '<span lang="fil">Sabado, Disyembre 12, 2026' in html and '<span lang="en">Saturday, December 12, 2026' in html
