from flask import Blueprint, render_template
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.staff.services import region_overview

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/")
@role_required(Role.STAFF)
def home():
    overview = region_overview(current_user.region_id) if current_user.region_id else None
    return render_template("staff/home.html", overview=overview)
