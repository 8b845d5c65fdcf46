"""Case management pages: the caseload, the check-ins due, and one candidate's case on one page
(profile, release record, restrictions, manager, next step, notes, tasks, hires with their
check-ins, re-offences) with a thin POST endpoint per form."""

from dataclasses import dataclass, replace
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from marketplace.actions import attempt
from marketplace.auth.models import Role, User
from marketplace.auth.permissions import role_required
from marketplace.candidates.models import CandidateProfile, CandidateSkill, DesiredOccupation
from marketplace.cases import checkins, services
from marketplace.cases.forms import (
    OUTCOME_LABELS,
    REOFFENCE_LABELS,
    CheckInForm,
    CourtBanForm,
    CurfewForm,
    ManagerForm,
    NextStepForm,
    NoteForm,
    ReleaseForm,
    ReoffenceForm,
    TaskForm,
    TerritoryForm,
)
from marketplace.cases.models import Case, CaseNote, CheckIn
from marketplace.certificates.services import certificates_of
from marketplace.employers.models import Vacancy
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import choices, show_domain_error
from marketplace.hiring.models import Application, Employment
from marketplace.i18n import current_language
from marketplace.pagination import PAGE_SIZE
from marketplace.reference.models import City, Occupation, Region, Sector
from marketplace.restrictions import services as restrictions
from marketplace.restrictions.models import CandidateRestriction
from marketplace.urls import page_number

bp = Blueprint("cases", __name__, url_prefix="/staff")

# The prefix of each form on the candidate page, by the keyword the page template receives.
FORMS = {
    "release_form": (ReleaseForm, "release"),
    "ban_form": (CourtBanForm, "ban"),
    "curfew_form": (CurfewForm, "curfew"),
    "territory_form": (TerritoryForm, "territory"),
    "manager_form": (ManagerForm, "manager"),
    "next_step_form": (NextStepForm, "step"),
    "note_form": (NoteForm, "note"),
    "task_form": (TaskForm, "task"),
    "reoffence_form": (ReoffenceForm, "reoffence"),
}


# --- loading ---------------------------------------------------------------------------------

def _profile(profile_id):
    """The candidate, or 404 unless they are in the staff member's region."""
    return services.profile_in_region(profile_id, current_user.region_id) or abort(404)


def _back(profile, anchor: str = "") -> str:
    return url_for("cases.candidate", profile_id=profile.id) + (f"#{anchor}" if anchor else "")


def _restriction(profile, restriction_id) -> CandidateRestriction:
    restriction = db.session.get(CandidateRestriction, restriction_id)
    if restriction is None or restriction.profile_id != profile.id:
        abort(404)
    return restriction


def _check_in(profile, check_in_id) -> CheckIn:
    # Locked: two officers recording the same check-in at once are served one after the other,
    # so the second is told it is already recorded (and no second call-back task is raised).
    check_in = db.session.scalar(select(CheckIn).where(CheckIn.id == check_in_id)
                                 .with_for_update().execution_options(populate_existing=True))
    if check_in is None or check_in.employment.application.profile_id != profile.id:
        abort(404)
    return check_in


# --- choices ---------------------------------------------------------------------------------

def _occupation_choices(language: str) -> list:
    """Concrete occupations by code, grouped under their ISCO sub-major group."""
    rows = db.session.scalars(select(Occupation).where(Occupation.level == "occupation")
                              .options(joinedload(Occupation.parent)))
    items = sorted((row.parent.name_in(language) if row.parent else "", row.name_in(language),
                    row.code) for row in rows)
    return [replace(option, optgroup=group or None) for (group, _name, _code), option in zip(
        items, choices((code, name) for _group, name, code in items), strict=True)]


def _named_choices(model, language: str) -> list:
    return choices(sorted(((row.code, row.name_in(language))
                           for row in db.session.scalars(select(model))), key=lambda c: c[1]))


def _names_by_code(model, codes) -> dict[str, str]:
    if not codes:
        return {}
    return {row.code: row.name for row in db.session.scalars(
        select(model).where(model.code.in_(sorted(codes))))}


def _manager_choices(profile) -> list:
    staff = services.region_staff(profile.region_id)
    return choices((user.id, user.full_name) for user in staff)


def _bind_choices(forms: dict, profile) -> None:
    language = current_language()
    forms["ban_form"].occupations.choices = _occupation_choices(language)
    forms["ban_form"].sectors.choices = _named_choices(Sector, language)
    forms["territory_form"].regions.choices = _named_choices(Region, language)
    forms["manager_form"].manager.choices = _manager_choices(profile)


# --- the candidate page ----------------------------------------------------------------------

@dataclass(frozen=True)
class RestrictionItem:
    """A decrypted restriction as the page shows it: codes turned into names."""

    id: int
    kind: str
    occupations: list[str]
    sectors: list[str]
    places: list[str]
    start: str
    end: str
    until: date | None


def _restriction_items(rows) -> list[RestrictionItem]:
    codes = {key: {c for row in rows for c in row.data.get(key, ())}
             for key in ("occupations", "sectors", "regions", "cities")}
    names = {**_names_by_code(Occupation, codes["occupations"]),
             **_names_by_code(Sector, codes["sectors"]),
             **_names_by_code(Region, codes["regions"]), **_names_by_code(City, codes["cities"])}

    def named(data, key):
        return [names.get(code, code) for code in data.get(key, ())]

    return [RestrictionItem(
        id=row.id, kind=row.kind.value, occupations=named(row.data, "occupations"),
        sectors=named(row.data, "sectors"),
        places=named(row.data, "regions") + named(row.data, "cities"),
        start=row.data.get("start", ""), end=row.data.get("end", ""),
        until=date.fromisoformat(row.data["until"]) if row.data.get("until") else None)
        for row in rows]


def _hires(profile, today: date, failed: tuple[int, CheckInForm] | None) -> list:
    """(employment, [(check_in, form or None)]): a form for each check-in that can be recorded."""
    hires = []
    employments = services.employments_of(profile.id)
    check_ins = checkins.check_ins_of_each(employment.id for employment in employments)
    for employment in employments:
        rows = []
        for check_in in check_ins[employment.id]:
            form = None
            if checkins.is_open(check_in, today):
                form = (failed[1] if failed and failed[0] == check_in.id
                        else CheckInForm(formdata=None, prefix=f"checkin-{check_in.id}"))
            rows.append((check_in, form))
        hires.append((employment, rows))
    return hires


def _load_profile_page(profile) -> Case | None:
    """What the page shows of the person and their case, loaded with them: a statement per kind
    of thing, never one per skill, note or task. Returns the case (None before it is opened)."""
    db.session.scalars(select(CandidateProfile).where(CandidateProfile.id == profile.id).options(
        joinedload(CandidateProfile.user), joinedload(CandidateProfile.region),
        joinedload(CandidateProfile.city), joinedload(CandidateProfile.desired_occupation),
        selectinload(CandidateProfile.desired_occupation_links)
        .joinedload(DesiredOccupation.occupation),
        selectinload(CandidateProfile.skills).joinedload(CandidateSkill.skill))).one()
    return db.session.scalar(select(Case).where(Case.profile_id == profile.id).options(
        joinedload(Case.manager), selectinload(Case.notes).joinedload(CaseNote.author),
        selectinload(Case.tasks)))


def _candidate_page(profile, status=200, *, failed_check_in=None, **failed_forms):
    """Everything staff need on one page. Reading the release record and the restrictions is a
    view of sensitive data: both are audited, and the events are kept even on a refused form
    (committed once the page is rendered: committing first would expire everything loaded)."""
    today = date.today()
    release = services.view_release(profile, viewer=current_user)
    restriction_rows = restrictions.view_restrictions(profile, viewer=current_user)
    case = _load_profile_page(profile)
    forms = {name: failed_forms.get(name) or form_class(formdata=None, prefix=prefix)
             for name, (form_class, prefix) in FORMS.items()}
    if case is not None and "next_step_form" not in failed_forms:
        forms["next_step_form"].next_step.data = case.next_step
    if case is not None and case.manager_id and "manager_form" not in failed_forms:
        forms["manager_form"].manager.data = case.manager_id
    _bind_choices(forms, profile)
    page = render_template(
        "cases/candidate.html", profile=profile, case=case, today=today, release=release,
        restrictions=_restriction_items(restriction_rows),
        certificates=certificates_of(profile.id),
        applications=services.applications_of(profile.id),
        hires=_hires(profile, today, failed_check_in),
        reoffences=services.reoffences_of(profile.id), outcome_labels=OUTCOME_LABELS,
        reoffence_labels=REOFFENCE_LABELS, **forms)
    db.session.commit()
    return page, status


@bp.route("/candidates/<int:profile_id>")
@role_required(Role.STAFF)
def candidate(profile_id):
    return _candidate_page(_profile(profile_id))


def _submit(profile, name: str, action, *, success: str, anchor: str):
    """Validate the named form, run one service call, commit and go back to the page; bad input
    re-renders the page with the message (422) and nothing saved."""
    form_class, prefix = FORMS[name]
    form = form_class(prefix=prefix)
    if not form.validate_on_submit():
        db.session.rollback()
        return _candidate_page(profile, 422, **{name: form})
    try:
        action(form)
        db.session.commit()
    except DomainError as error:
        show_domain_error(form, error)
        return _candidate_page(profile, 422, **{name: form})
    except IntegrityError:
        # Two first submissions at once (e.g. both opening the case): the unique key stopped one.
        db.session.rollback()
        flash(_("This has already been done: the form was probably sent twice."), "info")
        return redirect(_back(profile, anchor))
    flash(success, "success")
    return redirect(_back(profile, anchor))


@bp.route("/candidates/<int:profile_id>/release", methods=["POST"])
@role_required(Role.STAFF)
def record_release(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "release_form", lambda f: services.record_release(
        profile, release_date=f.release_date.data, institution=f.institution.data,
        document=f.document.data, actor=current_user),
        success=_("The release has been recorded: the candidate is verified."),
        anchor="release-title")


@bp.route("/candidates/<int:profile_id>/restrictions/court-ban", methods=["POST"])
@role_required(Role.STAFF)
def add_court_ban(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "ban_form", lambda f: restrictions.record_court_ban(
        profile, occupations=f.occupations.data or [], sectors=f.sectors.data or [],
        until=f.until.data, actor=current_user),
        success=_("The court ban has been recorded."), anchor="restrictions-title")


@bp.route("/candidates/<int:profile_id>/restrictions/curfew", methods=["POST"])
@role_required(Role.STAFF)
def add_curfew(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "curfew_form", lambda f: restrictions.record_curfew(
        profile, start=f.start.data, end=f.end.data, until=f.until.data, actor=current_user),
        success=_("The curfew has been recorded."), anchor="restrictions-title")


@bp.route("/candidates/<int:profile_id>/restrictions/territory", methods=["POST"])
@role_required(Role.STAFF)
def add_territory(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "territory_form", lambda f: restrictions.record_territory(
        profile, regions=f.regions.data or [], until=f.until.data, actor=current_user),
        success=_("The territory restriction has been recorded."), anchor="restrictions-title")


@bp.route("/candidates/<int:profile_id>/restrictions/<int:restriction_id>/lift",
          methods=["POST"])
@role_required(Role.STAFF)
def lift_restriction(profile_id, restriction_id):
    profile = _profile(profile_id)
    restriction = _restriction(profile, restriction_id)
    if restriction.lifted_at is not None:
        flash(_("This restriction has already been lifted."), "info")
        return redirect(_back(profile, "restrictions-title"))
    return attempt(lambda: restrictions.lift(restriction, actor=current_user),
                   success=_("The restriction has been lifted."),
                   target=_back(profile, "restrictions-title"))


def _manager(form) -> User | None:
    return db.session.get(User, form.manager.data) if form.manager.data else None


@bp.route("/candidates/<int:profile_id>/manager", methods=["POST"])
@role_required(Role.STAFF)
def assign_manager(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "manager_form", lambda f: services.assign_manager(
        services.ensure_case(profile), _manager(f), actor=current_user),
        success=_("The case manager has been set."), anchor="case-title")


@bp.route("/candidates/<int:profile_id>/next-step", methods=["POST"])
@role_required(Role.STAFF)
def set_next_step(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "next_step_form", lambda f: services.set_next_step(
        services.ensure_case(profile), f.next_step.data, actor=current_user),
        success=_("The next step has been saved."), anchor="case-title")


@bp.route("/candidates/<int:profile_id>/notes", methods=["POST"])
@role_required(Role.STAFF)
def add_note(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "note_form", lambda f: services.add_note(
        services.ensure_case(profile), body=f.body.data, was_contact=f.was_contact.data,
        actor=current_user),
        success=_("The note has been added."), anchor="notes-title")


@bp.route("/candidates/<int:profile_id>/tasks", methods=["POST"])
@role_required(Role.STAFF)
def add_task(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "task_form", lambda f: services.add_task(
        services.ensure_case(profile), title=f.title.data, due_on=f.due_on.data,
        actor=current_user),
        success=_("The task has been added."), anchor="tasks-title")


@bp.route("/candidates/<int:profile_id>/tasks/<int:task_id>/done", methods=["POST"])
@role_required(Role.STAFF)
def complete_task(profile_id, task_id):
    profile = _profile(profile_id)
    task = services.task_of(services.case_of(profile.id), task_id) or abort(404)
    return attempt(lambda: services.complete_task(task, actor=current_user),
                   success=_("The task is done."), target=_back(profile, "tasks-title"))


@bp.route("/candidates/<int:profile_id>/check-ins/<int:check_in_id>", methods=["POST"])
@role_required(Role.STAFF)
def complete_check_in(profile_id, check_in_id):
    profile = _profile(profile_id)
    check_in = _check_in(profile, check_in_id)
    form = CheckInForm(prefix=f"checkin-{check_in.id}")
    if check_in.outcome is None and not form.validate_on_submit():
        db.session.rollback()
        return _candidate_page(profile, 422, failed_check_in=(check_in.id, form))
    try:
        checkins.complete_check_in(check_in, outcome=form.outcome.data,
                                   left_reason=form.left_reason.data,
                                   satisfaction=form.satisfaction.data, actor=current_user)
        db.session.commit()
    except DomainError as error:
        show_domain_error(form, error)
        return _candidate_page(profile, 422, failed_check_in=(check_in.id, form))
    except IntegrityError:
        db.session.rollback()
        flash(_("This has already been done: the form was probably sent twice."), "info")
        return redirect(_back(profile, "hires-title"))
    flash(_("The check-in has been recorded."), "success")
    return redirect(_back(profile, "hires-title"))


@bp.route("/candidates/<int:profile_id>/reoffences", methods=["POST"])
@role_required(Role.STAFF)
def record_reoffence(profile_id):
    profile = _profile(profile_id)
    return _submit(profile, "reoffence_form", lambda f: services.record_reoffence(
        profile, kind=f.kind.data, occurred_on=f.occurred_on.data, note=f.note.data,
        actor=current_user),
        success=_("The re-offence has been recorded."), anchor="reoffences-title")


# --- lists -----------------------------------------------------------------------------------

def _caseload_filter() -> str:
    wanted = request.args.get("filter", "all")
    return wanted if wanted in services.CASELOAD_FILTERS else "all"


@bp.route("/caseload")
@role_required(Role.STAFF)
def caseload():
    region_id = current_user.region_id
    chosen = _caseload_filter()
    if region_id is None:
        return render_template("cases/caseload.html", has_region=False, chosen=chosen)
    rows, counts = services.caseload_page(
        region_id, manager_id=current_user.id if chosen == "mine" else None,
        unassigned=chosen == "unassigned", page=page_number())
    return render_template("cases/caseload.html", rows=rows, counts=counts, chosen=chosen,
                           has_region=True)


@bp.route("/check-ins")
@role_required(Role.STAFF)
def check_ins():
    region_id = current_user.region_id
    today = date.today()
    if region_id is None:
        return render_template("cases/check_ins.html", has_region=False, today=today)
    due = db.paginate(services.check_ins_due_query(region_id, today).options(
        joinedload(CheckIn.employment).joinedload(Employment.application).options(
            joinedload(Application.profile).joinedload(CandidateProfile.user),
            joinedload(Application.vacancy).joinedload(Vacancy.organisation))),
        page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("cases/check_ins.html", check_ins=due, today=today,
                           has_region=True)
