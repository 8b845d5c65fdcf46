from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.forms import BaseForm, LocalDateField


class _SkillChoices(SelectMultipleField):
    """Checkboxes; ids that are not numbers count as no choice (the service checks ownership)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        self.data = [int(v) for v in valuelist if str(v).isdigit()]

    def pre_validate(self, form):
        return None


class CertificateForm(BaseForm):
    title = StringField(_l("Title of the certificate"),
                        validators=[DataRequired(_l("Enter the title of the certificate.")),
                                    Length(max=200)])
    issuer = StringField(_l("Issued by"),
                         validators=[DataRequired(_l("Enter who issued the certificate.")),
                                     Length(max=200)])
    issued_on = LocalDateField(_l("Date of issue"),
                      validators=[InputRequired(_l("Enter the date the certificate was issued."))])
    expires_on = LocalDateField(_l("Valid until (if it expires)"), validators=[Optional()])
    skills = _SkillChoices(_l("Skills it proves"), coerce=int, validators=[Optional()])
    scan = FileField(_l("Scan or photo (PDF, JPEG or PNG, up to 5 MB)"))


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Reason (the candidate will see it)"),
                           validators=[DataRequired(_l("Give the reason, so the candidate "
                                                       "knows what to fix.")),
                                       Length(max=2000)])


class CodeForm(BaseForm):
    class Meta:
        csrf = False

    code = StringField(_l("Verification code"),
                       validators=[DataRequired(_l("Enter the code printed on the card.")),
                                   Length(max=32)])
