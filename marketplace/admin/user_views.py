"""An administrator's page for one account: role (staff ↔ admin), a staff member's region, and
deactivation. Routes on the existing "admin" blueprint (imported at the bottom of views.py)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from marketplace.admin.user_services import PRIVILEGED, update_account
from marketplace.admin.views import bp
from marketplace.auth.models import Role, User
from marketplace.auth.permissions import role_required
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import BaseForm, choices, show_domain_error
from marketplace.reference.models import Region
from marketplace.reference.services import region_choices


class AccountForm(BaseForm):
    role = SelectField(_l("Role"), choices=choices([("staff", _l("Job-centre staff")),
                                                    ("admin", _l("Administrator"))]))
    region = SelectField(_l("Region (for staff)"), coerce=int, validators=[Optional()])
    active = BooleanField(_l("The account is active (the person can sign in)"))


def _account_form(user: User) -> AccountForm:
    form = AccountForm(data={"role": user.role.value, "region": user.region_id or 0,
                             "active": user.active})
    if user.role in PRIVILEGED:
        form.region.choices = [*choices([(0, _("Not chosen"))]), *region_choices()]
    else:  # a candidate's or employer's role comes with their profile or organisation
        del form.role
        del form.region
    return form


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id):
    user = db.session.get(User, user_id) or abort(404)
    form = _account_form(user)
    if form.validate_on_submit():
        privileged = user.role in PRIVILEGED
        try:
            update_account(
                user, active=form.active.data, actor=current_user,
                role=Role(form.role.data) if privileged else None,
                region=db.session.get(Region, form.region.data)
                if privileged and form.region.data else None)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Account of %(name)s saved.", name=user.full_name), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user.html", user=user, form=form), \
        422 if request.method == "POST" else 200
