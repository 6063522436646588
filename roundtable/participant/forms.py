from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import AnyOf
from wtforms.widgets import CheckboxInput, ListWidget

from roundtable.forms import CleanStringField, CleanTextAreaField, Form, RecordVersionField, length, required
from roundtable.i18n import language_choices
from roundtable.services.errors import RuleViolation
from roundtable.services.participation import PSEUDONYM_MAX, REFLECTION_MAX


def interface_languages():
    return [("fil", _l("Filipino")), ("en", _l("English"))]


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Unknown choices are reported by the consent service in the person's language."""


class JoinForm(Form):
    code = CleanStringField(_l("Roundtable code"),
                            validators=[required(_l("Please type the code you were given.")), length(32)])
    language = RadioField(_l("Language"), choices=interface_languages(),  # the page's language is ticked
                          validators=[required(_l("Choose Filipino or English."))])


class ConsentForm(Form):
    """Joining, and answering a changed form: the choices, and which version of the form they answer."""

    clauses = CheckboxListField(_l("I agree to:"), choices=[])
    adult = BooleanField(_l("I am 18 years old or older."))
    form_version = RecordVersionField()
    kept_until = HiddenField()  # the retention date the page said
    confirmed = HiddenField()  # "yes" from the page that asks before public quotes in use are taken back

    def kept_until_shown(self) -> date:
        """The retention date the person read; a value changed by hand or missing reads as long past, which the
        service refuses as a form changed meanwhile."""
        try:
            return date.fromisoformat(self.kept_until.data or "")
        except ValueError:
            return date.min

    def field_for(self, problem: RuleViolation):
        """The box a refusal is about: the age confirmation, or the statements."""
        return self.adult if problem.field == "adult" else self.clauses


class PseudonymForm(Form):
    pseudonym = CleanStringField(
        _l("Pseudonym"),
        validators=[required(_l("Please choose a pseudonym.")), length(PSEUDONYM_MAX, 2)],
    )
    # Shown only when the pseudonym may be a real name or place: ticked, it answers for the pseudonym the page
    # asked about (``asked_about``), not for another typed in its place.
    made_up = BooleanField(_l("I made this pseudonym up. It does not point to me."))
    asked_about = HiddenField()


class PassphraseCheckForm(Form):
    first = StringField(validators=[required(_l("Please type the word.")), length(40)])
    second = StringField(validators=[required(_l("Please type the word.")), length(40)])
    more_time = SubmitField()  # "I need more time", in the form and in the warning before the words are hidden


class ReturnForm(Form):
    passphrase = StringField(_l("Your secret passphrase"), validators=[required(_l("Please type your passphrase.")), length(200)])


class ReflectionForm(Form):
    text = CleanTextAreaField(_l("Your reflection"), validators=[length(REFLECTION_MAX)])
    language = RadioField(_l("I wrote in"), choices=language_choices(), default="fil",
                          validators=[required(_l("Choose the language you wrote in."))])
    idempotency_key = HiddenField()
    seen = HiddenField()  # the words as this page last knew them saved (participation.words_mark)
    tried = HiddenField()  # words it sent but never heard were saved (writing.js; participation.TRIED_APART)
    submit = SubmitField(_l("Submit"))
    save = SubmitField(_l("Save draft"))
    leave = SubmitField(_l("Save and take a break"))
    # Sent from a page asking about words already submitted (participation.AlreadySent): "Change the one I
    # submitted" carries that reflection's id; every other button there makes a new reflection.
    change_sent = HiddenField()
    as_new = HiddenField()


class ClauseChangeForm(Form):
    """One button per optional clause on “My words”: give or take back that permission."""

    key = HiddenField(validators=[required(), length(40)])
    # Nothing but the page's two values: "2" was taken as "no", past the question before public quotes end.
    grant = HiddenField(validators=[
        AnyOf(("0", "1"), message=_l("This page is out of date: reload it, then press the button again."))
    ])
    confirmed = HiddenField()  # "yes" from the page that asks before public quotes in use are taken back


class QuoteReviewForm(Form):
    comment = CleanTextAreaField(_l("A note for the editor (optional)"), validators=[length(1000)])
    revision = RecordVersionField()
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))

    def validate(self, extra_validators=None) -> bool:
        """One of the two buttons, never neither nor both: read as a "no", a form sent without them would decline
        the quote for good."""
        valid = super().validate(extra_validators)
        if valid and bool(self.approve.data) == bool(self.decline.data):
            self.revision.errors.append(_l("Please press Approve or Decline."))
            valid = False
        return valid


class DeleteReflectionForm(Form):
    confirm = SubmitField(_l("Delete"))


class WithdrawForm(Form):
    understood = BooleanField(
        _l("I understand that this takes back all my words and cannot be undone."),
        validators=[required(_l("Please tick the box to confirm."))],
    )
    erase = BooleanField(_l("Also erase my words now, instead of keeping them hidden until the retention date."))
    confirm = SubmitField(_l("Take back all my words"))
