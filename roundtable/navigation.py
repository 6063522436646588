"""Where to send people after an action."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect


def safe_next(target: str | None, default_endpoint: str = "public.home") -> str:
    """Only same-site relative paths, so a ``next`` parameter never becomes an open redirect."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable()):  # no line breaks or other control characters for a Location header
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(default_endpoint)


def page_at_or_above(path: str) -> str:
    """``path`` if it is a page (it answers GET), else the nearest address above it that is: where "go back"
    leads from a form that only posts (/admin/users/2/hand-over → /admin/users/2)."""
    adapter = current_app.url_map.bind("localhost")
    while path.startswith("/") and path != "/":
        try:
            adapter.match(path, method="GET")
            return path
        except RequestRedirect:  # the same page with its trailing slash
            return path
        except HTTPException:
            path = path.rsplit("/", 1)[0]
    return url_for("public.home")


def last_page_instead(page):
    """A list page past the end of a list that still has items (its last item was just decided or acknowledged,
    elsewhere or here) leads to the list's last page, with the same filters; None when the page is in the list
    or the list is empty (the page says so). Only a page asked for: a form refused on a list page is shown again
    with what was typed, not sent away."""
    if page.items or page.number == 1 or not page.total or request.method != "GET":
        return None
    return redirect(url_for(request.endpoint, **{**request.args.to_dict(), **request.view_args, "page": page.pages}))
