from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField

from roundtable.forms import Form, length, required


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[required(), length(64)])
    password = PasswordField(_l("Password"), validators=[required(), length(256)])
