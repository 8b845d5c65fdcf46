from flask import Blueprint, render_template
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.employers.services import organisations_of

bp = Blueprint("employers", __name__, url_prefix="/employer")


@bp.route("/")
@role_required(Role.EMPLOYER)
def home():
    return render_template("employers/home.html", organisations=organisations_of(current_user))
