"""Acting on a person's behalf, with their consent recorded: account, profile, applications.

Staff of the person's region only (anyone else's person is a 404). The forms and services are
the candidate's own (marketplace.candidates, marketplace.hiring), called through
marketplace.cases.consent, which checks the consent and audits the change as on-behalf.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from marketplace.actions import attempt
from marketplace.auth.forms import CandidateRegistrationForm
from marketplace.auth.models import Role, User
from marketplace.auth.permissions import role_required
from marketplace.candidates import services as candidate_services
from marketplace.candidates.forms import PersonalForm, SkillForm
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.candidates.views import job_wishes_from, profile_form_for
from marketplace.cases import consent
from marketplace.employers.models import Vacancy
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import BaseForm, choices, show_domain_error
from marketplace.hiring.blueprint import form_errors
from marketplace.hiring.forms import ApplyForm
from marketplace.hiring.models import LIVE_STATUSES, Application
from marketplace.i18n import current_language
from marketplace.matches import services as match_services
from marketplace.reference.services import skill_names
from marketplace.urls import page_number

bp = Blueprint("on_behalf", __name__, url_prefix="/staff")

CONSENT_NOTE_HINT = _l("For example: \"signed paper form\" or \"in person, spoken, with a "
                       "witness\".")
# The person's own language for the messages they receive: names as they write them.
LANGUAGE_CHOICES = choices([("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")])


class ConsentForm(BaseForm):
    consent_note = StringField(
        _l("How the person gave consent"),
        validators=[DataRequired(message=_l("Say how the person gave their consent.")),
                    Length(max=500)])


class PersonAtDeskForm(CandidateRegistrationForm):
    """The candidate's registration form without what staff must not choose for the person:
    the password (they set it themselves) and the region (the staff member's own)."""

    region = None
    password = None
    confirm = None
    consent = BooleanField(
        _l("The person agrees to the processing of their personal data for job search and to "
           "the job centre acting on their behalf"),
        validators=[DataRequired(message=_l("Without the person's consent the account cannot "
                                            "be created."))])
    consent_note = ConsentForm.consent_note
    language = SelectField(_l("Language for messages to the person"), choices=LANGUAGE_CHOICES)


def _person(profile_id: int) -> CandidateProfile:
    """A candidate of the staff member's own region; anyone else is a 404."""
    profile = db.session.get(CandidateProfile, profile_id)
    if (profile is None or current_user.region_id is None
            or profile.region_id != current_user.region_id):
        abort(404)
    return profile


def _hub(profile: CandidateProfile) -> str:
    return url_for("on_behalf.person", profile_id=profile.id)


def _consent_refused(profile: CandidateProfile):
    """Without consent, staff go back to the page where they can record it."""
    try:
        consent.require_consent(profile)
    except consent.ConsentMissing as error:
        flash(str(error.message), "error")
        return redirect(_hub(profile))
    return None


# --- a new person at the desk ---------------------------------------------------------------

@bp.route("/candidates/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_person():
    form = PersonAtDeskForm()
    if request.method == "GET":
        form.language.data = current_language()
    if form.validate_on_submit():
        try:
            profile = consent.register_person(
                full_name=form.full_name.data, email=form.email.data, phone=form.phone.data,
                iin=form.iin.data, locale=form.language.data,
                consent_note=form.consent_note.data, actor=current_user)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        except IntegrityError:  # the same details registered at the same moment
            db.session.rollback()
            flash(_("An account with these details already exists."), "error")
        else:
            flash(_("The account has been created. We sent a link to choose a password to "
                    "%(login)s. If it does not arrive or has expired, the person can use "
                    "\"Forgot password\" on the sign-in page with this phone number or e-mail.",
                    login=profile.user.login), "success")
            return redirect(_hub(profile))
    status = 422 if request.method == "POST" else 200
    return render_template("cases/on_behalf_new.html", form=form,
                           consent_hint=CONSENT_NOTE_HINT), status


# --- the person's page: consent, profile, vacancies -----------------------------------------

def _person_page(profile, consent_form, status=200):
    case = consent.case_of(profile)
    given = case is not None and case.consent_at is not None
    percent, next_step = candidate_services.completeness(profile)
    result = match_services.recommendations(profile, page=page_number()) if given else None
    labels = match_services.skill_labels([e for _, _, e in result.page.items]) if result else {}
    applications = db.session.scalars(select(Application).where(
        Application.profile_id == profile.id).order_by(Application.created_at.desc())).all()
    return render_template(
        "cases/on_behalf_person.html", profile=profile, case=case, consent_given=given,
        recorded_by=db.session.get(User, case.consent_recorded_by_id) if given else None,
        consent_form=consent_form,
        consent_hint=CONSENT_NOTE_HINT, percent=percent,
        next_step=next_step[1] if next_step else None, result=result, labels=labels,
        applications=applications,
        live={a.vacancy_id: a for a in applications if a.status in LIVE_STATUSES}), status


@bp.route("/candidates/<int:profile_id>/on-behalf")
@role_required(Role.STAFF)
def person(profile_id):
    return _person_page(_person(profile_id), ConsentForm())


@bp.route("/candidates/<int:profile_id>/consent", methods=["POST"])
@role_required(Role.STAFF)
def record_consent(profile_id):
    profile = _person(profile_id)
    form = ConsentForm()
    if form.validate_on_submit():
        try:
            consent.record_consent(profile, note=form.consent_note.data, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The person's consent has been recorded."), "success")
            return redirect(_hub(profile))
    return _person_page(profile, form, status=422)


@bp.route("/candidates/<int:profile_id>/consent/withdraw", methods=["POST"])
@role_required(Role.STAFF)
def withdraw_consent(profile_id):
    profile = _person(profile_id)  # CSRF is checked for every POST by CSRFProtect
    return attempt(lambda: consent.withdraw_consent(profile, actor=current_user),
                   success=_("The consent has been withdrawn. The job centre can no longer act "
                             "on this person's behalf."),
                   target=_hub(profile))


# --- editing the profile for the person ------------------------------------------------------

@bp.route("/candidates/<int:profile_id>/profile", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_profile(profile_id):
    profile = _person(profile_id)
    refused = _consent_refused(profile)
    if refused:
        return refused
    form = profile_form_for(profile)
    if form.validate_on_submit():
        try:
            consent.update_profile(
                profile, actor=current_user, **job_wishes_from(form),
                occupation_names={f: form[f].data or "" for f in form.OCCUPATION_FIELDS})
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The profile has been saved."), "success")
            if profile.region_id != current_user.region_id:
                # The person moved: their case now belongs to the other region's job centre.
                flash(_("The person's region has changed: the job centre of that region now "
                        "helps them."), "info")
                return redirect(url_for("staff.home"))
            return redirect(_hub(profile))
    return render_template(
        "cases/on_behalf_profile.html", profile=profile, form=form,
        occupation_suggestions=candidate_services.occupation_choices(current_language())
    ), 422 if form.errors else 200


def _skills_page(profile, form, status=200):
    return render_template("cases/on_behalf_skills.html", profile=profile, form=form,
                           skill_suggestions=skill_names(current_language())), status


@bp.route("/candidates/<int:profile_id>/skills", methods=["GET", "POST"])
@role_required(Role.STAFF)
def skills(profile_id):
    profile = _person(profile_id)
    refused = _consent_refused(profile)
    if refused:
        return refused
    form = SkillForm()
    if form.validate_on_submit():
        try:
            consent.add_skill(profile, text=form.skill.data, level=form.level.data,
                              years=form.years.data, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Skill added."), "success")
            return redirect(url_for("on_behalf.skills", profile_id=profile.id))
    return _skills_page(profile, form, status=422 if form.errors else 200)


@bp.route("/candidates/<int:profile_id>/skills/<int:skill_id>/delete", methods=["POST"])
@role_required(Role.STAFF)
def remove_skill(profile_id, skill_id):
    profile = _person(profile_id)
    entry = db.session.get(CandidateSkill, skill_id)
    if entry is None or entry.profile_id != profile.id:
        abort(404)
    return attempt(lambda: consent.remove_skill(profile, entry, actor=current_user),
                   success=_("Skill removed."),
                   target=url_for("on_behalf.skills", profile_id=profile.id),
                   failure_target=_hub(profile))


@bp.route("/candidates/<int:profile_id>/personal", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_personal(profile_id):
    profile = _person(profile_id)
    refused = _consent_refused(profile)
    if refused:
        return refused
    saved = {"full_name": profile.user.full_name, "phone": profile.user.phone,
             "iin": profile.iin}
    form = PersonalForm(data=saved if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            consent.update_personal(profile, actor=current_user, full_name=form.full_name.data,
                                    phone=form.phone.data, iin=form.iin.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The personal data has been saved."), "success")
            return redirect(_hub(profile))
    status = 422 if form.errors else 200
    return render_template("cases/on_behalf_personal.html", profile=profile, form=form), status


# --- applying for the person -----------------------------------------------------------------

@bp.route("/candidates/<int:profile_id>/apply/<int:vacancy_id>", methods=["POST"])
@role_required(Role.STAFF)
def apply(profile_id, vacancy_id):
    profile = _person(profile_id)
    vacancy = db.session.get(Vacancy, vacancy_id) or abort(404)
    form = ApplyForm()
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(_hub(profile))
    return attempt(lambda: consent.apply(profile, vacancy, note=form.note.data or "",
                                         actor=current_user),
                   success=_("The application has been sent on the person's behalf."),
                   target=_hub(profile))
