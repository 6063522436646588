import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField as _PasswordField
from wtforms import StringField
from wtforms.validators import EqualTo

from roundtable.forms import Form, SaysItsLimit, length, required


class PasswordField(SaysItsLimit, _PasswordField):
    """A password in one Unicode form (NFC), as it is hashed: "ñ" pasted in one field and typed in the other
    is the same password. No maxlength: a long password pasted into two boxes, one of them cut, was "not the same"."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = unicodedata.normalize("NFC", self.data or "")


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[required(), length(64)])
    password = PasswordField(_l("Password"), validators=[required(), length(256)])


class SecondFactorForm(Form):
    code = StringField(_l("Code from your authenticator app, or a recovery code"), validators=[required(), length(32)])


class EnrolForm(Form):
    current = PasswordField(_l("Current password"), validators=[length(256)])  # asked when replacing a second factor
    code = StringField(_l("The 6-digit code your app shows now"), validators=[required(), length(32)])


class ConfirmPasswordForm(Form):
    password = PasswordField(_l("Password"), validators=[required(), length(256)])


class ChangePasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[required(), length(256)])
    new = PasswordField(_l("New password"), validators=[required(), length(256)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[required(), EqualTo("new", message=_l("The two new passwords are not the same."))],
    )
