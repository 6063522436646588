"""Support contacts are configured by the organisation, in both languages; each reader sees them in
their own language, and a contact given in one language only is shown marked with its ``lang``."""

import json

import pytest

from roundtable import config

CONTACTS = [
    {"name_en": "Survivor helpline", "name_fil": "Helpline para sa mga survivor", "contact": "1343",
     "hours_en": "Every day, 8am to 8pm", "hours_fil": "Araw-araw, 8 n.u. hanggang 8 n.g."},
    {"name_en": "Legal aid desk", "name_fil": "", "contact": "legal-aid.example.org", "hours_en": "Weekdays"},
]


@pytest.fixture
def contacts(app, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPORT_CONTACTS", CONTACTS)


def _support(client, language):
    client.get(f"/language/{language}")
    return client.get("/support").get_data(as_text=True)


def test_contacts_come_from_the_environment_as_json(tmp_path):
    settings = config.load(tmp_path, {"ROUNDTABLE_SUPPORT_CONTACTS": json.dumps(CONTACTS)})
    assert settings["SUPPORT_CONTACTS"] == CONTACTS


def test_a_filipino_reader_sees_the_filipino_names_and_hours(client, contacts):
    html = _support(client, "fil")
    assert "<strong>Helpline para sa mga survivor</strong>" in html
    assert "<span>Araw-araw, 8 n.u. hanggang 8 n.g.</span>" in html
    assert "Survivor helpline" not in html
    assert "1343" in html


def test_an_english_reader_sees_the_english_names_and_hours(client, contacts):
    html = _support(client, "en")
    assert "<strong>Survivor helpline</strong>" in html
    assert "<span>Every day, 8am to 8pm</span>" in html
    assert "Helpline para sa" not in html


def test_a_contact_in_one_language_only_is_shown_and_marked_with_its_language(client, contacts):
    html = _support(client, "fil")
    assert '<strong lang="en">Legal aid desk</strong>' in html
    assert '<span lang="en">Weekdays</span>' in html
    assert "legal-aid.example.org" in html


def test_without_contacts_the_page_points_to_the_facilitator(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPORT_CONTACTS", [])
    html = _support(client, "en")
    assert "Ask your facilitator for the support contacts" in html


def test_a_telephone_number_is_called_with_one_tap_and_anything_else_is_shown_as_written(client, contacts):
    html = _support(client, "en")
    assert '<a href="tel:1343">1343</a>' in html
    assert "legal-aid.example.org" in html and 'href="tel:' not in html.split("legal-aid.example.org")[0][-40:]


@pytest.mark.parametrize(("contact", "tel"), [
    ("0917 000 0000", "tel:09170000000"), ("+63 (2) 8123-4567", "tel:+63281234567"), ("1343", "tel:1343"),
    ("legal-aid.example.org", None), ("Room 4, city hall", None), ("12", None), ("1343 or 0917 000 0000", None),
    ("- 123", None), ("((((123", None),
])
def test_only_a_contact_that_is_a_telephone_number_becomes_a_tel_address(contact, tel):
    from roundtable.public.views import _phone_number

    assert _phone_number(contact) == tel
