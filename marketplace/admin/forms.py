from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, Email, Length, Optional

from marketplace import validators
from marketplace.auth.forms import PASSWORD_RULES
from marketplace.forms import BaseForm, choices


class CreateUserForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), Email()])
    phone = TelField(_l("Mobile number (optional)"),
                     validators=[Optional(), Length(max=32), validators.phone])
    role = SelectField(_l("Role"), choices=choices([("staff", _l("Job-centre staff")),
                                                    ("admin", _l("Administrator"))]))
    region = SelectField(_l("Region (for staff)"), coerce=int, validators=[Optional()])
    password = PasswordField(_l("Initial password (at least 8 characters)"),
                             validators=PASSWORD_RULES)


class UserFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name, e-mail or phone"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), validators=[Optional()], choices=choices([
        ("", _l("All roles")), ("candidate", _l("Candidate")), ("employer", _l("Employer")),
        ("staff", _l("Job-centre staff")), ("admin", _l("Administrator"))]))
