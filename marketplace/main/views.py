from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from marketplace.auth.permissions import HOME_ENDPOINT
from marketplace.extensions import db
from marketplace.i18n import LANGUAGE_COOKIE
from marketplace.main.services import home_counts
from marketplace.urls import is_safe_path

bp = Blueprint("main", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(HOME_ENDPOINT[current_user.role]))
    return render_template("main/index.html", **home_counts())


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the choice in a cookie, and on the account when signed in."""
    language = request.form.get("lang")
    target = request.form.get("next")
    response = redirect(target if is_safe_path(target) else url_for("main.index"))
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
        if current_user.is_authenticated and current_user.locale != language:
            current_user.locale = language
            db.session.commit()
    return response


@bp.route("/healthz")
def health():
    db.session.execute(select(1))
    return {"status": "ok"}
