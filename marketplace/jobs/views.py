from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.auth.models import Role
from marketplace.candidates.services import profile_for
from marketplace.employers import reports
from marketplace.employers.forms import ReportForm
from marketplace.employers.vacancies import (
    can_moderate,
    is_member,
    is_public,
    occupation_choices,
    visible_vacancy,
)
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import choices, show_domain_error
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
    return _detail_page(vacancy, ReportForm())


def _detail_page(vacancy, report_form, status=200):
    staff_link = current_user.is_authenticated and can_moderate(current_user, vacancy)
    return render_template("jobs/detail.html", vacancy=vacancy, public=is_public(vacancy),
                           member=is_member(current_user, vacancy.organisation_id),
                           staff_link=staff_link, report_form=report_form), status


@bp.route("/jobs/<int:vacancy_id>/report", methods=["POST"])
@login_required
def report(vacancy_id):
    """Any signed-in user may report a public vacancy to the job centre."""
    vacancy = visible_vacancy(vacancy_id, current_user)
    if vacancy is None or not is_public(vacancy):
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            reports.report_vacancy(vacancy, reporter=current_user, reason=form.reason.data)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Thank you. The job centre will check this vacancy."), "success")
            return redirect(url_for("jobs.detail", vacancy_id=vacancy.id))
    return _detail_page(vacancy, form, status=422)
