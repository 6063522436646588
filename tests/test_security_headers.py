"""Every response carries the hardening headers; forms refuse a missing or wrong CSRF token, prefixed or not."""

import pytest

from tests.conftest import csrf_token_of


@pytest.mark.parametrize("path", ["/", "/login", "/join", "/return", "/no/such/page"])
def test_every_page_carries_the_hardening_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # only over HTTPS


@pytest.mark.parametrize("path", ["/", "/join", "/no/such/page"])
def test_every_page_also_asks_for_no_referrer_and_fits_a_phone(client, path):
    """The header can be lost behind a proxy or in a saved copy; the page says it again itself."""
    page = client.get(path).get_data(as_text=True)
    assert '<meta name="referrer" content="no-referrer">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_hsts_over_https(client):
    headers = client.get("/", base_url="https://roundtable.test").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_pages_with_several_forms_check_each_prefixed_token(client, make, login):
    admin, editor = make.user("admin"), make.user("editor")
    login(admin)
    page = client.get(f"/admin/users/{editor.id}")
    assert 'name="act-csrf_token"' in page.get_data(as_text=True)
    refused = client.post(f"/admin/users/{editor.id}", data={"act-csrf_token": "wapiti", "act-action": "deactivate"})
    assert refused.status_code == 400
    missing = client.post(f"/admin/users/{editor.id}", data={"act-action": "deactivate"})
    assert missing.status_code == 400
    client.post(f"/admin/users/{editor.id}", data={"act-csrf_token": csrf_token_of(page), "act-action": "deactivate",
                                                   "confirmed": "yes"})
    from roundtable.db import db
    from roundtable.models import User

    assert not db.session.get(User, editor.id).active


def test_a_wrong_token_on_the_login_form_is_refused(client):
    response = client.post("/login", data={"username": "a", "password": "b", "csrf_token": "wapiti"})
    assert response.status_code == 400


def test_a_form_from_a_browser_that_keeps_no_cookie_says_so_instead_of_expired(app, client):
    page = client.get("/join")
    token = csrf_token_of(page)
    cookieless = app.test_client(use_cookies=False)

    response = cookieless.post("/join", data={"code": "KAPWA7", "language": "en", "csrf_token": token})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "did not keep our cookie" in html and "<title>This browser did not keep our cookie · Roundtable</title>" in html
    assert "This page is out of date" in client.post("/join", data={"code": "KAPWA7", "csrf_token": "old"}).get_data(as_text=True)


@pytest.mark.parametrize(("path", "form"), [
    ("/join", {"code": "KAPWA7", "language": "en"}),
    ("/login", {"username": "amihan", "password": "harbour-lantern-77"}),
])
def test_production_reached_over_plain_http_blames_the_set_up_not_the_browser(app, client, monkeypatch, caplog,
                                                                              path, form):
    """Production's cookie is Secure: a browser drops it on plain http (keeping it only on its own loopback address),
    whatever its settings. The person cannot change that; whoever runs the site is told in the log."""
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    token = csrf_token_of(client.get(path))
    cookieless = app.test_client(use_cookies=False)

    response = cookieless.post(path, data={**form, "csrf_token": token},
                               environ_base={"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 Kestrel"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h1>This site is not set up correctly</h1>" in html and "It is not your fault" in html
    assert "cookie" not in html.lower()
    warned = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(warned) == 1 and "over plain http without the session cookie" in warned[0]
    assert "ROUNDTABLE_PROXY_FIX_HOPS" in warned[0] and "X-Forwarded-Proto" in warned[0]
    assert "203.0.113.7" not in caplog.text and "Kestrel" not in caplog.text


def test_production_over_https_without_the_cookie_still_asks_to_allow_cookies(app, client, monkeypatch, caplog):
    """Over https the cookie was sent as it should be: if it did not come back, the browser refused it."""
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    token = csrf_token_of(client.get("/join", base_url="https://roundtable.test"))
    cookieless = app.test_client(use_cookies=False)

    response = cookieless.post("/join", data={"code": "KAPWA7", "language": "en", "csrf_token": token},
                               base_url="https://roundtable.test")

    assert "<h1>This browser did not keep our cookie</h1>" in response.get_data(as_text=True)
    assert not [record for record in caplog.records if record.levelname == "WARNING"]


def test_a_method_not_allowed_says_which_are(client):
    response = client.post("/support")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert "<title>We could not use that request · Roundtable</title>" in response.get_data(as_text=True)


def test_an_error_page_is_titled_as_its_heading(client):
    html = client.get("/no-such-page").get_data(as_text=True)
    assert "<title>Page not found · Roundtable</title>" in html and "<h1>Page not found</h1>" in html
