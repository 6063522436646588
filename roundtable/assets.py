"""Static files are addressed by their content, so a phone keeps them for a year and an upgrade still reaches it.

On slow, expensive data every request counts. A page names ``/static/roundtable.css?v=<digest>``; the
browser keeps that file without asking again, and a changed file has a new digest, hence a new address.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request, url_for

ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=32)
def _digest(path: str, modified_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def _digest_of(filename: str) -> str:
    """The content digest of a file under static/ (re-read only when the file changes)."""
    path = Path(current_app.static_folder, filename)
    stat = path.stat()
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


def asset_url(filename: str) -> str:
    """The address of a file under static/, with its content digest."""
    return url_for("static", filename=filename, v=_digest_of(filename))


def _cache_versioned(response):
    """Kept for a year only when the digest asked for is the file's own: during an upgrade across hosts, an older
    host may answer the new address with the old file, which must not stay on a phone for a year."""
    if (request.endpoint == "static" and response.status_code == 200 and request.args.get("v")
            and request.args["v"] == _digest_of(request.view_args["filename"])):
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response


def init_app(app: Flask) -> None:
    app.add_template_global(asset_url)
    app.after_request(_cache_versioned)
