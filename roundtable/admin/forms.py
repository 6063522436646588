from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from roundtable.forms import CleanStringField, Form, SentOnce, TypedBoxes, length, required
from roundtable.i18n import ROLE_LABELS
from roundtable.services.accounts import checked_username
from roundtable.services.errors import RuleViolation


def role_choices():
    return list(ROLE_LABELS.items())


class RoleChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __iter__(self):
        for box in super().__iter__():  # each box inherits the field's validators, and with them `required`
            box.flags.required = False  # one role is needed, not each: no box is announced as required
            yield box


class NewUserForm(SentOnce, Form):
    username = CleanStringField(_l("Username"), validators=[required(), length(64, 2)])
    display_name = CleanStringField(_l("Display name"), validators=[required(), length(120)])
    roles = RoleChoices(_l("Roles"), choices=role_choices(), validators=[required(_l("Choose at least one role."))])

    def validate_username(self, field) -> None:
        """The service's rule, said with the form's other problems in one pass (not once they are put right).
        Whether the name is taken stays the service's to say: a form sent twice then leads to the account its first
        sending made (``changes.change``)."""
        if field.errors:  # too short or too long, said already
            return
        try:
            checked_username(field.data)
        except RuleViolation as problem:
            raise ValidationError(str(problem)) from None


class AccountActionForm(SentOnce, Form):
    """The buttons that act on an account; a new password made once is not made again by the same page (a
    reload of its answer, which the admin may not have read, would make the handed-over one stop working)."""


class DisplayNameForm(Form):
    display_name = CleanStringField(_l("Display name"), validators=[required(), length(120)])


class RolesForm(Form):
    roles = RoleChoices(_l("Roles"), choices=role_choices(), validators=[required(_l("Choose at least one role."))])



class HandOverForm(Form):
    """The roundtables an account runs, given to another facilitator."""

    # Checked by the service, which names what is wrong (see the facilitator's HandOverForm).
    successor = SelectField(_l("Hand them to"), coerce=int, choices=[], validate_choice=False)


# What an administrator types, shown back when a form is sent after the session ended.
TYPED_BOXES = TypedBoxes(NewUserForm, DisplayNameForm)
