"""Forms of the administrator's reference data pages (regions, occupations, skills)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from marketplace.admin.reference_services import CODE_MAX, NAME_MAX
from marketplace.forms import BaseForm, choices

LANGUAGE_CHOICES = (("kk", _l("Kazakh")), ("ru", _l("Russian")), ("en", _l("English")))
LEVEL_CHOICES = (("", _l("All levels")), ("major", _l("Major groups")),
                 ("sub_major", _l("Sub-major groups")), ("occupation", _l("Occupations")))

_CODE_RULES = [DataRequired(), Length(max=CODE_MAX),
               Regexp(r"^[a-z][a-z0-9_]*$", message=_l(
                   "Use lowercase Latin letters, digits and underscores, starting with a "
                   "letter, e.g. tile_laying."))]


def _name(label):
    return StringField(label, validators=[DataRequired(), Length(max=NAME_MAX)])


class NamesForm(BaseForm):
    name_kk = _name(_l("Name in Kazakh"))
    name_ru = _name(_l("Name in Russian"))
    name_en = _name(_l("Name in English"))

    def names(self) -> dict:
        return {"name_kk": self.name_kk.data, "name_ru": self.name_ru.data,
                "name_en": self.name_en.data}


class RegionForm(NamesForm):
    pass


class OccupationForm(NamesForm):
    hazardous = BooleanField(_l("Heavy or hazardous work (new vacancies of this occupation are "
                                "marked hazardous)"))


class NewOccupationForm(OccupationForm):
    parent = SelectField(_l("ISCO-08 sub-major group"), coerce=int,
                         validators=[DataRequired(message=_l("Choose the sub-major group."))])
    isco = StringField(_l("ISCO-08 unit group (4 digits)"), validators=[
        DataRequired(), Regexp(r"^\d{4}$", message=_l("Enter 4 digits, e.g. 7115."))])
    sector = SelectField(_l("Sector"), coerce=int,
                         validators=[DataRequired(message=_l("Choose the sector."))])
    code = StringField(_l("Code (permanent)"), validators=_CODE_RULES)


class SkillForm(NamesForm):
    pass


class NewSkillForm(SkillForm):
    code = StringField(_l("Code (permanent)"), validators=_CODE_RULES)
    occupation = SelectField(_l("First occupation that uses the skill"), coerce=int,
                             validators=[DataRequired(message=_l("Choose an occupation."))])


class SynonymForm(BaseForm):
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_CHOICES))
    name = StringField(_l("Synonym"), validators=[DataRequired(), Length(max=NAME_MAX)])


class LinkOccupationForm(BaseForm):
    occupation = SelectField(_l("Occupation"), coerce=int,
                             validators=[DataRequired(message=_l("Choose an occupation."))])


class ReferenceSearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name or code"), validators=[Optional(), Length(max=100)])


class OccupationSearchForm(ReferenceSearchForm):
    level = SelectField(_l("Level"), choices=choices(LEVEL_CHOICES), validators=[Optional()])
