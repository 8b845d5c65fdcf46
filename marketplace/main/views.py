from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from marketplace.auth.permissions import HOME_ENDPOINT
from marketplace.employers.models import EmployerOrganisation, Vacancy
from marketplace.employers.vacancies import public_conditions
from marketplace.extensions import db
from marketplace.i18n import LANGUAGE_COOKIE
from marketplace.urls import is_safe_path

bp = Blueprint("main", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(HOME_ENDPOINT[current_user.role]))
    open_vacancies = db.session.scalar(
        select(func.count(Vacancy.id)).join(EmployerOrganisation).where(*public_conditions()))
    employers = db.session.scalar(select(func.count(EmployerOrganisation.id)))
    return render_template("main/index.html", open_vacancies=open_vacancies, employers=employers)


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
