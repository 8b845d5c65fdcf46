from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user
from markupsafe import Markup

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.i18n import current_language
from marketplace.staff.kept import kept
from marketplace.staff.services import staff_home

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/")
@role_required(Role.STAFF)
def home():
    region_id = current_user.region_id
    work = _work(region_id) if region_id is not None else None
    return render_template("staff/home.html", work=work)


def _work(region_id: int) -> Markup:
    """The region's queues and figures, rendered: the same for every officer of the region in
    one language on one day, so they are kept between views (marketplace.staff.kept)."""
    today = date.today()

    def render() -> Markup:
        home = staff_home(region_id, today)
        # Rendered by Jinja with autoescaping: the text is already safe HTML.
        return Markup(render_template("staff/_work.html",  # noqa: S704
                                      queues=home.queues, overview=home.overview))

    return kept(("staff-home", region_id, current_language(), today), render)
