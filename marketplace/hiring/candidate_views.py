"""The candidate's side: apply, follow, withdraw, answer offers and invitations, disclose,
confirm a hire."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.actions import attempt
from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.candidates.services import profile_for
from marketplace.employers.models import Vacancy
from marketplace.extensions import db
from marketplace.hiring import employments, offers, services
from marketplace.hiring.blueprint import bp, form_errors
from marketplace.hiring.forms import ApplyForm, DisclosureForm, WithdrawalResponseForm
from marketplace.hiring.models import Application, Employment, Invitation
from marketplace.hiring.transitions import (
    APPLICATION_TRANSITIONS,
    CANDIDATE_ACTIONS,
    allowed_actions,
)


def _profile():
    return profile_for(current_user) or abort(404)


def _own_application(application_id) -> Application:
    return services.application_of_candidate(current_user, application_id) or abort(404)


@bp.route("/jobs/<int:vacancy_id>/apply", methods=["POST"])
@role_required(Role.CANDIDATE)
def apply(vacancy_id):
    vacancy = db.session.get(Vacancy, vacancy_id) or abort(404)
    form = ApplyForm()
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(request.referrer or url_for("main.index"))
    profile = _profile()
    return attempt(lambda: services.apply(profile, vacancy, note=form.note.data or "",
                                          actor=current_user),
                   success=_("Your application has been sent."),
                   target=url_for("hiring.candidate_applications"))


@bp.route("/candidate/applications")
@role_required(Role.CANDIDATE)
def candidate_applications():
    applications = db.session.scalars(select(Application).where(
        Application.profile_id == _profile().id).order_by(Application.created_at.desc())
        .options(joinedload(Application.vacancy).joinedload(Vacancy.organisation)))
    return render_template("hiring/candidate_applications.html", applications=applications)


@bp.route("/candidate/applications/<int:application_id>")
@role_required(Role.CANDIDATE)
def candidate_application(application_id):
    application = _own_application(application_id)
    disclosure = offers.disclosure_of(application)
    form = DisclosureForm(data=disclosure.content | {"share": disclosure.shared_at is not None}
                          if disclosure else None)
    employment = db.session.scalar(select(Employment).where(
        Employment.application_id == application.id))
    return render_template(
        "hiring/candidate_application.html", application=application, disclosure_form=form,
        disclosure=disclosure, withdrawal=offers.withdrawal_of(application),
        response_form=WithdrawalResponseForm(), employment=employment,
        actions=allowed_actions(APPLICATION_TRANSITIONS, application.status, CANDIDATE_ACTIONS))


def _back(application) -> str:
    return url_for("hiring.candidate_application", application_id=application.id)


@bp.route("/candidate/applications/<int:application_id>/withdraw", methods=["POST"])
@role_required(Role.CANDIDATE)
def candidate_withdraw(application_id):
    application = _own_application(application_id)
    return attempt(lambda: services.withdraw(application, actor=current_user),
                   success=_("Your application has been withdrawn."), target=_back(application))


@bp.route("/candidate/applications/<int:application_id>/offer", methods=["POST"])
@role_required(Role.CANDIDATE)
def candidate_offer_response(application_id):
    application = _own_application(application_id)
    answer = request.form.get("answer")
    if answer not in ("accept", "refuse"):
        abort(400)
    return attempt(lambda: services.respond_to_offer(application, accept=answer == "accept",
                                                     actor=current_user),
                   success=_("Your answer has been recorded and sent to the employer and the "
                             "job centre."), target=_back(application))


@bp.route("/candidate/applications/<int:application_id>/disclosure", methods=["POST"])
@role_required(Role.CANDIDATE)
def candidate_disclosure(application_id):
    application = _own_application(application_id)
    form = DisclosureForm()
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(_back(application))
    return attempt(lambda: offers.save_disclosure(
        application, disclosure=form.disclosure.data, story=form.story.data,
        share=form.share.data, actor=current_user),
        success=_("Shared with the employer.") if form.share.data
        else _("Saved. The employer cannot see it."), target=_back(application))


@bp.route("/candidate/applications/<int:application_id>/withdrawal-response", methods=["POST"])
@role_required(Role.CANDIDATE)
def candidate_withdrawal_response(application_id):
    application = _own_application(application_id)
    form = WithdrawalResponseForm()
    if not form.validate_on_submit():
        form_errors(form)
        return redirect(_back(application))
    return attempt(lambda: offers.respond_to_withdrawal(
        application, response=form.response.data, actor=current_user),
        success=_("Your response has been sent."), target=_back(application))


@bp.route("/candidate/employments/<int:employment_id>/confirm", methods=["POST"])
@role_required(Role.CANDIDATE)
def candidate_confirm_hire(employment_id):
    employment = db.session.get(Employment, employment_id)
    if employment is None or employment.application.profile.user_id != current_user.id:
        abort(404)
    return attempt(lambda: employments.confirm_hire(employment, actor=current_user),
                   success=_("Thank you: your employment is confirmed."),
                   target=_back(employment.application))


@bp.route("/candidate/invitations")
@role_required(Role.CANDIDATE)
def candidate_invitations():
    invitations = db.session.scalars(select(Invitation).where(
        Invitation.profile_id == _profile().id).order_by(Invitation.created_at.desc()))
    return render_template("hiring/candidate_invitations.html", invitations=invitations)


@bp.route("/candidate/invitations/<int:invitation_id>", methods=["POST"])
@role_required(Role.CANDIDATE)
def candidate_invitation_response(invitation_id):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.profile_id != _profile().id:
        abort(404)
    answer = request.form.get("answer")
    if answer not in ("accept", "decline"):
        abort(400)
    return attempt(lambda: services.respond_to_invitation(
        invitation, accept=answer == "accept", actor=current_user),
        success=_("Invitation accepted: your application has been sent.") if answer == "accept"
        else _("Invitation declined."), target=url_for("hiring.candidate_invitations"))
