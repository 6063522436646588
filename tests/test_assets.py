"""Our stylesheet and scripts are addressed by their content: kept by a phone for a year, replaced when they change."""

import hashlib
import os
import re

import pytest

from roundtable import ROOT, assets


def _digest(name: str) -> str:
    return hashlib.sha256((ROOT / "static" / name).read_bytes()).hexdigest()[:12]


def test_pages_name_the_stylesheet_and_script_by_their_content(client, make, login):
    home = client.get("/").get_data(as_text=True)
    assert f'href="/static/roundtable.css?v={_digest("roundtable.css")}"' in home
    assert f'<link rel="icon" href="/static/icon.svg?v={_digest("icon.svg")}"' in home  # no /favicon.ico 404
    login(make.user("editor"))
    reflection = make.reflection(status="released")
    page = client.get(f"/editor/reflections/{reflection.id}").get_data(as_text=True)
    assert f'src="/static/editor.js?v={_digest("editor.js")}"' in page


def test_a_file_named_by_its_content_is_kept_for_a_year_and_a_page_is_never_kept(client):
    home = client.get("/")
    stylesheet = re.search(r'href="(/static/roundtable\.css\?v=\w+)"', home.get_data(as_text=True)).group(1)
    response = client.get(stylesheet)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert home.headers["Cache-Control"] == "no-store"
    assert "immutable" not in client.get("/static/roundtable.css").headers.get("Cache-Control", "")


@pytest.mark.parametrize("asked", ["x", "0123456789ab", "../roundtable.css"])
def test_a_file_asked_for_by_another_digest_than_its_own_is_not_kept_for_a_year(client, asked):
    """During an upgrade across hosts an older host may answer the new address with the old file: it must not stay
    on a phone for a year."""
    response = client.get("/static/roundtable.css", query_string={"v": asked})
    assert response.status_code == 200 and "immutable" not in response.headers.get("Cache-Control", "")


def test_a_changed_file_gets_a_new_address(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    target = tmp_path / "roundtable.css"
    target.write_text("body { color: #111; }")
    with app.test_request_context("/"):
        before = assets.asset_url("roundtable.css")
        assert assets.asset_url("roundtable.css") == before
        target.write_text("body { color: #222; }")
        os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 1_000_000_000))
        after = assets.asset_url("roundtable.css")
    assert before != after and after.startswith("/static/roundtable.css?v=")
