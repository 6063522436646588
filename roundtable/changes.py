"""How a view carries out a change that a service may refuse.

The service does the work; the view commits it, or, when a rule says no, rolls back everything the change
touched and shows the rule's own (translated) words: beside the form field they concern, or as a message
at the top of the next page. Nothing the person saved before is lost, and nothing half-done is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash
from wtforms import Field

from roundtable.db import db
from roundtable.services.errors import RuleViolation


@dataclass
class Outcome:
    saved: bool = False


@contextmanager
def change(errors_on: Field | None = None) -> Iterator[Outcome]:
    """``with change(errors_on=form.text) as outcome: service(...)``, then ``if outcome.saved: …``."""
    outcome = Outcome()
    try:
        yield outcome
    except RuleViolation as problem:
        db.session.rollback()
        if errors_on is None:
            flash(str(problem), "error")
        else:
            errors_on.errors = [*errors_on.errors, str(problem)]
    else:
        db.session.commit()
        outcome.saved = True
