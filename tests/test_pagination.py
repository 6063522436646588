"""Paging through years of data: the count stops a fixed number of pages ahead, and Next still works."""

from sqlalchemy import select

from roundtable.db import db
from roundtable.models import AuditEvent
from roundtable.services import pagination


def _events(n: int) -> None:
    db.session.add_all([AuditEvent(actor_type="system", action="test.event") for _ in range(n)])
    db.session.commit()


def test_small_lists_have_an_exact_count(ctx):
    _events(30)
    page = pagination.paginate(select(AuditEvent).order_by(AuditEvent.id), 1, 25)
    assert (page.total, page.pages, page.total_is_exact, page.has_next) == (30, 2, True, True)
    last = pagination.paginate(select(AuditEvent).order_by(AuditEvent.id), 2, 25)
    assert len(last.items) == 5 and not last.has_next


def test_large_lists_count_only_a_few_pages_ahead_and_say_so(ctx, monkeypatch):
    monkeypatch.setattr(pagination, "LOOKAHEAD_PAGES", 2)
    _events(40)
    page = pagination.paginate(select(AuditEvent).order_by(AuditEvent.id), 1, 5)
    assert page.total_is_exact is False
    assert page.pages == 3 and page.has_next  # "Page 1 of more than 3"
    last = pagination.paginate(select(AuditEvent).order_by(AuditEvent.id), 8, 5)
    assert last.total_is_exact is True and last.pages == 8 and not last.has_next


def test_the_pager_says_more_than_when_the_count_stopped_early(app, client, make, login, monkeypatch):
    monkeypatch.setattr(pagination, "LOOKAHEAD_PAGES", 1)
    admin = make.user("admin")
    _events(200)  # the audit log shows 50 a page
    login(admin)
    client.get("/language/en")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Page 1 of more than 2" in html
    assert 'rel="next"' in html
