from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.candidates.services import profile_for
from marketplace.employers.vacancies import (
    can_moderate,
    is_member,
    is_public,
    occupation_choices,
    visible_vacancy,
)
from marketplace.forms import choices
from marketplace.i18n import current_language
from marketplace.jobs.forms import JobSearchForm
from marketplace.jobs.services import search
from marketplace.matches.services import blocked_vacancy_ids
from marketplace.reference.services import region_choices
from marketplace.urls import page_number

bp = Blueprint("jobs", __name__)


@bp.route("/jobs")
def search_page():
    form = JobSearchForm(request.args)
    form.region.choices = [*choices([("", _("Any region"))]), *region_choices()]
    form.occupation.choices = [*choices([("", _("Any occupation"))]),
                               *occupation_choices(current_language())]
    blocked = _blocked_for_reader()
    results = search(form.clean(), page=page_number(), exclude=blocked)
    return render_template("jobs/search.html", form=form, results=results,
                           filters=form.query_args(), blocked=len(blocked))


def _blocked_for_reader() -> set[int]:
    """For a signed-in candidate: vacancies their own restrictions rule out."""
    if not (current_user.is_authenticated and current_user.role is Role.CANDIDATE):
        return set()
    profile = profile_for(current_user)
    return blocked_vacancy_ids(profile) if profile else set()


@bp.route("/jobs/<int:vacancy_id>")
def detail(vacancy_id):
    vacancy = visible_vacancy(vacancy_id, current_user) or abort(404)
    staff_link = current_user.is_authenticated and can_moderate(current_user, vacancy)
    return render_template("jobs/detail.html", vacancy=vacancy, public=is_public(vacancy),
                           member=is_member(current_user, vacancy.organisation_id),
                           staff_link=staff_link)
