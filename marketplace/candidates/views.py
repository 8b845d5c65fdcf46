"""The candidate blueprint: profile pages here, entries and privacy in their own modules."""

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.candidates import (  # noqa: F401 - entry and privacy views add their routes
    entry_views,
    privacy_views,
    services,
)
from marketplace.candidates.blueprint import bp, own_entry, own_profile
from marketplace.candidates.forms import (
    EDUCATION_LABELS,
    LANGUAGE_LABELS,
    LANGUAGE_LEVEL_LABELS,
    SCHEDULE_LABELS,
    PersonalForm,
    ProfileForm,
    SkillForm,
)
from marketplace.candidates.models import SCHEDULES, CandidateSkill
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import choices, show_domain_error
from marketplace.i18n import current_language
from marketplace.matches import services as match_services
from marketplace.reference.models import City, Region
from marketplace.reference.services import city_choices, region_choices, skill_names
from marketplace.urls import page_number

__all__ = ["bp"]

# Where each completeness step is done: (endpoint, anchor).
STEP_LINKS = {
    "desired_job": ("candidates.edit_profile", "job"),
    "skills": ("candidates.home", "skills-title"),
    "work_history": ("candidates.add_work", None),
    "schedule": ("candidates.edit_profile", "when"),
    "languages": ("candidates.add_language", None),
    "summary": ("candidates.edit_profile", "about"),
    "salary": ("candidates.edit_profile", "when"),
    "education": ("candidates.add_education", None),
    "city": ("candidates.edit_profile", "where"),
}


def _home_page(profile, skill_form, status=200):
    percent, next_step = services.completeness(profile)
    next_link = None
    if next_step:
        endpoint, anchor = STEP_LINKS[next_step[0]]
        next_link = url_for(endpoint, _anchor=anchor)
    return render_template(
        "candidates/home.html", profile=profile, skill_form=skill_form, percent=percent,
        next_step=next_step[1] if next_step else None, next_link=next_link,
        skill_suggestions=skill_names(current_language()), schedule_labels=SCHEDULE_LABELS,
        education_labels=EDUCATION_LABELS, language_labels=LANGUAGE_LABELS,
        language_level_labels=LANGUAGE_LEVEL_LABELS), status


@bp.route("/")
@role_required(Role.CANDIDATE)
def home():
    return _home_page(own_profile(), SkillForm())


def profile_form_for(profile) -> ProfileForm:
    """The job-wishes form, filled from the profile on GET (staff use it on the person's
    behalf too: marketplace.cases.on_behalf)."""
    names = [o.name for o in profile.desired_occupations]
    data = {name: getattr(profile, name) for name in (
        "desired_title", "experience_years", "willing_to_relocate", "available_from",
        "summary", "discoverable", *(f"schedule_{s}" for s in SCHEDULES))}
    data.update(zip(ProfileForm.OCCUPATION_FIELDS, names, strict=False))
    data.update(region=profile.region_id, city=profile.city_id or 0,
                salary_expectation=None if profile.salary_expectation is None
                else int(profile.salary_expectation))
    form = ProfileForm(data=data if request.method == "GET" else None)
    form.region.choices = region_choices()
    region_id = form.region.data if request.method == "POST" else profile.region_id
    form.city.choices = [*choices([(0, _("Not chosen"))]), *city_choices(region_id)]
    return form


def job_wishes_from(form) -> dict:
    """The validated form as update_profile's keyword arguments."""
    city = db.session.get(City, form.city.data) if form.city.data else None
    salary = form.salary_expectation.data
    return {
        "desired_title": form.desired_title.data or "", "summary": form.summary.data or "",
        "experience_years": form.experience_years.data,
        "region": db.session.get(Region, form.region.data),
        "city": city if city and city.region_id == form.region.data else None,
        "willing_to_relocate": form.willing_to_relocate.data,
        "schedules": {s for s in SCHEDULES if form[f"schedule_{s}"].data},
        "available_from": form.available_from.data,
        "salary_expectation": Decimal(salary) if salary else None,
        "discoverable": form.discoverable.data,
    }


@bp.route("/profile", methods=["GET", "POST"])
@role_required(Role.CANDIDATE)
def edit_profile():
    profile = own_profile()
    form = profile_form_for(profile)
    if form.validate_on_submit():
        try:
            services.update_profile(
                profile, actor=current_user, **job_wishes_from(form),
                occupation_names={f: form[f].data or "" for f in form.OCCUPATION_FIELDS})
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("candidates.home"))
    return render_template("candidates/edit_profile.html", form=form,
                           occupation_suggestions=services.occupation_choices(
                               current_language()))


@bp.route("/personal", methods=["GET", "POST"])
@role_required(Role.CANDIDATE)
def edit_personal():
    profile = own_profile()
    saved = {"full_name": current_user.full_name, "phone": current_user.phone, "iin": profile.iin}
    form = PersonalForm(data=saved if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_personal(profile, actor=current_user, full_name=form.full_name.data,
                                     phone=form.phone.data, iin=form.iin.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your personal data has been saved."), "success")
            return redirect(url_for("candidates.home"))
    status = 422 if form.errors else 200
    return render_template("candidates/personal.html", form=form), status


@bp.route("/skills", methods=["POST"])
@role_required(Role.CANDIDATE)
def add_skill():
    profile = own_profile()
    form = SkillForm()
    if form.validate_on_submit():
        try:
            services.add_skill(profile, text=form.skill.data, level=form.level.data,
                               years=form.years.data, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Skill added."), "success")
            return redirect(url_for("candidates.home", _anchor="skills-title"))
    return _home_page(profile, form, status=422)


@bp.route("/skills/<int:skill_id>/delete", methods=["POST"])
@role_required(Role.CANDIDATE)
def remove_skill(skill_id):
    entry = own_entry(CandidateSkill, skill_id)
    services.remove_skill(entry.profile, entry, actor=current_user)
    db.session.commit()
    flash(_("Skill removed."), "success")
    return redirect(url_for("candidates.home", _anchor="skills-title"))


@bp.route("/recommendations")
@role_required(Role.CANDIDATE)
def recommendations():
    profile = own_profile()
    result = match_services.recommendations(profile, page=page_number())
    explanations = [e for _, _, e in result.page.items] + [{"skill_gap": result.skill_gap}]
    return render_template("candidates/recommendations.html", result=result,
                           labels=match_services.skill_labels(explanations))
