"""Shared form pieces: every field cleans its text and says what is wrong in the user's language."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import date, time

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, FieldList, FormField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from roundtable.i18n import long_date, time_of_day
from roundtable.services.sent_forms import KEPT_FOR
from roundtable.services.text import clean_text, too_long


# WTForms' own messages, for values no page offers (a choice that is not on the form, a date or time typed
# by hand into a browser without a picker). WTForms has no Filipino catalogue, so each is said here in our
# words, in the user's language.
_CHOOSE_FROM_THE_OPTIONS = _l("Please choose from the options shown.")
ASK_FOR_A_DATE = _l("Please give a date, for example 2027-12-31.")  # every date typed wrongly, anywhere
WTFORMS_MESSAGES = {
    "Not a valid choice.": _CHOOSE_FROM_THE_OPTIONS,
    "Invalid Choice: could not coerce.": _CHOOSE_FROM_THE_OPTIONS,
    "Invalid choice(s): one or more data inputs could not be coerced.": _CHOOSE_FROM_THE_OPTIONS,
    "'%(value)s' is not a valid choice for this field.": _CHOOSE_FROM_THE_OPTIONS,
    "'%(value)s' are not valid choices for this field.": _CHOOSE_FROM_THE_OPTIONS,
    "Not a valid date value.": ASK_FOR_A_DATE,
    "Not a valid time value.": _l("Please give a time, for example 14:30."),
}


class _WTFormsTranslations:
    """What WTForms asks to translate: its messages become ours; anything else (such as the label it makes
    from a field's name when a field has none) stays as it is."""

    def gettext(self, string: str) -> str:
        message = WTFORMS_MESSAGES.get(string)
        return string if message is None else str(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_WTFORMS_TRANSLATIONS = _WTFormsTranslations()


def _without_nul(value):
    """PostgreSQL refuses text holding a NUL character (the request ended in a 500 and a reflection was lost); no
    page sends one, so it is dropped from every field, hidden ones included."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


class Form(FlaskForm):
    """Base form: a CSRF problem is reported in the user's language and keeps what they typed."""

    class Meta:
        def get_translations(self, form) -> _WTFormsTranslations:
            return _WTFORMS_TRANSLATIONS

        def wrap_formdata(self, form, formdata):
            """The fields a page's form sends, and nothing else: Flask-WTF would also take uploaded files and a
            JSON body, which no page sends, and hand the fields objects that are not text (a 500)."""
            if formdata is None or hasattr(formdata, "getlist"):  # given by the view
                return formdata
            return request.form if form.is_submitted() and request.form else None

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs) -> None:
        filters = {  # lists of forms take no filters; their entries' text fields clean their own
            name: [_without_nul, *(extra_filters or {}).get(name, ())]
            for name, field in self._fields.items() if not isinstance(field, (FieldList, FormField))
        }
        super().process(formdata, obj, data=data, extra_filters=filters, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if "csrf_token" in self.errors:
            self.csrf_token.errors = [_l("This page is out of date: reload it, then press the button again.")]
        return valid

    def say_why_not(self, place: str | None = None) -> None:
        """For a button that leads back to its page: the first reason the form was refused, as a message there
        (a choice that is not on the page, sent by hand or by an old tab, was ignored without a word), at the top
        or at ``place`` (see ``changes.flash_at``)."""
        from roundtable.changes import flash_at  # changes builds on these forms

        problems = error_links(self)  # each named as the error summaries name it ("A note for the editor …: …")
        if problems:
            flash_at(place, problems[0][1], "error")

    def submit_ok(self) -> bool:
        """True when this form, among several prefixed forms on one page, was submitted and is valid."""
        if request.method != "POST" or not any(key.startswith(self._prefix) for key in request.form):
            return False
        return self.validate()


def error_links(form) -> list[tuple[str | None, str]]:
    """Every error of a form with the id of the input it is about, rows of a list of forms included; no id for
    the CSRF token or a hidden field, which the page cannot lead to."""
    links: list[tuple[str | None, str]] = []
    for item in form:
        if isinstance(item, FieldList):
            for entry in item:
                links.extend(error_links(entry.form) if isinstance(entry, FormField) else _links_of(entry))
        elif isinstance(item, FormField):
            links.extend(error_links(item.form))
        else:
            links.extend(_links_of(item))
    return sorted(links, key=lambda link: link[0] is not None)  # about the whole form (a hidden field's) first


def _links_of(field) -> list[tuple[str | None, str]]:
    """Each error with the field it is about: "Title in English: Please fill this in.", as four alike
    "Please fill this in." links would not say which field each leads to (WCAG 2.4.4)."""
    if isinstance(field, HiddenField):  # the CSRF token and versions: the page cannot lead there
        return [(None, str(error)) for error in field.errors]
    label = str(field.label.text).rstrip(" :.")
    if not label:
        return [(field.id, str(error)) for error in field.errors]
    return [(field.id, _labelled(label, str(error))) for error in field.errors]


def _labelled(label: str, problem: str) -> str:
    if label.endswith("?"):  # "Why can it stay? Say briefly why…", not "Why can it stay?: …"
        return _("%(field)s %(problem)s", field=label, problem=problem)
    return _("%(field)s: %(problem)s", field=label, problem=problem)


def box_language(name: str) -> str | None:
    """The language of the words in a box named …_en or …_fil, whatever the page's (WCAG 3.1.2); else None."""
    return "en" if name.endswith("_en") else "fil" if name.endswith("_fil") else None


def say_saved_now(field: Field, value) -> None:
    """Under a field of a form refused because another page saved first: what is saved there now, so the two
    can be combined before saving again. A note tied to the field (``field`` and ``checkbox`` in macros.html),
    not an error: the field's own value may be the one to keep. A time and a day are said as the pages say them,
    in the reader's language ("4:30 PM", "December 6, 2026"); an end of a meeting is best given already said
    (``i18n.meeting_end``: "12:00 midnight")."""
    if isinstance(value, time):
        shown = time_of_day(value)
    elif isinstance(value, date):
        shown = long_date(value)
    else:
        shown = value
    if not shown:
        field.saved_now = _("Saved now: nothing")
        return
    lang = box_language(field.name)
    words = Markup('<span lang="{}">{}</span>').format(lang, shown) if lang else shown
    field.saved_now = Markup(escape(_("Saved now: %(value)s"))) % {"value": words}


class RecordVersionField(HiddenField):
    """The version of what the page showed, sent back with the form: a whole number, or -1 when the value was
    changed by hand or is missing, which the services refuse as "changed meanwhile"."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        self.data = int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1


class SentOnce:
    """For a staff form that makes something: a new key on every page shown, the same key when the page is
    sent again. ``change(once=form)`` stores it (see ``services.sent_forms``)."""

    sent_once = HiddenField(default=lambda: uuid.uuid4().hex)
    sent_twice_within = KEPT_FOR  # how long a second sending with the same key is the first one again

    def once_key(self) -> str | None:
        """The key this sending is saved under: the page's own."""
        return self.sent_once.data


class _Required(InputRequired):
    """Something was sent, and for text something is left once cleaned: spaces, or control characters the
    clean fields drop, are not a title or a question."""

    def __call__(self, form, field):
        super().__call__(form, field)
        if isinstance(field.data, str) and not field.data.strip():
            field.errors[:] = []
            raise StopValidation(self.message)


def required(message=None):
    return _Required(message=message or _l("Please fill this in."))


class _AtMost(Length):
    """Over the limit, says how many characters there are now, so that the person knows how much to cut."""

    def __call__(self, form, field):
        written = len(field.data or "")
        if written > self.max:  # always more than one: no plural form to choose
            raise ValidationError(str(too_long(written, self.max)))
        super().__call__(form, field)


def length(maximum: int, minimum: int = 0):
    if minimum:
        return _AtMost(
            min=minimum, max=maximum,
            message=_l("Use between %(min)d and %(max)d characters.", min=minimum, max=maximum),
        )
    return _AtMost(max=maximum)


class SaysItsLimit:
    """No maxlength: a browser cuts a paste over it without a word, and the rest of someone's words (or the end of
    their pseudonym) is lost unseen. Sent whole, a text over the limit comes back on the page with the limit said
    beside it."""

    def __call__(self, **kwargs):
        kwargs.setdefault("maxlength", False)
        return super().__call__(**kwargs)


class CleanStringField(SaysItsLimit, StringField):
    """A one-line text field whose value is stripped of markup and control characters."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = clean_text(self.data, multiline=False)


class CleanTextAreaField(SaysItsLimit, TextAreaField):
    """A multi-line text field whose value is stripped of markup and control characters."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = clean_text(self.data)


class ActionForm(Form):
    """A form with only a CSRF token, for buttons that change something."""


class TypedBoxes:
    """The boxes people type words into, in some form classes, with their labels: a form that can no longer be
    saved (its record went to someone else) shows back what was typed into them, nothing else it carried.

    A box is known by the name it is sent under, without its numbers and, failing that, without the prefix a page
    gives its form: ``text_en``, ``clauses-text_en`` (``clauses-0-text_en``), ``note`` (``note-note``)."""

    def __init__(self, *forms: type, rows: Mapping[str, object] | None = None,
                 languages: Mapping[str, tuple[str, Callable[[str | None], str | None]]] | None = None) -> None:
        """``rows`` names each entry of a list of forms by the list's name: ``{"clauses": _l("Statement %(n)s")}``.
        ``languages`` gives a box whose name does not say its language (not …_en or …_fil) the one its page gave
        it, from another field sent with the same form: ``{"text": ("language", lambda chosen: chosen)}``. Only
        what the form brought is read, never a record: the page shows it to whoever is at the browser."""
        self._labels: dict[str, object] = {}
        self._rows = dict(rows or {})
        self._languages = dict(languages or {})
        for form in forms:
            self._scan(form, "")

    def _scan(self, form: type, prefix: str) -> None:
        for klass in reversed(form.__mro__):
            for name, unbound in vars(klass).items():
                if not isinstance(unbound, UnboundField):
                    continue
                if issubclass(unbound.field_class, FieldList) and unbound.args[0].field_class is FormField:
                    self._scan(unbound.args[0].args[0], f"{prefix}{name}-")
                elif issubclass(unbound.field_class, StringField) and not issubclass(
                        unbound.field_class, (HiddenField, PasswordField)):
                    self._labels[prefix + name] = unbound.args[0] if unbound.args else unbound.kwargs["label"]

    def _known_as(self, sent_as: str) -> str | None:
        """The name a box sent as ``sent_as`` has among the known ones (``clauses-text_en``, ``note``), or None."""
        parts = [part for part in sent_as.split("-") if not part.isdigit()]
        return next((name for name in ("-".join(parts), "-".join(parts[1:])) if name in self._labels), None)

    def label_of(self, sent_as: str):
        """The label of the box sent as ``sent_as`` ("Statement 3: English" in a list's third entry), or None for
        anything that is not a typed box."""
        label = self._labels.get(self._known_as(sent_as) or "")
        row = re.match(r"([a-z_]+)-(\d+)-", sent_as)
        if label is None or row is None or row.group(1) not in self._rows:
            return label
        return _("%(row)s: %(box)s", row=str(self._rows[row.group(1)]) % {"n": int(row.group(2)) + 1}, box=label)

    def __or__(self, other: TypedBoxes) -> TypedBoxes:
        both = TypedBoxes()
        both._labels, both._rows = {**self._labels, **other._labels}, {**self._rows, **other._rows}
        both._languages = {**self._languages, **other._languages}
        return both

    def language_of(self, sent_as: str, formdata) -> str | None:
        """The language of the words in the box sent as ``sent_as``, as its page gave it: "en", "fil" or None."""
        if lang := box_language(sent_as):
            return lang
        known = self._known_as(sent_as)
        if known not in self._languages:
            return None
        field, language = self._languages[known]
        prefix = sent_as[:-len(known.rsplit("-", 1)[-1])]  # a prefixed form's fields share its prefix
        lang = language(formdata.get(prefix + field))
        return lang if lang in ("en", "fil") else None

    def typed(self, formdata) -> list[tuple[str, object, str | None, str]]:
        """(name it was sent as, label, language of the box, words) of every box in ``formdata`` that holds words."""
        return [(name, label, self.language_of(name, formdata), value) for name, value in formdata.items(multi=True)
                if value.strip() and (label := self.label_of(name)) is not None]

    def kept(self, names: list[str], words: list[str], languages: list[str]) -> list[tuple[str, object, str | None, str]]:
        """``typed`` again, from a page that showed it (``typed_as``, ``typed`` and ``typed_lang`` of each box):
        the form that decided a box's language is gone, so the language it was shown in comes with it."""
        languages = languages + [""] * (len(names) - len(languages))  # a page shown before boxes carried theirs
        return [(name, label, box_language(name) or (lang if lang in ("en", "fil") else None), value)
                for name, value, lang in zip(names, words, languages)
                if value.strip() and (label := self.label_of(name)) is not None]
