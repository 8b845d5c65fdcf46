"""The employer's side: the pipeline of a vacancy, one application, invitations, hires."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.actions import attempt
from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.services import vacancy_of_member
from marketplace.extensions import db
from marketplace.hiring import employments, offers, services
from marketplace.hiring.blueprint import bp, form_errors
from marketplace.hiring.forms import (
    EndEmploymentForm,
    HireForm,
    InviteForm,
    NoteForm,
    RejectForm,
    WithdrawalRequestForm,
)
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    ContractType,
    Employment,
    RejectionReason,
)
from marketplace.hiring.transitions import (
    APPLICATION_TRANSITIONS,
    EMPLOYER_ACTIONS,
    allowed_actions,
)
from marketplace.matches.tokens import profile_id_from_token
from marketplace.uploads.services import send_stored

PIPELINE_COLUMNS = (ApplicationStatus.APPLIED, ApplicationStatus.SHORTLISTED,
                    ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER,
                    ApplicationStatus.HIRED, ApplicationStatus.REJECTED,
                    ApplicationStatus.WITHDRAWN)


def _member_application(application_id) -> Application:
    return services.application_for_member(current_user, application_id) or abort(404)


def _back(application) -> str:
    return url_for("hiring.employer_application", application_id=application.id)


@bp.route("/employer/vacancies/<int:vacancy_id>/applications")
@role_required(Role.EMPLOYER)
def pipeline(vacancy_id):
    vacancy = vacancy_of_member(current_user, vacancy_id) or abort(404)
    applications = db.session.scalars(select(Application).where(
        Application.vacancy_id == vacancy.id).order_by(Application.created_at)
        .options(joinedload(Application.profile).joinedload(CandidateProfile.user)))
    columns = {status: [] for status in PIPELINE_COLUMNS}
    for application in applications:
        columns[application.status].append(application)
    return render_template("hiring/pipeline.html", vacancy=vacancy, columns=columns)


@bp.route("/employer/applications/<int:application_id>")
@role_required(Role.EMPLOYER)
def employer_application(application_id):
    application = _member_application(application_id)
    disclosure = offers.read_shared_disclosure(application, viewer=current_user)
    db.session.commit()  # keeps the audit event of a disclosure view
    employment = db.session.scalar(select(Employment).where(
        Employment.application_id == application.id))
    return render_template(
        "hiring/employer_application.html", application=application, disclosure=disclosure,
        withdrawal=offers.withdrawal_of(application), employment=employment,
        actions=allowed_actions(APPLICATION_TRANSITIONS, application.status, EMPLOYER_ACTIONS),
        note_form=NoteForm(), reject_form=RejectForm(), withdrawal_form=WithdrawalRequestForm(),
        hire_form=HireForm(), end_form=EndEmploymentForm())


@bp.route("/employer/applications/<int:application_id>/advance", methods=["POST"])
@role_required(Role.EMPLOYER)
def employer_advance(application_id):
    application = _member_application(application_id)
    action = request.form.get("action")
    form = NoteForm()
    if action not in ("shortlist", "interview", "offer") or not form.validate_on_submit():
        form_errors(form)
        return redirect(_back(application))
    return attempt(lambda: services.advance(application, action, actor=current_user,
                                            note=form.note.data or ""),
                   success=_("The application has moved on. The candidate has been told."),
                   target=_back(application))


@bp.route("/employer/applications/<int:application_id>/reject", methods=["POST"])
@role_required(Role.EMPLOYER)
def employer_reject(application_id):
    application = _member_application(application_id)
    form = RejectForm()
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(_back(application))
    return attempt(lambda: services.advance(
        application, "reject", actor=current_user, note=form.note.data or "",
        rejection_reason=RejectionReason(form.reason.data)),
        success=_("The application has been rejected. The candidate has been told."),
        target=_back(application))


@bp.route("/employer/applications/<int:application_id>/withdraw-offer", methods=["POST"])
@role_required(Role.EMPLOYER)
def employer_request_withdrawal(application_id):
    application = _member_application(application_id)
    form = WithdrawalRequestForm()
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(_back(application))
    return attempt(lambda: offers.request_withdrawal(application, reason=form.reason.data,
                                                     actor=current_user),
                   success=_("The candidate has been told and can respond before the "
                             "decision is final."), target=_back(application))


@bp.route("/employer/applications/<int:application_id>/withdrawal/<decision>",
          methods=["POST"])
@role_required(Role.EMPLOYER)
def employer_withdrawal_decision(application_id, decision):
    application = _member_application(application_id)
    decide = {"final": offers.finalise_withdrawal, "keep": offers.keep_offer}.get(decision)
    if decide is None:
        abort(404)
    return attempt(lambda: decide(application, actor=current_user),
                   success=_("Your decision has been recorded."), target=_back(application))


@bp.route("/employer/applications/<int:application_id>/hire", methods=["POST"])
@role_required(Role.EMPLOYER)
def employer_record_hire(application_id):
    application = _member_application(application_id)
    form = HireForm()
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(_back(application))

    def record():
        employments.record_hire(
            application, start_date=form.start_date.data, monthly_wage=form.monthly_wage.data,
            hours_per_week=form.hours_per_week.data,
            contract_type=ContractType(form.contract_type.data),
            contract_upload=form.contract.data, actor=current_user)

    return attempt(record, success=_("The hire has been recorded. The candidate will be asked "
                                     "to confirm it."), target=_back(application))


@bp.route("/employer/employments/<int:employment_id>/end", methods=["POST"])
@role_required(Role.EMPLOYER)
def employer_end_employment(employment_id):
    employment = db.session.get(Employment, employment_id)
    if employment is None or not services.is_member(current_user, employment.application.vacancy):
        abort(404)
    form = EndEmploymentForm()
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(_back(employment.application))
    return attempt(lambda: employments.end_employment(
        employment, end_date=form.end_date.data, reason=form.reason.data, actor=current_user),
        success=_("The end of employment has been recorded."),
        target=_back(employment.application))


@bp.route("/employer/vacancies/<int:vacancy_id>/invite", methods=["POST"])
@role_required(Role.EMPLOYER)
def invite(vacancy_id):
    vacancy = vacancy_of_member(current_user, vacancy_id) or abort(404)
    profile_id = profile_id_from_token(request.form.get("candidate", ""), vacancy_id=vacancy.id)
    profile = db.session.get(CandidateProfile, profile_id) if profile_id else None
    if profile is None or not profile.discoverable:
        abort(404)
    form = InviteForm()
    target = url_for("employers.vacancy_candidates", vacancy_id=vacancy.id)
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(target)
    return attempt(lambda: services.invite(vacancy, profile, message=form.message.data or "",
                                           actor=current_user),
                   success=_("Invitation sent."), target=target)


@bp.route("/employments/<int:employment_id>/contract")
@role_required(Role.EMPLOYER, Role.CANDIDATE, Role.STAFF, Role.ADMIN)
def contract(employment_id):
    employment = db.session.get(Employment, employment_id)
    if employment is None or employment.contract_file is None:
        abort(404)
    if not employments.can_download_contract(current_user, employment):
        abort(404)
    employments.record_contract_download(employment, actor=current_user)
    db.session.commit()
    return send_stored(employment.contract_file)


