"""Both languages, always: the Filipino catalogue is complete and in step with the code."""

from datetime import date, time
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "fil" / "LC_MESSAGES" / "messages.po"
POT = ROOT / "translations" / "messages.pot"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}


def _extracted() -> Catalog:
    catalog = Catalog()
    method_map = [("roundtable/**.py", "python"), ("templates/**.html", "jinja2")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords={**KEYWORDS}, options_map={"templates/**.html": {}}
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _ids(catalog) -> set:
    return {(m.context, m.id) for m in catalog if m.id}


@pytest.fixture(scope="module")
def filipino():
    with PO.open("rb") as fh:
        return read_po(fh, locale="fil")


def test_every_filipino_entry_is_translated_and_none_is_fuzzy(filipino):
    problems = []
    for message in filipino:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            problems.append(message.id)
    assert problems == []


def test_every_string_in_the_code_is_in_the_template_and_the_catalogue(filipino):
    extracted = _extracted()
    with POT.open("rb") as fh:
        template = read_po(fh)
    assert _ids(extracted) == _ids(template), "messages.pot is stale: run `make messages`"
    assert _ids(extracted) <= _ids(filipino), "untranslated strings: run `make messages` and translate"


def test_filipino_uses_one_plural_form_on_purpose(filipino):
    """Filipino nouns do not change after a number ("1 sipi", "12 sipi"), so one form serves all."""
    assert filipino.num_plurals == 1
    assert filipino.plural_expr == "0"


def test_plural_messages_work_in_both_languages(app):
    from flask_babel import force_locale, ngettext

    with app.test_request_context():
        def exported(n):
            return ngettext("Exported %(date)s: %(quotes)s quote", "Exported %(date)s: %(quotes)s quotes", n,
                            date="x", quotes=n)

        with force_locale("en"):
            assert exported(1).endswith("1 quote") and exported(3).endswith("3 quotes")
        with force_locale("fil"):
            for n in (0, 1, 2, 11):
                assert f"{n} sipi" in exported(n)


@pytest.mark.parametrize("header, expected", [("tl", "fil"), ("fil-PH", "fil"), ("en-US", "en"), ("tl-PH,en;q=0.5", "fil")])
def test_html_lang_follows_the_browser_and_accepts_tl_as_filipino(client, header, expected):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}">' in page


def test_the_language_switch_changes_the_page_and_stays(client):
    client.get("/language/en?next=/support")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    response = client.get("/language/tl?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    assert '<html lang="fil">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("schedule", "en", "fil"), [
    ({}, None, None),
    ({"meets_on": date(2031, 12, 6)}, "Saturday, December 6, 2031", "Sabado, Disyembre 6, 2031"),
    ({"meets_on": date(2031, 12, 6), "starts_at": time(9, 30)}, "Saturday, December 6, 2031, 9:30\u202fAM",
     "Sabado, Disyembre 6, 2031, 9:30\u202fAM"),
    ({"meets_on": date(2031, 12, 6), "starts_at": time(14), "ends_at": time(16, 30)},
     "Saturday, December 6, 2031, 2:00\u2009\u2013\u20094:30\u202fPM", "Sabado, Disyembre 6, 2031, 2:00\u20134:30\u202fPM"),
    # QA r5 #1: a meeting may end at midnight, or after it on the next day; and midnight is not read as noon. The
    # word is held to the time by a narrow no-break space, as Babel holds "AM": a narrow screen does not part them;
    # "(next day)" by no-break spaces, so that it is never alone at the start of a line.
    ({"meets_on": date(2031, 12, 6), "starts_at": time(22), "ends_at": time(0)},
     "Saturday, December 6, 2031, 10:00\u202fPM\u2009\u2013\u200912:00\u202fmidnight",
     "Sabado, Disyembre 6, 2031, 10:00\u202fPM\u2009\u2013\u200912:00\u202fng hatinggabi"),
    ({"meets_on": date(2031, 12, 6), "starts_at": time(21), "ends_at": time(1)},
     "Saturday, December 6, 2031, 9:00\u202fPM\u2009\u2013\u20091:00\u202fAM\u00a0(next\u00a0day)",
     "Sabado, Disyembre 6, 2031, 9:00\u202fPM\u2009\u2013\u20091:00\u202fAM\u00a0(kinabukasan)"),
    ({"meets_on": date(2031, 12, 7), "starts_at": time(0), "ends_at": time(1, 30)},
     "Sunday, December 7, 2031, 12:00\u202fAM\u2009\u2013\u20091:30\u202fAM",
     "Linggo, Disyembre 7, 2031, 12:00\u202fAM\u2009\u2013\u20091:30\u202fAM"),
])
def test_when_a_roundtable_meets_reads_naturally_in_both_languages(app, schedule, en, fil):
    """Babel's own patterns for the day and the hours; the time is the room's clock, not converted."""
    from flask_babel import force_locale

    from roundtable.i18n import meeting_time

    roundtable = SimpleNamespace(**{"meets_on": None, "starts_at": None, "ends_at": None, **schedule})
    with app.test_request_context():
        with force_locale("en"):
            assert meeting_time(roundtable) == en
        with force_locale("fil"):
            assert meeting_time(roundtable) == fil
