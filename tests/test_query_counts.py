"""Lists stay fast with years of data: each list page asks the database a fixed number of questions.

For every list page we count the SQL statements it sends with 10 rows and with 1,000 rows behind it.
The counts must be equal: a page that loads each row's author or themes one by one (an "N+1") fails here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from roundtable.db import db, utcnow
from roundtable.models import (
    AuditEvent, Export, Participant, Quote, Reflection, Roundtable, Theme, User, export_quotes,
)
from roundtable.models.quotes import quote_themes
from tests.conftest import counting_queries

AUTHORS = 30  # more than a page (25), so each row of a page has its own author


def _seed(make, rows: int) -> dict:
    """``rows`` released reflections, submitted reflections, quotes (each with a theme) and audit events."""
    facilitator = make.user("facilitator")
    editor = make.user("editor")
    admin = make.user("admin")
    roundtable = make.roundtable(facilitator)
    authors = [make.participant(roundtable, language="en") for _ in range(min(rows, AUTHORS))]
    prompts = roundtable.prompts
    now = utcnow()

    def reflection(i: int, status: str, author=None) -> Reflection:
        author = author or authors[i % len(authors)]
        return Reflection(
            participant_id=author.id, prompt_id=prompts[i % len(prompts)].id, language="en",
            text=f"Reflection {i}: courts should listen to children and believe them.", status=status,
            created_at=now, updated_at=now, submitted_at=now,
        )

    released = [reflection(i, "released") for i in range(rows)]
    submitted = [reflection(i, "submitted") for i in range(rows)]
    db.session.add_all(released + submitted)
    db.session.flush()
    themes = [Theme(name_en=f"Theme {i}", name_fil=f"Tema {i}") for i in range(3)]
    db.session.add_all(themes)
    quotes = [
        Quote(reflection_id=r.id, text=f"courts should listen {i}", language="en", descriptor="survivor leader",
              status="approved", revision=1, participant_approved_revision=1, created_by_id=editor.id,
              approved_by_id=editor.id, approved_at=now, created_at=now, updated_at=now)
        for i, r in enumerate(released)
    ]
    db.session.add_all(quotes)
    db.session.flush()
    db.session.execute(insert(quote_themes), [{"quote_id": q.id, "theme_id": themes[i % 3].id}
                                              for i, q in enumerate(quotes)])
    db.session.execute(insert(AuditEvent), [
        {"created_at": now, "actor_type": "user", "actor_id": editor.id, "action": "quote.approved",
         "target_type": "quote", "target_id": q.id} for q in quotes
    ])
    # ``rows`` exported quotes their authors took back since, for "Withdrawn after export".
    taken_back = [
        Quote(reflection_id=r.id, text=None, language="en", descriptor="survivor leader", status="withdrawn",
              revision=1, created_by_id=editor.id, created_at=now, updated_at=now)
        for r in released
    ]
    db.session.add_all(taken_back)
    db.session.flush()
    exports = [Export(user_id=editor.id, format="csv", quote_count=len(taken_back)) for _ in range(2)]
    # ``rows`` more exports of other quotes, for the editor's past exports.
    exports_of_others = [Export(user_id=editor.id, format="docx", quote_count=1) for _ in range(rows)]
    db.session.add_all(exports_of_others)
    db.session.add_all(exports)
    db.session.flush()
    db.session.execute(insert(export_quotes), [{"export_id": e.id, "quote_id": q.id} for e in exports for q in taken_back])
    taken_back_at = max(e.created_at for e in exports) + timedelta(seconds=1)  # after they left in the exports
    db.session.execute(insert(AuditEvent), [
        {"created_at": taken_back_at, "actor_type": "participant", "actor_id": None, "action": "quote.withdrawn",
         "target_type": "quote", "target_id": q.id} for q in taken_back
    ])
    # ``rows`` roundtables and staff accounts, for the facilitator's and the admin's lists. The roundtables are
    # past their retention date with one reflection each, for the administrator's "Waiting to be erased".
    listed = [
        Roundtable(title_en=f"Courts {i}", title_fil=f"Mga korte {i}", join_code=f"LIST{i:05d}", status="closed",
                   retention_until=now.date() - timedelta(days=1), facilitator_id=facilitator.id)
        for i in range(rows)
    ]
    db.session.add_all(listed)
    db.session.flush()
    past = [Participant(roundtable_id=r.id, pseudonym=f"Tala {i}", pseudonym_key=f"tala {i}", language="en",
                        passphrase_digest=f"listed-{i}") for i, r in enumerate(listed)]
    db.session.add_all(past)
    db.session.flush()
    db.session.add_all(
        Reflection(participant_id=author.id, prompt_id=prompts[0].id, language="en", text="Courts should listen.",
                   status="released", created_at=now, updated_at=now, submitted_at=now)
        for author in past
    )
    db.session.add_all(User(username=f"listed{i}", display_name="Staff Member", password_hash="not a real hash",
                            roles="editor") for i in range(rows))
    # ``rows`` more themes, for the editor's themes page (each list of themes reads one page's usage).
    db.session.add_all(Theme(name_en=f"Listed theme {i}", name_fil=f"Nakalistang tema {i}") for i in range(rows))
    # One participant who wrote ``rows`` reflections, for "My words".
    writer = make.participant(roundtable, language="en")
    db.session.add_all([reflection(i, "submitted", author=writer) for i in range(rows)])
    db.session.commit()
    return {"facilitator": facilitator, "editor": editor, "admin": admin, "writer": writer, "roundtable": roundtable.id}


def _sign_in_participant(client, csrf, participant):
    page = client.get("/return")
    response = client.post("/return", data={"passphrase": participant.passphrase, "csrf_token": csrf(page)})
    assert response.status_code == 302


LIST_PAGES = [
    pytest.param("facilitator", "/facilitator/moderation", id="facilitator moderation list"),
    pytest.param("facilitator", "/facilitator/moderation?status=released", id="facilitator released list"),
    pytest.param("editor", "/editor/", id="editor reflections list"),
    pytest.param("editor", "/editor/?words=BELIEVE+courts", id="editor reflections holding words"),
    pytest.param("editor", "/editor/quotes", id="editor quotes list"),
    pytest.param("editor", "/editor/quotes?words=should+LISTEN", id="editor quotes holding words"),
    pytest.param("admin", "/admin/audit", id="admin audit log"),
    pytest.param("editor", "/editor/notices", id="editor withdrawn after export"),
    pytest.param("editor", "/editor/exports", id="editor past exports"),
    pytest.param("facilitator", "/facilitator/", id="facilitator roundtables"),
    pytest.param("admin", "/admin/users", id="admin staff accounts"),
    pytest.param("admin", "/admin/retention", id="admin retention"),
    pytest.param("editor", "/editor/themes", id="editor themes"),
    pytest.param("editor", "/editor/summary", id="editor summary chart"),
    pytest.param("writer", "/my", id="participant my words"),
    # Its authors each said no to internal use: the list of names holds one of them for each.
    pytest.param("facilitator", "/facilitator/roundtables/{roundtable}/participants", id="facilitator participants"),
]


def _queries_for(app, make, login, csrf, rows: int, who: str, url: str) -> tuple[int, int]:
    people = _seed(make, rows)
    url = url.format(roundtable=people["roundtable"])
    browser = app.test_client()
    if who == "writer":
        _sign_in_participant(browser, csrf, people["writer"])
    else:
        login(people[who], on=browser)
    browser.get(url)  # warm caches (translations, templates) so only the page's own queries are counted
    with counting_queries() as statements:
        response = browser.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return len(statements), response.get_data(as_text=True).count("<li") + response.get_data(as_text=True).count("<tr")


@pytest.mark.parametrize(("who", "url"), LIST_PAGES)
def test_list_page_query_count_does_not_grow_with_the_rows(app, make, login, csrf, who, url):
    small, small_items = _queries_for(app, make, login, csrf, 10, who, url)
    # start again from empty tables with a hundred times the rows
    db.session.remove()
    with db.engine.begin() as connection:
        for table in app.config["ALL_TABLES"]:
            connection.exec_driver_sql(f'DELETE FROM "{table}"')
    large, large_items = _queries_for(app, make, login, csrf, 1000, who, url)
    assert large_items > small_items or who == "writer", "the larger list should show more rows on its page"
    assert large == small, f"{url}: {small} queries with 10 rows but {large} with 1,000"
