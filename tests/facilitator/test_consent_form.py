"""Facilitators change a consent form by making a new version; the old version stays as it was."""

import re

from sqlalchemy import select

from roundtable.db import db
from roundtable.models import ConsentClause, Roundtable


def _as_shown(roundtable, token: str) -> dict[str, str]:
    """The consent-form editor's fields as the page fills them in: every current statement, unchanged."""
    data = {"csrf_token": token}
    for n, clause in enumerate(roundtable.current_clauses()):
        data.update({f"clauses-{n}-key": clause.key, f"clauses-{n}-text_en": clause.text_en,
                     f"clauses-{n}-text_fil": clause.text_fil})
        if clause.required:
            data[f"clauses-{n}-required"] = "y"
    return data


def test_changing_the_consent_form_makes_a_new_version(client, make, login, csrf):
    roundtable = make.roundtable()
    client.get("/language/en")
    login(roundtable.facilitator)
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert "review_quotes" in html

    data = {"csrf_token": csrf(page), "new_key": "share_with_partners",
            "new_text_en": "My words may be shared with partner groups.",
            "new_text_fil": "Maaaring ibahagi ang aking mga salita sa mga katuwang na grupo."}
    for n, clause in enumerate(roundtable.current_clauses()):
        data.update({f"clauses-{n}-key": clause.key, f"clauses-{n}-text_en": clause.text_en,
                     f"clauses-{n}-text_fil": clause.text_fil})
        if clause.required:
            data[f"clauses-{n}-required"] = "y"
        if clause.key == "internal_use":
            data[f"clauses-{n}-remove"] = "y"

    response = client.post(url, data=data)

    assert response.status_code == 302
    roundtable = db.session.get(Roundtable, roundtable.id)
    assert roundtable.consent_version == 2
    keys = [c.key for c in roundtable.current_clauses()]
    assert "share_with_partners" in keys and "internal_use" not in keys
    old = db.session.scalars(select(ConsentClause).where(ConsentClause.version == 1)).all()
    assert len(old) == 5


def test_saving_the_form_unchanged_makes_no_new_version_and_asks_no_one_again(client, make, login, csrf):
    roundtable = make.roundtable()
    participant = make.participant(roundtable)
    client.get("/language/en")
    login(roundtable.facilitator)
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    data = _as_shown(roundtable, csrf(client.get(url)))
    data.update({key: value + " " for key, value in data.items() if key.endswith("-text_en")})  # spaces only

    response = client.post(url, data=data)

    assert response.status_code == 302
    assert "Nothing changed: the consent form stays version 1." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1
    from roundtable.services import consent
    assert not consent.needs_new_consent(participant)


def test_the_required_statements_cannot_be_removed(client, make, login, csrf):
    roundtable = make.roundtable()
    client.get("/language/en")
    login(roundtable.facilitator)
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    data = _as_shown(roundtable, csrf(client.get(url)))
    data.update({f"clauses-{n}-remove": "y" for n in range(len(roundtable.current_clauses()))})
    data = {key: value for key, value in data.items() if not key.endswith("-required")}
    response = client.post(url, data=data)
    assert response.status_code == 200 and "must stay required" in response.get_data(as_text=True)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1


def test_other_facilitators_cannot_change_it(client, make, login):
    roundtable = make.roundtable()
    login(make.user("facilitator"))
    assert client.get(f"/facilitator/roundtables/{roundtable.id}/consent").status_code == 404


def _posted_form(roundtable, page, csrf, **changes):
    data = {"csrf_token": csrf(page)}
    for n, clause in enumerate(roundtable.current_clauses()):
        data.update({f"clauses-{n}-key": clause.key, f"clauses-{n}-text_en": clause.text_en,
                     f"clauses-{n}-text_fil": clause.text_fil})
        if clause.required:
            data[f"clauses-{n}-required"] = "y"
    data.update(changes)
    return data


def test_a_refusal_is_shown_beside_the_statement_it_is_about(client, make, login, csrf):
    roundtable = make.roundtable()
    client.get("/language/en")
    login(roundtable.facilitator)
    url = f"/facilitator/roundtables/{roundtable.id}/consent"
    keys = [c.key for c in roundtable.current_clauses()]

    html = client.post(url, data=_posted_form(roundtable, client.get(url), csrf, **{"clauses-0-text_en": ""})
                       ).get_data(as_text=True)
    assert re.search(r'<a href="#clauses-0-text_en">[^<:]+: Write each statement in English and in Filipino.</a>', html)
    assert re.search(r'<textarea[^>]*aria-describedby="clauses-0-text_en-error"[^>]*aria-invalid="true"', html)

    quoting = keys.index("quote_publicly")
    html = client.post(url, data=_posted_form(roundtable, client.get(url), csrf, **{f"clauses-{quoting}-required": "y"})
                       ).get_data(as_text=True)
    assert f'<a href="#clauses-{quoting}-required">' in html
    assert re.search(rf'<input[^>]*aria-describedby="clauses-{quoting}-required-error"', html)
    assert db.session.get(Roundtable, roundtable.id).consent_version == 1
