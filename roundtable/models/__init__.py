"""The domain model: one module per aggregate. Importing this package registers every table."""

from roundtable.models.audit import AuditEvent
from roundtable.models.participants import ConsentGrant, ConsentRecord, Participant
from roundtable.models.quotes import Export, Quote, QuoteFindingDecision, Theme, export_quotes, quote_themes
from roundtable.models.reflections import Reflection
from roundtable.models.roundtables import ConsentClause, Prompt, Roundtable
from roundtable.models.staff import SentForm, User

__all__ = [
    "AuditEvent",
    "ConsentClause",
    "ConsentGrant",
    "ConsentRecord",
    "Export",
    "Participant",
    "Prompt",
    "Quote",
    "QuoteFindingDecision",
    "Reflection",
    "Roundtable",
    "SentForm",
    "Theme",
    "User",
    "export_quotes",
    "quote_themes",
]
