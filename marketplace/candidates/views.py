from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.candidates import services
from marketplace.candidates.forms import ProfileForm, SkillForm
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import choices
from marketplace.i18n import current_language
from marketplace.matches import services as match_services
from marketplace.reference.models import City, Region
from marketplace.reference.services import city_choices, region_choices, skill_names
from marketplace.urls import page_number

bp = Blueprint("candidates", __name__, url_prefix="/candidate")


def _own_profile() -> CandidateProfile:
    profile = services.profile_for(current_user)
    if profile is None:
        abort(404)
    return profile


def _skill_form_page(profile, skill_form, status=200):
    percent, next_step = services.completeness(profile)
    return render_template("candidates/home.html", profile=profile, skill_form=skill_form,
                           percent=percent, next_step=next_step,
                           skill_suggestions=skill_names(current_language())), status


@bp.route("/")
@role_required(Role.CANDIDATE)
def home():
    return _skill_form_page(_own_profile(), SkillForm())


@bp.route("/profile", methods=["GET", "POST"])
@role_required(Role.CANDIDATE)
def edit_profile():
    profile = _own_profile()
    form = ProfileForm(obj=profile, region=profile.region_id, city=profile.city_id or 0)
    form.region.choices = region_choices()
    region_id = form.region.data if request.method == "POST" else profile.region_id
    form.city.choices = [*choices([(0, _("Not chosen"))]), *city_choices(region_id)]
    if form.validate_on_submit():
        city = db.session.get(City, form.city.data) if form.city.data else None
        services.update_profile(
            profile, actor=current_user,
            desired_title=form.desired_title.data or "", summary=form.summary.data or "",
            experience_years=form.experience_years.data,
            region=db.session.get(Region, form.region.data),
            city=city if city and city.region_id == form.region.data else None,
            discoverable=form.discoverable.data,
        )
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("candidates.home"))
    return render_template("candidates/edit_profile.html", form=form)


@bp.route("/skills", methods=["POST"])
@role_required(Role.CANDIDATE)
def add_skill():
    profile = _own_profile()
    form = SkillForm()
    if form.validate_on_submit():
        try:
            services.add_skill(profile, text=form.skill.data, level=form.level.data,
                               years=form.years.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            form.skill.errors = [error.message]
        else:
            db.session.commit()
            flash(_("Skill added."), "success")
            return redirect(url_for("candidates.home"))
    return _skill_form_page(profile, form, status=422)


@bp.route("/skills/<int:skill_id>/delete", methods=["POST"])
@role_required(Role.CANDIDATE)
def remove_skill(skill_id):
    profile = _own_profile()
    entry = db.session.get(CandidateSkill, skill_id)
    if entry is None or entry.profile_id != profile.id:
        abort(404)
    services.remove_skill(profile, entry, actor=current_user)
    db.session.commit()
    flash(_("Skill removed."), "success")
    return redirect(url_for("candidates.home"))


@bp.route("/recommendations")
@role_required(Role.CANDIDATE)
def recommendations():
    profile = _own_profile()
    result = match_services.recommendations(profile, page=page_number())
    explanations = [e for _, _, e in result.page.items] + [{"skill_gap": result.skill_gap}]
    return render_template("candidates/recommendations.html", result=result,
                           labels=match_services.skill_labels(explanations))
