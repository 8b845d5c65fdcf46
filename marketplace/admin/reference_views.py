"""Administration of reference data: regions, occupations and skills with translations and synonyms.

Views load or 404, call one service in marketplace.admin.reference_services and render; the
services validate, audit and tell the matching index about taxonomy changes.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.actions import attempt
from marketplace.admin import reference_services as services
from marketplace.admin.reference_forms import (
    LinkOccupationForm,
    NewOccupationForm,
    NewSkillForm,
    OccupationForm,
    OccupationSearchForm,
    ReferenceSearchForm,
    RegionForm,
    SkillForm,
    SynonymForm,
)
from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import choices, show_domain_error
from marketplace.reference.models import Occupation, Region, Sector, Skill, SkillSynonym
from marketplace.reference.services import sector_choices
from marketplace.urls import page_number

bp = Blueprint("admin_reference", __name__, url_prefix="/admin/reference")

PAGE_SIZE = 50


def _status() -> int:
    """A form shown again after a POST was refused."""
    return 422 if request.method == "POST" else 200


def _code_taken(form) -> None:
    # The same code saved by someone else between our check and the commit.
    db.session.rollback()
    form.code.errors = [*form.code.errors, _(
        "The code %(code)s is already used: choose another code.", code=form.code.data)]


def _not_chosen():
    return choices([(0, _("Not chosen"))])


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    return render_template("admin/reference/index.html")


# ---------------------------------------------------------------------------- regions

@bp.route("/regions")
@role_required(Role.ADMIN)
def regions():
    filters = ReferenceSearchForm(request.args)
    filters.validate()
    rows = services.search_regions(None if filters.q.errors else filters.q.data)
    return render_template("admin/reference/regions.html", filters=filters, regions=rows)


@bp.route("/regions/<int:region_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_region(region_id):
    region = db.session.get(Region, region_id) or abort(404)
    form = RegionForm(obj=region)
    if form.validate_on_submit():
        try:
            changed = services.update_region(region, names=form.names(), actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Region saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".regions"))
    return render_template("admin/reference/region.html", region=region, form=form), _status()


# ---------------------------------------------------------------------------- occupations

@bp.route("/occupations")
@role_required(Role.ADMIN)
def occupations():
    filters = OccupationSearchForm(request.args)
    filters.validate()
    query = services.occupation_query(
        q=None if filters.q.errors else filters.q.data,
        level=None if filters.level.errors else filters.level.data)
    page = db.paginate(query, page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/reference/occupations.html", filters=filters, page=page)


def _new_occupation_form() -> NewOccupationForm:
    form = NewOccupationForm()
    form.parent.choices = [*_not_chosen(), *choices(
        (group.id, f"{group.code} — {group.name}") for group in services.sub_major_groups())]
    form.sector.choices = [*_not_chosen(), *sector_choices()]
    return form


@bp.route("/occupations/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_occupation():
    form = _new_occupation_form()
    if form.validate_on_submit():
        try:
            occupation = services.create_occupation(
                code=form.code.data, isco=form.isco.data,
                parent=db.session.get(Occupation, form.parent.data),
                sector=db.session.get(Sector, form.sector.data), names=form.names(),
                hazardous=form.hazardous.data, actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        except IntegrityError:
            _code_taken(form)
        else:
            flash(_("Occupation “%(name)s” added.", name=occupation.name), "success")
            return redirect(url_for(".edit_occupation", occupation_id=occupation.id))
    return render_template("admin/reference/occupation_new.html", form=form), _status()


@bp.route("/occupations/<int:occupation_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_occupation(occupation_id):
    occupation = db.session.get(Occupation, occupation_id) or abort(404)
    form = OccupationForm(obj=occupation)
    if form.validate_on_submit():
        try:
            changed = services.update_occupation(occupation, names=form.names(),
                                                 hazardous=form.hazardous.data,
                                                 actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Occupation saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".edit_occupation", occupation_id=occupation.id))
    skills = db.session.scalars(select(Skill).where(Skill.occupations.contains(occupation))
                                .order_by(Skill.code)).all()
    return render_template("admin/reference/occupation.html", occupation=occupation, form=form,
                           skills=skills), _status()


# ---------------------------------------------------------------------------- skills

@bp.route("/skills")
@role_required(Role.ADMIN)
def skills():
    filters = ReferenceSearchForm(request.args)
    filters.validate()
    query = services.skill_query(None if filters.q.errors else filters.q.data).options(
        selectinload(Skill.synonyms), selectinload(Skill.occupations))  # the page counts both
    page = db.paginate(query, page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/reference/skills.html", filters=filters, page=page)


def _occupation_choices(exclude=()):
    return [*_not_chosen(), *choices(
        (o.id, f"{o.name} ({o.isco})") for o in services.concrete_occupations()
        if o not in exclude)]


@bp.route("/skills/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_skill():
    form = NewSkillForm()
    form.occupation.choices = _occupation_choices()
    if form.validate_on_submit():
        try:
            skill = services.create_skill(
                code=form.code.data, names=form.names(),
                occupation=db.session.get(Occupation, form.occupation.data),
                actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        except IntegrityError:
            _code_taken(form)
        else:
            flash(_("Skill “%(name)s” added.", name=skill.name), "success")
            return redirect(url_for(".skill", skill_id=skill.id))
    return render_template("admin/reference/skill_new.html", form=form), _status()


def _skill(skill_id) -> Skill:
    return db.session.get(Skill, skill_id) or abort(404)


def _skill_page(skill, *, names_form=None, synonym_form=None, link_form=None, status=200):
    names_form = names_form or SkillForm(formdata=None, obj=skill)
    synonym_form = synonym_form or SynonymForm(formdata=None)
    link_form = link_form or LinkOccupationForm(formdata=None)
    link_form.occupation.choices = _occupation_choices(exclude=skill.occupations)
    synonyms = sorted(skill.synonyms, key=lambda s: (s.language, s.name))
    return render_template("admin/reference/skill.html", skill=skill, names_form=names_form,
                           synonym_form=synonym_form, link_form=link_form,
                           synonyms=synonyms), status


@bp.route("/skills/<int:skill_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def skill(skill_id):
    skill = _skill(skill_id)
    if request.method == "GET":
        return _skill_page(skill)
    form = SkillForm()
    if form.validate_on_submit():
        try:
            changed = services.update_skill(skill, names=form.names(), actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Skill saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".skill", skill_id=skill.id))
    return _skill_page(skill, names_form=form, status=422)


@bp.route("/skills/<int:skill_id>/synonyms", methods=["POST"])
@role_required(Role.ADMIN)
def add_synonym(skill_id):
    skill = _skill(skill_id)
    form = SynonymForm()
    if form.validate_on_submit():
        try:
            services.add_synonym(skill, language=form.language.data, name=form.name.data,
                                 actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        except IntegrityError:  # the same synonym added by someone else a moment ago
            db.session.rollback()
            form.name.errors = [*form.name.errors, _("This skill already has this synonym.")]
        else:
            flash(_("Synonym added."), "success")
            return redirect(url_for(".skill", skill_id=skill.id, _anchor="synonyms"))
    return _skill_page(skill, synonym_form=form, status=422)


@bp.route("/skills/<int:skill_id>/synonyms/<int:synonym_id>/delete", methods=["POST"])
@role_required(Role.ADMIN)
def remove_synonym(skill_id, synonym_id):
    skill = _skill(skill_id)
    synonym = db.session.get(SkillSynonym, synonym_id)
    if synonym is None or synonym.skill_id != skill.id:
        abort(404)
    return attempt(lambda: services.remove_synonym(synonym, actor=current_user),
                   success=_("Synonym removed."),
                   target=url_for(".skill", skill_id=skill.id, _anchor="synonyms"))


@bp.route("/skills/<int:skill_id>/occupations", methods=["POST"])
@role_required(Role.ADMIN)
def link_occupation(skill_id):
    skill = _skill(skill_id)
    form = LinkOccupationForm()
    form.occupation.choices = _occupation_choices(exclude=skill.occupations)
    if form.validate_on_submit():
        try:
            services.link_occupation(skill, db.session.get(Occupation, form.occupation.data),
                                     actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        except IntegrityError:  # linked by someone else a moment ago
            db.session.rollback()
            form.occupation.errors = [_("The skill is already linked to this occupation.")]
        else:
            flash(_("Occupation linked."), "success")
            return redirect(url_for(".skill", skill_id=skill.id, _anchor="occupations"))
    return _skill_page(skill, link_form=form, status=422)


@bp.route("/skills/<int:skill_id>/occupations/<int:occupation_id>/delete", methods=["POST"])
@role_required(Role.ADMIN)
def unlink_occupation(skill_id, occupation_id):
    skill = _skill(skill_id)
    occupation = db.session.get(Occupation, occupation_id)
    if occupation is None or occupation not in skill.occupations:
        abort(404)
    return attempt(lambda: services.unlink_occupation(skill, occupation, actor=current_user),
                   success=_("Occupation unlinked."),
                   target=url_for(".skill", skill_id=skill.id, _anchor="occupations"))
