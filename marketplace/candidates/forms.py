from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.forms import BaseForm, choices

LEVEL_CHOICES = choices([
    (1, _l("Beginner")),
    (2, _l("Some practice")),
    (3, _l("Confident")),
    (4, _l("Experienced")),
    (5, _l("Expert, can teach others")),
])


class ProfileForm(BaseForm):
    desired_title = StringField(_l("What job are you looking for?"),
                                validators=[Optional(), Length(max=200)])
    region = SelectField(_l("Region"), coerce=int, validators=[InputRequired()])
    city = SelectField(_l("Town"), coerce=int, validators=[Optional()])
    experience_years = IntegerField(
        _l("Years of work experience"),
        validators=[Optional(), NumberRange(min=0, max=60,
                                            message=_l("Enter a number from 0 to 60."))],
    )
    summary = TextAreaField(_l("About you: what you can do, what you have done"),
                            validators=[Optional(), Length(max=4000)])
    discoverable = BooleanField(
        _l("Employers may find my profile in searches (without my name and contacts)")
    )


class SkillForm(BaseForm):
    skill = StringField(_l("Skill"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Level"), coerce=int, choices=LEVEL_CHOICES, default=3)
    years = IntegerField(
        _l("Years"),
        validators=[Optional(), NumberRange(min=0, max=60,
                                            message=_l("Enter a number from 0 to 60."))],
    )
