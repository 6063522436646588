"""Participant pages stay light for old phones and expensive data: at most 30 KB per page in total
(HTML + our one stylesheet + participant.js + the tab's icon, uncompressed), system fonts only, nothing else loaded."""

import re

import pytest

from roundtable import ROOT
from tests.conftest import hidden_fields_of

BUDGET = 30 * 1024
STYLESHEET = (ROOT / "static" / "roundtable.css").read_bytes()
SCRIPT = (ROOT / "static" / "participant.js").read_bytes()
ICON = (ROOT / "static" / "icon.svg").read_bytes()
ASSETS = len(STYLESHEET) + len(SCRIPT) + len(ICON)


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:link|script|img|iframe|source|video|audio)\b[^>]*(?:href|src)="([^"]+)"', html)


@pytest.fixture
def participant_pages(client, make, csrf):
    """The HTML of every page a participant sees, in both languages, from joining to writing."""
    roundtable = make.roundtable()
    participant = make.participant(roundtable, language="en")
    draft = make.reflection(participant, status="draft")
    pages = {}
    for language in ("fil", "en"):
        client.get(f"/language/{language}")
        for url in ("/", "/join", "/return", "/support", "/exit/about"):
            pages[f"[{language}] {url}"] = client.get(url)
        start = client.get("/join")
        pages[f"[{language}] /join/consent"] = client.get(client.post("/join", data={
            "code": roundtable.join_code, "language": language, "csrf_token": csrf(start),
        }).headers["Location"])
        consent = pages[f"[{language}] /join/consent"]
        pseudonym = client.post("/join/consent", data={
            **hidden_fields_of(consent), "clauses": ["take_part", "store_words"], "adult": "y",
        }).headers["Location"]
        pages[f"[{language}] /join/pseudonym"] = page = client.get(pseudonym)
        passphrase = client.post("/join/pseudonym", data={"pseudonym": f"Tala {language}", "csrf_token": csrf(page)})
        pages[f"[{language}] /join/passphrase"] = client.get(passphrase.headers["Location"])
        client.get("/exit")
        client.get(f"/language/{language}")
        page = client.get("/return")
        client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
        for url in ("/before-you-write", "/my", f"/write/{roundtable.prompts[1].id}", f"/my/reflections/{draft.id}"):
            pages[f"[{language}] {url}"] = client.get(url)
        client.get("/exit")
    assert all(response.status_code == 200 for response in pages.values()), {
        url: response.status_code for url, response in pages.items() if response.status_code != 200
    }
    return {url: response.get_data() for url, response in pages.items()}


def test_every_participant_page_with_its_stylesheet_and_script_weighs_at_most_30_kb(participant_pages):
    heavy = {url: len(html) + ASSETS for url, html in participant_pages.items() if len(html) + ASSETS > BUDGET}
    assert len(participant_pages) >= 20
    assert heavy == {}, f"over {BUDGET} bytes: {heavy}"


def test_participant_pages_load_only_our_stylesheet_and_scripts(participant_pages):
    """The writing page's script and the passphrase page's are loaded by their page only, after participant.js,
    whose namespace they use (deferred scripts run in the order they are named)."""
    for url, html in participant_pages.items():
        assets = [re.sub(r"\?.*", "", a) for a in _assets(html.decode())]
        own = ["/static/writing.js"] if re.search(r"/write/|/my/reflections/", url) else \
            ["/static/passphrase.js"] if url.endswith("/join/passphrase") else []
        assert set(assets) - set(own) <= {"/static/roundtable.css", "/static/participant.js", "/static/icon.svg"}, (
            url, assets)
        for script in own:
            assert script in assets and assets.index("/static/participant.js") < assets.index(script), (url, assets)


def test_the_stylesheet_uses_system_fonts_and_loads_nothing(participant_pages):
    css = STYLESHEET.decode()
    assert "@font-face" not in css and "@import" not in css
    assert "url(" not in css
    assert "system-ui" in css
