"""Participant pages stay light for old phones and expensive data: at most 30 KB per page in total (the HTML and
every file it loads: our stylesheet, the tab's icon and the scripts it names, uncompressed), system fonts only,
nothing else loaded."""

import re

import pytest

from roundtable import ROOT
from tests.conftest import hidden_fields_of

BUDGET = 30 * 1024
STYLESHEET = (ROOT / "static" / "roundtable.css").read_bytes()
#: Questions as long as real ones: "My words" shows each with the reflections written to it.
QUESTIONS = [
    ("What would have helped you feel safe when you spoke to investigators or the court?",
     "Ano sana ang nakatulong para maramdaman mong ligtas ka noong nakipag-usap ka sa mga imbestigador o sa korte?"),
    ("What should leaders know about video-recorded interviews and plea bargaining?",
     "Ano ang dapat malaman ng mga pinuno tungkol sa naka-video na panayam at plea bargaining?"),
    ("Who stood by you during the case, and what did they do that helped?",
     "Sino ang sumuporta sa iyo habang may kaso, at ano ang ginawa nila na nakatulong?"),
    ("What should a shelter or a social worker do differently for the next child?",
     "Ano ang dapat gawin nang iba ng isang shelter o social worker para sa susunod na bata?"),
    ("What would you like survivors younger than you to hear?",
     "Ano ang gusto mong marinig ng mga survivor na mas bata sa iyo?"),
]


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:link|script|img|iframe|source|video|audio)\b[^>]*(?:href|src)="([^"]+)"', html)


def _weight(html: bytes) -> int:
    """The page and the files it loads (its <script> and <link> tags), as a phone with nothing kept receives them."""
    files = {re.sub(r"\?.*", "", address) for address in re.findall(
        r'<(?:script|link)\b[^>]*\b(?:src|href)="(/static/[^"]+)"', html.decode())}
    return len(html) + sum(len((ROOT / address.lstrip("/")).read_bytes()) for address in files)


@pytest.fixture
def participant_pages(client, make, csrf):
    """The HTML of every page a participant sees, in both languages, from joining to writing: "My words" with a
    reflection to each of five questions."""
    roundtable = make.roundtable(prompts=QUESTIONS)
    participant = make.participant(roundtable, language="en")
    draft, _submitted, released, _held, _also_released = (
        make.reflection(participant, prompt=prompt, status=status) for prompt, status in zip(
            roundtable.prompts, ("draft", "submitted", "released", "held", "released"), strict=True))
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
        for url in ("/before-you-write", "/my", f"/write/{roundtable.prompts[1].id}", f"/my/reflections/{draft.id}",
                    f"/my/reflections/{released.id}", f"/my/reflections/{released.id}/delete"):
            pages[f"[{language}] {url}"] = client.get(url)
        client.get("/exit")
    assert all(response.status_code == 200 for response in pages.values()), {
        url: response.status_code for url, response in pages.items() if response.status_code != 200
    }
    return {url: response.get_data() for url, response in pages.items()}


def test_every_participant_page_with_the_files_it_loads_weighs_at_most_30_kb(participant_pages):
    heavy = {url: _weight(html) for url, html in participant_pages.items() if _weight(html) > BUDGET}
    assert len(participant_pages) >= 20
    assert heavy == {}, f"over {BUDGET} bytes: {heavy}"


def test_the_page_before_deleting_the_longest_reflection_stays_within_the_budget(client, make, csrf):
    """It shows the words it erases (QA r1-2): their start, not all 10,000 characters."""
    from roundtable.services.participation import REFLECTION_MAX

    participant = make.participant(make.roundtable(prompts=QUESTIONS), language="fil")
    reflection = make.reflection(participant, text=("Ang 'tahanan' ay \"ligtas\" <dapat> & tahimik. " * 300)[:REFLECTION_MAX],
                                 language="fil")
    page = client.get("/return")
    client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})

    response = client.get(f"/my/reflections/{reflection.id}/delete")

    assert response.status_code == 200 and "<blockquote" in response.get_data(as_text=True)
    assert _weight(response.get_data()) <= BUDGET


def test_participant_pages_load_only_our_stylesheet_and_scripts(participant_pages):
    """The writing page's script, the passphrase page's and the pseudonym page's are loaded by their page only, after
    participant.js, whose namespace they use (deferred scripts run in the order they are named)."""
    for url, html in participant_pages.items():
        assets = [re.sub(r"\?.*", "", a) for a in _assets(html.decode())]
        own = ["/static/writing.js"] if re.search(r"/write/|/my/reflections/\d+$", url) else \
            ["/static/passphrase.js"] if url.endswith("/join/passphrase") else \
            ["/static/pseudonym.js"] if url.endswith("/join/pseudonym") else []
        assert set(assets) - set(own) <= {"/static/roundtable.css", "/static/participant.js", "/static/icon.svg"}, (
            url, assets)
        for script in own:
            assert script in assets and assets.index("/static/participant.js") < assets.index(script), (url, assets)


def test_the_stylesheet_uses_system_fonts_and_loads_nothing(participant_pages):
    css = STYLESHEET.decode()
    assert "@font-face" not in css and "@import" not in css
    assert "url(" not in css
    assert "system-ui" in css
