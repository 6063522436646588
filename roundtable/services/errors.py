"""Errors the services raise when a rule says no; their message is already translated (lazily)."""


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


class NotFound(RuleViolation):
    """The record does not exist, or the actor may not know that it exists."""


class Gone(NotFound):
    """The record left this person's sight while its page was open (its author took it back, say). Nothing was
    changed, and the page is not shown again: it would show what is no longer theirs to see."""


class Conflict(RuleViolation):
    """Someone else saved the same record first (optimistic locking)."""
