"""The administrator's pages for incentive programmes: creating and editing a programme, its rule
versions (a change of rules is a new version with a later effective date; versions already used
by claims are never edited) and the budget given to each region. Forms are in admin_forms, the
work in programmes."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import show_domain_error
from marketplace.incentives import budget, services
from marketplace.incentives.admin_forms import (
    RuleVersionForm,
    allocation_form,
    edit_programme_form,
    new_programme_form,
)
from marketplace.incentives.models import IncentiveProgramme, ProgrammeKind
from marketplace.incentives.programmes import (
    KIND_LABELS,
    add_version_from_form,
    base_rules,
    budget_rows,
    create_programme,
    latest_version,
    prefill,
    rule_table,
    rules_from_form,
    update_programme,
)
from marketplace.incentives.rules import Rules
from marketplace.reference.models import Region
from marketplace.web import money

bp = Blueprint("incentives_admin", __name__, url_prefix="/admin/programmes")


def _programme(programme_id) -> IncentiveProgramme:
    return db.session.get(IncentiveProgramme, programme_id) or abort(404)


def _region(region_id: int) -> Region | None:
    """The region a scope select chose; 0 means nationwide."""
    return (db.session.get(Region, region_id) or abort(404)) if region_id else None


@bp.route("/")
@role_required(Role.ADMIN)
def programmes():
    today = date.today()
    rows = [(p, services.version_in_force(p, today)) for p in db.session.scalars(
        select(IncentiveProgramme).order_by(IncentiveProgramme.active_from,
                                            IncentiveProgramme.id))]
    return render_template("incentives/admin_programmes.html", rows=rows,
                           kind_label=KIND_LABELS.get)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_programme():
    form = new_programme_form(prefill(Rules()))
    if form.validate_on_submit():
        try:
            programme = create_programme(
                code=form.code.data, kind=ProgrammeKind(form.kind.data),
                name_kk=form.name_kk.data, name_ru=form.name_ru.data,
                name_en=form.name_en.data, region=_region(form.region.data),
                active_from=form.active_from.data, active_to=form.active_to.data,
                effective_from=form.effective_from.data, rules=rules_from_form(form, Rules()),
                source=form.source.data, actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        except IntegrityError:  # the same code saved by someone else a moment ago
            db.session.rollback()
            form.code.errors = [*form.code.errors, _(
                "A programme with the code %(code)s already exists: choose another code.",
                code=form.code.data)]
        else:
            flash(_("Programme “%(name)s” created.", name=programme.name), "success")
            return redirect(url_for(".programme", programme_id=programme.id))
    return render_template("incentives/admin_programme_new.html", form=form), \
        422 if request.method == "POST" else 200


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_programme(programme_id):
    programme = _programme(programme_id)
    form = edit_programme_form(programme)
    if form.validate_on_submit():
        try:
            update_programme(
                programme, name_kk=form.name_kk.data, name_ru=form.name_ru.data,
                name_en=form.name_en.data, region=_region(form.region.data),
                active_to=form.active_to.data, actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Programme details saved."), "success")
            return redirect(url_for(".programme", programme_id=programme.id))
    return render_template("incentives/admin_programme_edit.html", programme=programme,
                           form=form, kind_label=KIND_LABELS.get), \
        422 if request.method == "POST" else 200


def _page(programme, *, version_form=None, budget_form=None, status=200):
    if version_form is None:
        version_form = RuleVersionForm(formdata=None, data=prefill(base_rules(programme)))
    if budget_form is None:
        budget_form = allocation_form(programme, formdata=None)
    in_force = services.version_in_force(programme, date.today())
    latest = latest_version(programme)
    return render_template(
        "incentives/admin_programme.html", programme=programme, versions=programme.versions,
        rule_table=rule_table(programme.versions), in_force=in_force, latest=latest,
        budget_rows=budget_rows(programme), version_form=version_form,
        budget_form=budget_form, kind_label=KIND_LABELS.get, today=date.today()), status


@bp.route("/<int:programme_id>")
@role_required(Role.ADMIN)
def programme(programme_id):
    return _page(_programme(programme_id))


@bp.route("/<int:programme_id>/versions", methods=["POST"])
@role_required(Role.ADMIN)
def add_version(programme_id):
    programme = _programme(programme_id)
    form = RuleVersionForm()
    if not form.validate_on_submit():
        return _page(programme, version_form=form, status=422)
    try:
        version = add_version_from_form(programme, form, actor=current_user)
    except DomainError as error:
        show_domain_error(form, error, default_field=(
            "effective_from" if isinstance(error, services.DuplicateRuleVersion) else None))
        return _page(programme, version_form=form, status=422)
    try:
        db.session.commit()
    except IntegrityError:  # the same date added by someone else a moment ago
        db.session.rollback()
        form.effective_from.errors = [_("A version starting on this date already exists.")]
        return _page(programme, version_form=form, status=422)
    flash(_("New rules saved: in force from %(date)s.",
            date=format_date(version.effective_from)), "success")
    return redirect(url_for(".programme", programme_id=programme.id))


@bp.route("/<int:programme_id>/budget", methods=["POST"])
@role_required(Role.ADMIN)
def allocate(programme_id):
    programme = _programme(programme_id)
    form = allocation_form(programme)
    if not form.validate_on_submit():
        return _page(programme, budget_form=form, status=422)
    region = db.session.get(Region, form.region.data) or abort(404)
    try:
        budget.allocate(programme.id, region.id, form.amount.data, actor=current_user,
                        note=form.note.data or "")
    except DomainError as error:
        show_domain_error(form, error, default_field="amount")
        return _page(programme, budget_form=form, status=422)
    db.session.commit()
    flash(_("%(amount)s ₸ allocated to %(region)s.", amount=money(form.amount.data),
            region=region.name), "success")
    return redirect(url_for(".programme", programme_id=programme.id, _anchor="budget"))
