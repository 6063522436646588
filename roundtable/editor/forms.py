import hashlib
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from roundtable.forms import (
    CleanStringField, CleanTextAreaField, Form, RecordVersionField, SentOnce, TypedBoxes, length, required,
)
from roundtable.i18n import current_language
from roundtable.numbers import LARGEST
from roundtable.services.curation import KEEP_REASON_MAX, QUOTE_MAX, translation_language_for


def quote_languages():
    return [("fil", _l("Filipino")), ("en", _l("English")), ("mixed", _l("Mixed (Taglish)"))]


class ThemeChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuoteForm(Form):
    text = CleanTextAreaField(_l("Quote"), validators=[required(_l("A quote needs words.")), length(QUOTE_MAX)])
    language = RadioField(_l("Language of the quote"), choices=quote_languages(), validators=[required()])
    translation = CleanTextAreaField(_l("Staff translation"), validators=[length(QUOTE_MAX)])
    descriptor = CleanStringField(_l("Descriptor after the pseudonym"), validators=[required(), length(80)])
    themes = ThemeChoices(_l("Themes"), coerce=int, choices=[])
    version = RecordVersionField()


class ApproveForm(Form):
    version = RecordVersionField()  # the quote as the page showed it (words, details decided): approved as seen


class DiscardDraftForm(Form):
    version = RecordVersionField()  # the draft as the page showed it: discarded as seen
    confirmed = HiddenField()  # "yes" once the page asking first was answered (a discarded draft is gone for good)


class ExportForm(SentOnce, Form):
    format = RadioField(
        _l("File format"),
        choices=[("csv", _l("CSV (Excel, any spreadsheet)")), ("xlsx", _l("Excel workbook")),
                 ("docx", _l("Word quote sheet")), ("json", _l("JSON (for developers)"))],
        default="csv",
        validators=[required()],
    )
    roundtable = SelectField(_l("Roundtable"), coerce=int, choices=[], default=0)
    theme = SelectField(_l("Theme"), coerce=int, choices=[], default=0)
    language = SelectField(_l("Language"), choices=[], default="")

    # A download leaves the page as it was, key and all: the same choices pressed again a minute later are a new
    # export (quotes approved since belong in it), not a double click.
    sent_twice_within = timedelta(seconds=30)

    def once_key(self) -> str | None:
        """The same key with other choices is a new export (another format, other filters); only the same
        choices sent again (within ``sent_twice_within``) are one export sent twice."""
        key = self.sent_once.data
        if not key:
            return key
        choices = "|".join(map(str, (key, self.format.data, self.roundtable.data, self.theme.data, self.language.data)))
        return hashlib.sha256(choices.encode()).hexdigest()[:32]


class NewQuoteForm(SentOnce, QuoteForm):
    """A quote made from a reflection."""


class ThemeForm(SentOnce, Form):
    name_fil = CleanStringField(_l("Name in Filipino"), validators=[required(), length(80)])
    name_en = CleanStringField(_l("Name in English"), validators=[required(), length(80)])


class ThemeRenameForm(Form):
    name_fil = CleanStringField(_l("Name in Filipino"), validators=[required(), length(80)])
    name_en = CleanStringField(_l("Name in English"), validators=[required(), length(80)])


class ThemeRemoveForm(Form):
    detach = BooleanField()

    def __init__(self, theme, **kwargs) -> None:
        """The form of one theme in the list: its box names the theme, as its "Remove" button does (a screen reader
        moving from box to box hears which theme each is about)."""
        super().__init__(prefix=f"remove{theme.id}", **kwargs)
        self.detach.label.text = _("Also take “%(theme)s” off the quotes that carry it",
                                   theme=theme.name(current_language()))


class FindingRedactForm(Form):
    digest = HiddenField()
    version = RecordVersionField()


class FindingKeepForm(Form):
    digest = HiddenField()
    reason = CleanStringField(
        _l("Why can it stay?"),
        validators=[required(_l("Say briefly why this detail can stay.")), length(KEEP_REASON_MAX)],
    )


class SensitiveTermsForm(Form):
    terms = CleanTextAreaField(
        _l("Sensitive words"), validators=[length(10_000)],
    )
    read = HiddenField()  # curation.sensitive_terms_mark of the list the page showed


def _numbers(text: str | None, most: int) -> list[int]:
    """The whole numbers in ``text`` (a page's hidden field); anything else, typed into the page by hand, names
    nothing."""
    words = (text or "").replace(":", " ").split()[:most]
    return [int(word) if word.isascii() and word.isdigit() and int(word) <= LARGEST else -1 for word in words]


class NoticeAckForm(Form):
    """One notice acknowledged: the audit event behind the notice the page showed."""

    seen = HiddenField()

    def seen_event(self) -> int | None:
        numbers = _numbers(self.seen.data, 1)
        return numbers[0] if numbers else None


class NoticesShownForm(Form):
    """“Acknowledge all on this page”: each notice the page showed, as ``quote:event``, so that a notice raised
    (or changed) after the page was read is not acknowledged unseen."""

    quotes = HiddenField()

    def shown(self) -> dict[int, int]:
        numbers = _numbers(self.quotes.data, 200)  # a page holds 25
        return dict(zip(numbers[::2], numbers[1::2]))


def _quote_language(chosen: str | None) -> str | None:
    """The language of the quote's box, from the language chosen with it (``_quote_fields.html``): mixed has none."""
    return chosen if chosen in ("fil", "en") else None


def _translation_language(chosen: str | None) -> str | None:
    """The language of the translation's box: the other one (``_quote_fields.html``)."""
    return translation_language_for(chosen) if chosen in ("fil", "en", "mixed") else None


# What an editor types, shown back when a form is sent after the session ended: in the language it was typed in.
TYPED_BOXES = TypedBoxes(QuoteForm, ThemeForm, ThemeRenameForm, FindingKeepForm, SensitiveTermsForm,
                         languages={"text": ("language", _quote_language),
                                    "translation": ("language", _translation_language)})
