from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FieldList, FormField, HiddenField, RadioField, SelectField, TimeField
from wtforms import Form as WTFormsForm
from wtforms import ValidationError
from wtforms.validators import Optional

from roundtable.forms import (
    CleanStringField, CleanTextAreaField, Form, RecordVersionField, SentOnce, TypedBoxes, length, required,
)
from roundtable.services.curation import sensitive_terms_from
from roundtable.services.errors import RuleViolation
from roundtable.services.roundtables import check_retention, check_schedule

TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p"]


class RoundtableForm(Form):
    title_fil = CleanStringField(_l("Title in Filipino"), validators=[required(), length(200)])
    title_en = CleanStringField(_l("Title in English"), validators=[required(), length(200)])
    description_fil = CleanTextAreaField(_l("Description in Filipino"), validators=[length(4000)])
    description_en = CleanTextAreaField(_l("Description in English"), validators=[length(4000)])
    retention_until = DateField(
        _l("Keep the words until"),
        validators=[required(_l("Please give a date, for example 2027-12-31."))],
    )
    meets_on = DateField(_l("Day of the meeting"), validators=[Optional()])
    # 14:30 as browsers send it; 2:30 PM as people type it where the browser shows a plain text box.
    starts_at = TimeField(_l("Starts at"), format=TIME_FORMATS, validators=[Optional()])
    ends_at = TimeField(_l("Ends at"), format=TIME_FORMATS, validators=[Optional()])
    sensitive_terms = CleanTextAreaField(_l("Sensitive words"), validators=[length(10_000)])

    def validate(self, extra_validators=None) -> bool:
        """The dates are checked as the service checks them, so that every problem is said in one pass."""
        valid = super().validate(extra_validators)
        if self.retention_until.errors:
            return valid
        retention, problems = self.retention_until.data, []
        if retention != self.retention_until.object_data:  # kept as saved on the edit page: the service allows it
            try:
                check_retention(retention)
            except RuleViolation as problem:
                problems.append(problem)
                retention = None  # the date is the mistake, not the meeting day
        if not (self.meets_on.errors or self.starts_at.errors or self.ends_at.errors):  # only the schedule needs them
            try:
                check_schedule(self.meets_on.data, self.starts_at.data, self.ends_at.data, retention,
                               saved_day=self.meets_on.object_data,  # the roundtable's own, on its edit page
                               saved_hours=(self.starts_at.object_data, self.ends_at.object_data))
            except RuleViolation as problem:
                problems.append(problem)
        for problem in problems:
            self[problem.field].errors.append(str(problem))
        return valid and not problems

    def validate_sensitive_terms(self, field) -> None:
        """The list's limits are checked before anything is saved, so a refusal appears beside this field."""
        try:
            sensitive_terms_from(field.data)
        except RuleViolation as problem:
            raise ValidationError(str(problem)) from None


class EditRoundtableForm(RoundtableForm):
    read = HiddenField()  # roundtables.edit_mark of what the page showed
    terms_read = HiddenField()  # curation.sensitive_terms_mark of the list the page showed


class NewRoundtableForm(SentOnce, RoundtableForm):
    prompt_fil = CleanTextAreaField(_l("First prompt in Filipino"), validators=[required(), length(1000)])
    prompt_en = CleanTextAreaField(_l("First prompt in English"), validators=[required(), length(1000)])


class PromptForm(Form):
    text_fil = CleanTextAreaField(_l("Prompt in Filipino"), validators=[required(), length(1000)])
    text_en = CleanTextAreaField(_l("Prompt in English"), validators=[required(), length(1000)])


class EditPromptForm(PromptForm):
    read = HiddenField()  # roundtables.prompt_mark of the words the page showed


class NewPromptForm(SentOnce, PromptForm):
    """A prompt added to a roundtable."""


class MovePromptForm(Form):
    """A prompt one place up or down; which prompt is in the address."""

    direction = RadioField(_l("Move"), choices=[("up", _l("Move up")), ("down", _l("Move down"))],
                           validators=[required()])
    order = HiddenField()  # roundtables.prompt_order_mark of the page the button was on


class RemovePromptForm(Form):
    """Only its CSRF token: which prompt is in the address; the page that asks first sends it again, confirmed."""


class HandOverForm(SentOnce, Form):
    """This roundtable, given to a colleague who moderates it from now on."""

    # Any colleague is checked by the service, which names what is wrong: "—" (0), or a colleague deactivated
    # (or no longer a facilitator) after the page was shown, who is no longer among the choices.
    successor = SelectField(_l("Hand it to"), coerce=int, choices=[], validate_choice=False)


class StatusForm(Form):
    status = RadioField(_l("Status"), choices=[("open", "open"), ("closed", "closed"), ("archived", "archived")],
                        validators=[required()])
    confirmed = HiddenField()  # "yes" once the confirmation page was shown (closing stops everyone writing)


class DecisionForm(Form):
    # Labelled for the refusal of a sending without a choice (an old tab): "Decision: Please answer this."
    decision = RadioField(_l("Decision"), choices=[("release", _l("Release")), ("hold", _l("Hold"))],
                          validators=[required()])
    read = HiddenField()  # moderation.read_mark of the words the page showed


class NoteForm(Form):
    note = CleanTextAreaField(_l("Private note (only facilitators of this roundtable see it)"), validators=[length(4000)])
    read = HiddenField()  # moderation.note_mark of the note the page showed


class ClauseEntryForm(WTFormsForm):
    """One statement of the consent form, as a row of the form below (no CSRF of its own)."""

    key = HiddenField()
    text_fil = CleanTextAreaField(_l("Filipino"), validators=[length(1000)])
    text_en = CleanTextAreaField(_l("English"), validators=[length(1000)])
    required = BooleanField(_l("Required to take part"))
    remove = BooleanField(_l("Remove this statement"))


class ConsentFormForm(Form):
    """Changing the consent form makes a new version; participants are asked again when they return."""

    version = RecordVersionField()  # the version the page showed
    clauses = FieldList(FormField(ClauseEntryForm))
    new_key = CleanStringField(_l("Short key of the new statement"), validators=[length(40)])
    new_text_fil = CleanTextAreaField(_l("New statement in Filipino"), validators=[length(1000)])
    new_text_en = CleanTextAreaField(_l("New statement in English"), validators=[length(1000)])
    new_required = BooleanField(_l("Required to take part"))
    # "yes" once the page asking first (the statement on public quotes removed, a statement someone said no to made
    # required, one added as required after people joined) was answered yes; "no" to go back to the form.
    confirmed = HiddenField()

    #: ``consent.keys_until`` the version the page showed (None: a version never made), set by the view before
    #: validating. New statements come in the ``new_*`` fields, never as rows.
    keys_shown: frozenset[str] | None = None

    def validate(self, extra_validators=None) -> bool:
        """Besides each field: the page came back whole; if not, said at the top, as about the whole form."""
        valid = super().validate(extra_validators)
        if not self.came_back_whole():
            self.version.errors = [*self.version.errors, _l(
                "This page came back incomplete, so nothing was saved. Open the consent form again and make your "
                "change there.")]
            return False
        return valid

    def came_back_whole(self) -> bool:
        """Whether every row names a statement of the version shown, once. A row without its hidden key, two with
        one, or one whose key the form never had (it would add a statement worded as the row's own, beside it), is
        not a page Roundtable showed (a cut-off or altered sending), nor is a version never made."""
        keys = [entry.key.data for entry in self.clauses]
        return (self.keys_shown is not None and all(keys) and len(set(keys)) == len(keys)
                and self.keys_shown.issuperset(keys))

    def number_statements(self) -> None:
        """Each statement's boxes say its number, as its legend does ("Statement 2 in Filipino"): labelled only
        "Filipino", the error summary and a screen reader moving from box to box would not say which statement a
        box, or a problem, is about."""
        for n, entry in enumerate(self.clauses, start=1):
            entry.form.text_fil.label.text = _("Statement %(n)s in Filipino", n=n)
            entry.form.text_en.label.text = _("Statement %(n)s in English", n=n)

    def field_for(self, problem: RuleViolation):
        """The input a refusal of the service is about ("take_part.required"): a statement's row, or the new one."""
        if problem.field is None:  # about the whole form (a newer version saved meanwhile, an archived roundtable)
            return self.version
        key, _, part = problem.field.partition(".")
        if key == (self.new_key.data or "").strip().lower():  # (a row's key is never empty: "" is a new one's, untyped)
            return getattr(self, f"new_{part}", self.new_key) if part != "remove" else self.new_key
        for entry in self.clauses:
            if entry.key.data == key and part in ("text_fil", "text_en", "required", "remove"):
                return entry.form[part]
        return self.new_key


# What a facilitator types, shown back when a form comes from a page of a roundtable they handed over since, or is
# sent after the session ended.
TYPED_BOXES = TypedBoxes(NewRoundtableForm, EditRoundtableForm, NewPromptForm, EditPromptForm, NoteForm, ConsentFormForm,
                         rows={"clauses": _l("Statement %(n)s")})

# A care note typed while its reflection went out of sight (its author took it back, its retention date passed): shown
# back, never the reflection's own words.
NOTE_BOX = TypedBoxes(NoteForm)
