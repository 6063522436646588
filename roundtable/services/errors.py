"""Errors the services raise when a rule says no; their message is already translated (lazily)."""

from __future__ import annotations


class RuleViolation(Exception):
    """The action breaks a domain rule; ``str(exc)`` is a message for the person who tried it.

    ``field`` names the input the rule is about, where it is one of several (a form shows the message there).
    """

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)

    def each(self) -> list[RuleViolation]:
        """The problems this refusal is made of, each with its own field: this one alone, unless it is ``Several``."""
        return [self]


class Several(RuleViolation):
    """Problems found in one sending, said together, so that each is put right in one go rather than found on the
    next try (WCAG 3.3.1). Read as one refusal (its message, its field), it is the first of them."""

    def __init__(self, problems: list[RuleViolation]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = list(problems)

    def each(self) -> list[RuleViolation]:
        return list(self.problems)


def refuse(problems: list[RuleViolation]) -> None:
    """Raise the problems found, if any: one as itself, more than one together (``Several``)."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Several(problems)


class NotFound(RuleViolation):
    """The record does not exist, or the actor may not know that it exists."""


class Gone(NotFound):
    """The record left this person's sight while its page was open (its author took it back, say). Nothing was
    changed, and the page is not shown again: it would show what is no longer theirs to see."""


class Conflict(RuleViolation):
    """Someone else saved the same record first (optimistic locking)."""
