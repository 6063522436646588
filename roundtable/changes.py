"""How a view carries out a change that a service may refuse.

The service does the work; the view commits it, or, when a rule says no, rolls back everything the change
touched and shows the rule's own (translated) words: beside the form field they concern, or as a message
at the top of the next page. Nothing the person saved before is lost, and nothing half-done is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from flask import flash, g, get_flashed_messages, redirect, render_template, request
from flask_babel import gettext as _
from jinja2 import pass_context
from wtforms import Field
from wtforms.form import BaseForm

from roundtable.db import db
from roundtable.forms import SentOnce, TypedBoxes, error_links
from roundtable.services import sent_forms
from roundtable.services.errors import Gone, RuleViolation


@dataclass
class Outcome:
    saved: bool = False
    # Where the person goes next: set by the block; for a form sent again, where its first sending led.
    location: str | None = None
    sent_before: bool = False
    refusal: RuleViolation | None = None  # what a service refused, when it did


@contextmanager
def change(
    errors_on: Field | Callable[[RuleViolation], Field] | None = None, *, once: SentOnce | None = None,
    say_sent_twice: bool = True, sent_twice_at: str | None = None, place: str | None = None,
) -> Iterator[Outcome]:
    """``with change(errors_on=form.text) as outcome: service(...)``, then ``if outcome.saved: …``.

    ``errors_on`` is the field a refusal is shown beside, or a function that picks it from the refusal (for a
    refusal of several problems, from each of them).
    With ``once=form`` (a form that makes something), the block sets ``outcome.location``; when the same form
    was saved before (a double click), the block's work is rolled back and ``outcome.location`` is where the
    first sending led, with ``outcome.sent_before`` set and a message saying so, unless ``say_sent_twice`` is
    false (a download shows no next page to say it on); it is said at ``sent_twice_at`` (see ``flash_at``), the place
    where that page says what the first sending did, a message the second sending's page stands in for. Without
    ``errors_on``, a refusal is a message at the top of the next page, or at ``place`` (see ``flash_at``) when the
    next page is scrolled there. A record gone from sight (``Gone``) is rolled back and raised on, for
    ``back_to_list_when_gone``.
    """
    outcome = Outcome()
    try:
        yield outcome
        if once is not None:
            sent_forms.record(g.user, once.once_key(), outcome.location, once.sent_twice_within)
    except sent_forms.SentBefore as first:
        _lead_to_first(outcome, first.location, say_sent_twice, sent_twice_at)
    except RuleViolation as problem:
        db.session.rollback()
        if isinstance(problem, Gone):
            raise
        outcome.location, outcome.refusal = None, problem
        # Sent again after the first was saved, the form can break a rule the first sending set up (a name
        # now taken): lead to what the first made instead of showing that.
        first = sent_forms.earlier(g.user, once.once_key(), once.sent_twice_within) if once is not None else None
        if first is not None:
            _lead_to_first(outcome, first, say_sent_twice, sent_twice_at)
        elif errors_on is None:
            for each in problem.each():
                flash_at(place, str(each), "error")
        else:
            for each in problem.each():  # several problems (``Several``): each beside its own field
                field = errors_on(each) if callable(errors_on) and not isinstance(errors_on, Field) else errors_on
                if str(each) not in field.errors:  # two problems told beside one field (a key typed oddly) say it once
                    field.errors = [*field.errors, str(each)]
    else:
        db.session.commit()
        outcome.saved = True


def field_named(form, *, otherwise: Field) -> Callable[[RuleViolation], Field]:
    """For ``errors_on``: the field of ``form`` a refusal names (a descriptor, a taken name, a date), else
    ``otherwise``."""
    return lambda problem: form[problem.field] if problem.field and problem.field in form else otherwise


def back_to_list_when_gone(list_url: Callable[[], str], *, shows_back: TypedBoxes | None = None):
    """A view decorator: a form sent from a page whose record went out of sight meanwhile leads to ``list_url()``
    with the reason, instead of to a bare "not found" page that drops what was typed without saying why. Words
    typed into one of the boxes ``shows_back`` names are shown back instead, with the reason, to be copied: once,
    kept nowhere (a note about someone who took their words back is not stored)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except Gone as gone:
                if request.method != "POST":
                    raise
                db.session.rollback()
                typed = shows_back.typed(request.form) if shows_back else []
                if typed:
                    say_refused()
                    return render_template("not_saved.html", said=str(gone), typed=typed, back=list_url()), 409
                flash(str(gone), "error")
                return redirect(list_url())
        return wrapper
    return decorate


def sent_before(once: SentOnce, *, at: str | None = None) -> str | None:
    """Where this form's first sending led, said so (at ``at``, as ``change``'s ``sent_twice_at``), when it was saved
    before; else None. For a view that must ask before it opens its record, which the first sending took away (a
    roundtable handed over)."""
    first = sent_forms.earlier(g.user, once.once_key(), once.sent_twice_within)
    if first is not None:
        _say_sent_twice(at)
    return first


def _lead_to_first(outcome: Outcome, location: str, say_so: bool, place: str | None) -> None:
    outcome.location = location
    outcome.sent_before = True
    if say_so:
        _say_sent_twice(place)


def _say_sent_twice(place: str | None) -> None:
    """Said where the page the first sending led to says its own message, which it often stands for: the second
    sending's answer is the page the browser shows, so the first's message was never seen."""
    flash_at(place, _("This form was sent twice. What it made was saved once, here."))


def asked_first(answer: str = "yes") -> bool:
    """Whether the form comes from the page ``ask_first`` showed, answered ``answer`` ("yes" or "no")."""
    return request.form.get("confirmed") == answer


def ask_first(question: str, *explanation: str, yes: str, back: str | None = None, no: str | None = None) -> str:
    """A page that asks before the change the form asked for: answering yes sends the same form again, with
    ``asked_first()`` true. No leads to ``back`` (this page's address by default); or, given ``no``, is a button
    that sends the form again with ``asked_first("no")`` true, for a view that shows the form back as it was
    typed (nothing in it is lost to the question)."""
    fields = [(name, value) for name, value in request.form.items(multi=True) if name != "confirmed"]
    return render_template("confirm.html", question=question, explanation=explanation, yes=yes, no=no,
                           back=back or request.path, fields=fields)


def flash_at(place: str | None, message: str, kind: str = "message") -> None:
    """A message shown at ``place`` on the next page (the template's ``messages_here(place)``: under the heading of
    what it is about, focused there with ``focus=true`` so a screen reader says it), not at the page's top, where it
    would be out of sight or unsaid; with no place, at the top."""
    flash(message, f"{kind}@{place}" if place else kind)


def say_refused() -> None:
    """For a view that checks what was sent by itself (not through a form or ``change``): the page it shows
    again says, in its title, that something was refused."""
    g.refused = True


@pass_context
def refused_here(context) -> bool:
    """Whether the page shows something the person sent as refused: a form with what was wrong with it (in a list
    of forms or a dict of forms too), a message of the kind "error", or a refusal a view said (``say_refused``).
    The page's title then says so, the first thing a screen reader reads of it (WCAG 2.4.2, 3.3.1)."""
    if g.get("refused") or any(kind == "error" for kind, _place, _message in _flashed()):
        return True

    def forms(value):
        if isinstance(value, BaseForm):
            yield value
        elif isinstance(value, (dict, list, tuple)):
            for item in value.values() if isinstance(value, dict) else value:
                yield from forms(item)

    return any(error_links(form) for value in context.get_all().values() for form in forms(value))


def messages_at(place: str | None = None) -> list[tuple[str, str]]:
    """The messages for ``place`` (None: the top of the page), as (kind, text)."""
    return [(kind, message) for kind, at, message in _flashed() if at == place]


def no_success_said() -> None:
    """For an error page: it shows the refusals waiting to be said and drops every other message ("Saved",
    "Released") for good. One said in this same request announced work the error undid or stopped (a save the
    database then refused); one said before belongs to the page the change led to, which is what failed (its record
    removed meanwhile): kept for a later page, it would read as about that page."""
    g.error_page = True


def _flashed() -> list[tuple[str, str | None, str]]:
    """The messages for this page, as (kind, place or None, text): ``flash_at`` writes the place into the category."""
    found = []
    for category, message in get_flashed_messages(with_categories=True):
        kind, _sep, at = category.partition("@")
        if kind == "error" or not g.get("error_page"):
            found.append((kind, at or None, message))
    return found
