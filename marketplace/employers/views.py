from flask import Blueprint, abort, render_template
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.employers.services import organisations_of, vacancy_of_member
from marketplace.matches.services import ranked_candidates, skill_labels
from marketplace.urls import page_number

bp = Blueprint("employers", __name__, url_prefix="/employer")


@bp.route("/")
@role_required(Role.EMPLOYER)
def home():
    return render_template("employers/home.html", organisations=organisations_of(current_user))


@bp.route("/vacancies/<int:vacancy_id>/candidates")
@role_required(Role.EMPLOYER)
def vacancy_candidates(vacancy_id):
    vacancy = vacancy_of_member(current_user, vacancy_id) or abort(404)
    page = ranked_candidates(vacancy, page=page_number())
    return render_template("employers/vacancy_candidates.html", vacancy=vacancy, ranked=page,
                           labels=skill_labels(e for _, _, e in page.items))
