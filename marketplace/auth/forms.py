from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from marketplace import validators
from marketplace.forms import BaseForm

PASSWORD_RULES = [
    DataRequired(),
    Length(min=8, max=128, message=_l("The password must be 8 to 128 characters long.")),
]


class LoginForm(BaseForm):
    identifier = StringField(_l("E-mail or mobile number"),
                             validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class NewAccountForm(BaseForm):
    """Who the person is and how they sign in; a phone or an e-mail is enough."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail (optional if you give a phone number)"),
                       filters=[validators.empty_to_none],
                       validators=[Optional(), Length(max=254), Email()])
    phone = TelField(_l("Mobile number"), validators=[Length(max=32), validators.phone])
    password = PasswordField(_l("Password (at least 8 characters)"), validators=PASSWORD_RULES)
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password",
                                        message=_l("The passwords do not match."))])
    consent = BooleanField(
        _l("I agree to the processing of my personal data for job search"),
        validators=[DataRequired(message=_l("Please give your consent to continue."))],
    )

    def validate_phone(self, field):
        if not field.data and not self.email.data:
            raise ValidationError(_l("Give a mobile number or an e-mail address."))


class _AccountFields(NewAccountForm):
    region = SelectField(_l("Region"), coerce=int, validators=[InputRequired()])


class CandidateRegistrationForm(_AccountFields):
    iin = StringField(_l("IIN (optional)"), filters=[validators.empty_to_none],
                      validators=[Optional(), Length(max=12, min=12,
                                  message=_l("The IIN has 12 digits.")), validators.iin])


class EmployerRegistrationForm(_AccountFields):
    organisation_name = StringField(_l("Organisation name"),
                                    validators=[DataRequired(), Length(max=200)])
    bin = StringField(_l("BIN"), validators=[DataRequired(), validators.bin_])
    sector = SelectField(_l("Sector"), coerce=int, validators=[InputRequired()])


class ResetRequestForm(BaseForm):
    identifier = StringField(_l("E-mail or mobile number"),
                             validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(BaseForm):
    password = PasswordField(_l("New password (at least 8 characters)"),
                             validators=PASSWORD_RULES)
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password",
                                        message=_l("The passwords do not match."))])
