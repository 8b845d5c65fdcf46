from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.notifications import services
from marketplace.notifications.messages import render
from marketplace.pagination import PAGE_SIZE
from marketplace.urls import page_number

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@login_required
def index():
    page = db.paginate(services.newest_first(current_user), page=page_number(),
                       per_page=PAGE_SIZE, error_out=False)
    return render_template("notifications/index.html", notifications=page, render=render)


@bp.route("/read", methods=["POST"])
@login_required
def mark_read():
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))
