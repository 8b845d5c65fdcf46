"""The audit log viewer for staff and admins (who sees what: marketplace.audit.search)."""

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from marketplace.audit import search as audit_search
from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.extensions import db
from marketplace.forms import BaseForm, LocalDateField, choices
from marketplace.urls import page_number

bp = Blueprint("audit_log", __name__, url_prefix="/staff/audit")


class _Date(LocalDateField):
    bad_date_message = _l("Enter a date, e.g. 2025-06-30. This date was ignored.")


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    actor = StringField(_l("Who (name, e-mail or account number)"),
                        validators=[Optional(), Length(max=200)])
    object_type = SelectField(_l("Object type"), validators=[Optional()])
    object_id = StringField(_l("Object number"), validators=[Optional(), Length(max=64)])
    area = SelectField(_l("Area"), validators=[Optional()])
    action = StringField(_l("Action (whole or its beginning, e.g. claim:approve)"),
                         validators=[Optional(), Length(max=64)])
    date_from = _Date(_l("From (date)"), validators=[Optional()])
    date_to = _Date(_l("To (date, inclusive)"), validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.errors = [*self.date_to.errors, _l(
                "The end date is before the start date. The dates were ignored.")]
            valid = False
        return valid

    def filters(self) -> audit_search.AuditFilters:
        """Only the fields that passed validation: a refused field is ignored, not guessed."""
        def good(field):
            return None if field.errors else (field.data or None)

        dates_ok = not (self.date_from.errors or self.date_to.errors)
        return audit_search.AuditFilters(
            actor=good(self.actor), object_type=good(self.object_type),
            object_id=good(self.object_id), area=good(self.area), action=good(self.action),
            date_from=self.date_from.data if dates_ok else None,
            date_to=self.date_to.data if dates_ok else None)


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.object_type.choices = choices([("", _l("Any")), *(
        (value, value) for value in audit_search.known_object_types())])
    form.area.choices = choices([("", _l("Any")), *(
        (value, f"{value}:…") for value in audit_search.known_areas())])
    return form


@bp.route("")
@role_required(Role.STAFF, Role.ADMIN)
def search():
    form = _filter_form()
    valid = form.validate()
    result = audit_search.search(current_user, form.filters(), page=page_number())
    page = render_template("audit/search.html", form=form, result=result,
                           detail_pairs=audit_search.detail_pairs,
                           is_admin=current_user.role is Role.ADMIN)
    # Committed (the search is recorded) after rendering: a commit expires the loaded events,
    # and the page would then reload each one.
    db.session.commit()
    return page, 200 if valid else 422
