from flask import Blueprint, render_template
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.staff.services import region_overview, work_queues

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/")
@role_required(Role.STAFF)
def home():
    region_id = current_user.region_id
    if region_id is None:
        return render_template("staff/home.html", overview=None, queues=[])
    return render_template("staff/home.html", overview=region_overview(region_id),
                           queues=work_queues(region_id))
