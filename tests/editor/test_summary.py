"""The summary page: exportable quotes per theme and language, as an SVG chart and a table that agree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from roundtable.services import consent
from tests.editor.conftest import quote_of

SVG = "{http://www.w3.org/2000/svg}"


def chart_counts(body: str) -> dict[str, dict[str, int]]:
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", body, re.S).group(0))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    counts = {}
    for group in svg.iter(f"{SVG}g"):
        counts[group.get("data-theme")] = {bar.get("data-language"): int(bar.get("data-count"))
                                           for bar in group.iter(f"{SVG}rect")}
    return counts


def table_counts(body: str) -> dict[str, dict[str, int]]:
    counts = {}
    for theme, cells in re.findall(r'<tr data-theme="([^"]+)">(.*?)</tr>', body, re.S):
        counts[theme] = {lang: int(n) for lang, n in re.findall(r'<td data-language="(\w+)">(\d+)</td>', cells)}
    return counts


def test_chart_and_table_count_only_exportable_quotes(make, editor, desk, shelf):
    body = desk.get("/editor/summary").get_data(as_text=True)
    assert "style=" not in body  # the CSP forbids inline styles
    courts = str(shelf.courts.id)
    expected = {courts: {"fil": 1, "en": 0, "mixed": 0}, "none": {"fil": 0, "en": 1, "mixed": 0}}
    assert chart_counts(body) == expected  # the revoked, held, draft quotes are not counted
    assert table_counts(body) == expected

    author = shelf.fil.reflection.participant
    consent.change_clause(author, "quote_publicly", grant=False)
    from roundtable.db import db
    db.session.commit()
    body = desk.get("/editor/summary").get_data(as_text=True)
    assert chart_counts(body) == {courts: {"fil": 0, "en": 0, "mixed": 0}}


def test_bars_are_as_long_as_their_counts(make, editor, desk):
    author = make.participant()
    for n in range(3):
        quote_of(editor, make.reflection(author, text=f"The court listened on day {n}."))
    quote_of(editor, make.reflection(author, text="Sana makinig ang korte sa mga bata.", language="fil"),
             translation="I hope the court listens to children.")
    body = desk.get("/editor/summary").get_data(as_text=True)
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", body, re.S).group(0))
    widths = {bar.get("data-language"): float(bar.get("width")) for bar in svg.iter(f"{SVG}rect") if bar.get("data-count")}
    assert widths["en"] == 3 * widths["fil"] and widths["mixed"] == 0


def test_a_quote_with_two_themes_counts_under_each_and_one_without_under_none(make, editor, desk):
    from roundtable.services import curation

    courts, healing = curation.add_theme(editor, "Courts", "Mga korte"), curation.add_theme(editor, "Healing", "Paghilom")
    author = make.participant()
    quote_of(editor, make.reflection(author, text="The court listened and I healed."), themes=[courts, healing])
    quote_of(editor, make.reflection(author, text="Judges should believe children."), themes=[courts])
    quote_of(editor, make.reflection(author, text="Healing takes time."))
    body = desk.get("/editor/summary").get_data(as_text=True)
    assert table_counts(body) == chart_counts(body) == {
        str(courts.id): {"fil": 0, "en": 2, "mixed": 0},
        str(healing.id): {"fil": 0, "en": 1, "mixed": 0},
        "none": {"fil": 0, "en": 1, "mixed": 0},
    }
    assert "3 quotes in all." in body  # not the 4 that adding up the table would give


def test_a_long_theme_name_is_shortened_in_the_chart_and_whole_in_its_tooltip_and_the_table(make, editor, desk):
    from roundtable.db import db
    from roundtable.services import curation

    long_name = "Experiences in court and the long process of a child testifying before a judge"
    theme = curation.add_theme(editor, long_name, "Mga karanasan sa korte")
    db.session.commit()
    quote = quote_of(editor, make.reflection())
    curation.update_quote(editor, quote, expected_version=quote.version_id, text=quote.text, language="en",
                          translation=None, translation_language=None, descriptor=quote.descriptor, themes=[theme])
    db.session.commit()
    desk.get("/language/en")
    body = desk.get("/editor/summary").get_data(as_text=True)
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", body, re.S).group(0))
    (label,) = [text for text in svg.iter(f"{SVG}text") if text.find(f"{SVG}title") is not None]
    assert label.text == "Experiences in court and th…" and label.find(f"{SVG}title").text == long_name
    assert long_name in re.search(r"<table.*?</table>", body, re.S).group(0)
