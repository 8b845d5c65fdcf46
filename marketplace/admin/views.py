from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.admin import services
from marketplace.admin.forms import CreateUserForm, UserFilterForm
from marketplace.auth.models import Role, User
from marketplace.auth.permissions import role_required
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import choices, show_domain_error
from marketplace.reference.models import Region
from marketplace.reference.services import region_choices
from marketplace.urls import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 25


@bp.route("/")
@role_required(Role.ADMIN)
def home():
    filters = UserFilterForm(request.args)
    filters.validate()
    query = services.search_users(q=filters.q.data if not filters.q.errors else None,
                                  role=None if filters.role.errors else filters.role.data or None)
    page = db.paginate(query, page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/home.html", filters=filters, page=page,
                           counts=services.user_counts())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_user():
    form = CreateUserForm()
    form.region.choices = [*choices([(0, _("Not chosen"))]), *region_choices()]
    if form.validate_on_submit():
        try:
            user = services.create_privileged_user(
                role=Role(form.role.data), full_name=form.full_name.data,
                email=form.email.data, phone=form.phone.data, password=form.password.data,
                region=db.session.get(Region, form.region.data) if form.region.data else None,
                actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Account created for %(name)s.", name=user.full_name), "success")
            return redirect(url_for("admin.home"))
    return render_template("admin/create_user.html", form=form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def set_active(user_id):
    user = db.session.get(User, user_id) or abort(404)
    try:
        services.set_active(user, request.form.get("active") == "1", actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Account updated."), "success")
    return redirect(url_for("admin.home"))


from marketplace.admin import user_views  # noqa: E402, F401 - its routes join this blueprint
