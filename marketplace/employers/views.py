import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy.exc import IntegrityError

from marketplace.actions import attempt
from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.employers import services, vacancies
from marketplace.employers.forms import (
    InviteAccountForm,
    InviteForm,
    OrganisationForm,
    StatusForm,
    VacancyForm,
)
from marketplace.employers.models import (
    MemberRole,
    OrganisationInvite,
    OrganisationMember,
    Schedule,
    VerificationStatus,
)
from marketplace.employers.services import organisations_of, vacancy_of_member
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import choices, show_domain_error
from marketplace.i18n import current_language
from marketplace.mail import send_message
from marketplace.matches.services import ranked_candidates, skill_labels
from marketplace.matches.tokens import candidate_token
from marketplace.reference.models import City, Occupation, Region, Sector
from marketplace.reference.services import region_choices, sector_choices, skill_names
from marketplace.urls import page_number, redirect_back
from marketplace.web import STATUS_LABELS

bp = Blueprint("employers", __name__, url_prefix="/employer")


def _membership(organisation_id: int) -> OrganisationMember:
    return services.membership_of(current_user, organisation_id) or abort(404)


def _ownership(organisation_id: int) -> OrganisationMember:
    membership = _membership(organisation_id)
    if membership.role is not MemberRole.OWNER:
        abort(403)
    return membership


@bp.route("/")
@role_required(Role.EMPLOYER)
def home():
    return render_template("employers/home.html", organisations=organisations_of(current_user))


# --- organisation, members, invitations -------------------------------------------------------

def _organisation_page(membership, invite_form=None, status=200):
    organisation = membership.organisation
    owner = membership.role is MemberRole.OWNER
    return render_template(
        "employers/organisation.html", organisation=organisation, membership=membership,
        is_owner=owner, invite_form=invite_form or InviteForm(),
        invites=services.pending_invites(organisation) if owner else []), status


@bp.route("/organisations/<int:organisation_id>")
@role_required(Role.EMPLOYER)
def organisation(organisation_id):
    return _organisation_page(_membership(organisation_id))


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@role_required(Role.EMPLOYER)
def edit_organisation(organisation_id):
    organisation = _ownership(organisation_id).organisation
    form = OrganisationForm(data={
        "name": organisation.name, "bin": organisation.bin, "region": organisation.region_id,
        "sector": organisation.sector_id, "address": organisation.address,
        "contact_phone": organisation.contact_phone,
        "contact_email": organisation.contact_email,
        "fair_chance_pledge": organisation.fair_chance_pledge})
    if organisation.status is VerificationStatus.VERIFIED:
        del form.bin  # verified against the register: no longer editable
    form.region.choices = region_choices()
    form.sector.choices = sector_choices()
    if form.validate_on_submit():
        was_rejected = organisation.status is VerificationStatus.REJECTED
        fields = {name: getattr(form, name).data for name in (
            "name", "address", "contact_phone", "contact_email", "fair_chance_pledge")}
        fields["address"] = fields["address"] or ""
        if "bin" in form:
            fields["bin"] = form.bin.data
        try:
            services.update_organisation(
                organisation, actor=current_user, region=db.session.get(Region, form.region.data),
                sector=db.session.get(Sector, form.sector.data), **fields)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved and sent to the job centre for verification again.") if was_rejected
                  else _("The organisation's details have been saved."), "success")
            return redirect(url_for("employers.organisation", organisation_id=organisation.id))
    status = 422 if form.errors else 200
    return render_template("employers/organisation_edit.html", form=form,
                           organisation=organisation), status


@bp.route("/organisations/<int:organisation_id>/invites", methods=["POST"])
@role_required(Role.EMPLOYER)
def invite(organisation_id):
    membership = _ownership(organisation_id)
    form = InviteForm()
    if form.validate_on_submit():
        organisation = membership.organisation
        try:
            invitation, token = services.invite_member(organisation, email=form.email.data,
                                                       actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            _send_invite(invitation, token)
            flash(_("The invitation has been sent to %(email)s.", email=invitation.email),
                  "success")
            return redirect(url_for("employers.organisation", organisation_id=organisation.id))
    return _organisation_page(membership, invite_form=form, status=422)


def _send_invite(invitation: OrganisationInvite, token: str) -> None:
    link = url_for("employers.accept_invite", token=token, _external=True)
    send_message(
        to=invitation.email,
        subject=_("Invitation to join %(organisation)s", organisation=invitation.organisation.name),
        body=_("%(name)s invites you to manage vacancies of %(organisation)s on Jumys Bar. "
               "Open this link within %(days)s days to join: %(link)s",
               name=current_user.full_name, organisation=invitation.organisation.name,
               days=services.invite_days(), link=link))


@bp.route("/organisations/<int:organisation_id>/invites/<int:invite_id>/cancel",
          methods=["POST"])
@role_required(Role.EMPLOYER)
def cancel_invite(organisation_id, invite_id):
    _ownership(organisation_id)
    invitation = db.session.get(OrganisationInvite, invite_id)
    if invitation is None or invitation.organisation_id != organisation_id:
        abort(404)
    return attempt(lambda: services.cancel_invite(invitation, actor=current_user),
                   success=_("The invitation has been cancelled."),
                   target=url_for("employers.organisation", organisation_id=organisation_id))


@bp.route("/organisations/<int:organisation_id>/members/<int:member_id>/remove",
          methods=["POST"])
@role_required(Role.EMPLOYER)
def remove_member(organisation_id, member_id):
    _ownership(organisation_id)
    member = db.session.get(OrganisationMember, member_id)
    if member is None or member.organisation_id != organisation_id:
        abort(404)
    return attempt(lambda: services.remove_member(member, actor=current_user),
                   success=_("The member has been removed."),
                   target=url_for("employers.organisation", organisation_id=organisation_id))


@bp.route("/invites/<token>", methods=["GET", "POST"])
def accept_invite(token):
    """A new person creates an employer account here; a signed-in employer just joins."""
    if current_user.is_authenticated and current_user.role is not Role.EMPLOYER:
        abort(403)
    try:
        invitation = services.invite_for_token(token)
    except DomainError as error:
        return render_template("employers/invite_invalid.html", message=error.message), 404
    if current_user.is_authenticated:
        return _join_as_current_user(invitation, token)
    form = InviteAccountForm(data={"email": invitation.email})
    if form.validate_on_submit():
        try:
            user = services.register_by_invite(
                token, full_name=form.full_name.data, password=form.password.data,
                email=form.email.data, phone=form.phone.data, locale=current_language())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome! You are now a member of %(organisation)s.",
                    organisation=invitation.organisation.name), "success")
            return redirect(url_for("employers.home"))
    return render_template("employers/invite.html", invitation=invitation, form=form,
                           token=token), 422 if form.errors else 200


def _join_as_current_user(invitation, token):
    if request.method == "POST":  # CSRFProtect has checked the token
        try:
            services.accept_invite(token, user=current_user)
        except DomainError as error:
            show_domain_error(None, error)
            return redirect(url_for("employers.home"))
        db.session.commit()
        flash(_("You are now a member of %(organisation)s.",
                organisation=invitation.organisation.name), "success")
        return redirect(url_for("employers.organisation",
                                organisation_id=invitation.organisation_id))
    return render_template("employers/invite.html", invitation=invitation, form=None,
                           token=token)


# --- vacancies --------------------------------------------------------------------------------

def _vacancy_form(initial: dict) -> VacancyForm:
    form = VacancyForm(data=initial)
    language = current_language()
    form.occupation.choices = [*choices([("", _("Choose the occupation"))]),
                               *vacancies.occupation_choices(language)]
    form.region.choices = region_choices()
    form.city.choices = vacancies.city_choices_by_region(language, _("Not chosen"))
    return form


def _vacancy_fields(form: VacancyForm) -> dict:
    return {
        "title": form.title.data, "description": form.description.data or "",
        "occupation": db.session.get(Occupation, form.occupation.data),
        "region": db.session.get(Region, form.region.data),
        "city": db.session.get(City, form.city.data) if form.city.data else None,
        "address": form.address.data or "", "salary_min": form.salary_min.data,
        "salary_max": form.salary_max.data, "schedule": Schedule(form.schedule.data),
        "positions": form.positions.data, "start_date": form.start_date.data,
        "closing_date": form.closing_date.data,
        "existing_permanent_post": form.existing_permanent_post.data,
        "hazardous": form.hazardous_choice(), "required": form.required,
        "optional": form.optional,
    }


def _vacancy_page(form, *, organisation, vacancy=None):
    return render_template(
        "employers/vacancy_form.html", form=form, organisation=organisation, vacancy=vacancy,
        actions=vacancies.allowed_actions(vacancy) if vacancy else [],
        skill_suggestions=skill_names(current_language())), 422 if form.errors else 200


@bp.route("/organisations/<int:organisation_id>/vacancies/new", methods=["GET", "POST"])
@role_required(Role.EMPLOYER)
def new_vacancy(organisation_id):
    organisation = _membership(organisation_id).organisation
    form = _vacancy_form({"region": organisation.region_id, "city": 0, "positions": 1,
                          "schedule": Schedule.DAY.value, "hazardous": "auto",
                          "submission_key": secrets.token_urlsafe(24)})
    if form.validate_on_submit():
        key = form.submission_key.data or ""
        key = key if 16 <= len(key) <= 64 else secrets.token_urlsafe(24)
        try:
            vacancy = vacancies.create_vacancy(organisation, actor=current_user,
                                               submission_key=key, **_vacancy_fields(form))
            db.session.commit()
        except IntegrityError:  # the same form submitted twice at the same moment
            db.session.rollback()
            vacancy = vacancies.submitted_vacancy(organisation, key)
            if vacancy is None:
                raise
        flash(_("The vacancy has been saved as a draft. Publish it when it is ready."),
              "success")
        return redirect(url_for("employers.edit_vacancy", vacancy_id=vacancy.id))
    return _vacancy_page(form, organisation=organisation)


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@role_required(Role.EMPLOYER)
def edit_vacancy(vacancy_id):
    vacancy = vacancy_of_member(current_user, vacancy_id) or abort(404)
    form = _vacancy_form({
        "title": vacancy.title, "occupation": vacancy.occupation_id,
        "description": vacancy.description, "region": vacancy.region_id,
        "city": vacancy.city_id or 0, "address": vacancy.address,
        "required_skills": vacancies.skill_text(vacancy.required_skills),
        "optional_skills": vacancies.skill_text(vacancy.optional_skills),
        "salary_min": vacancy.salary_min, "salary_max": vacancy.salary_max,
        "schedule": vacancy.schedule.value, "positions": vacancy.positions,
        "start_date": vacancy.start_date, "closing_date": vacancy.closing_date,
        "hazardous": "yes" if vacancy.hazardous else "no",
        "existing_permanent_post": vacancy.existing_permanent_post})
    if form.validate_on_submit():
        vacancies.update_vacancy(vacancy, actor=current_user, **_vacancy_fields(form))
        db.session.commit()
        flash(_("The vacancy has been saved."), "success")
        return redirect(url_for("employers.edit_vacancy", vacancy_id=vacancy.id))
    return _vacancy_page(form, organisation=vacancy.organisation, vacancy=vacancy)


@bp.route("/vacancies/<int:vacancy_id>/status", methods=["POST"])
@role_required(Role.EMPLOYER)
def vacancy_status(vacancy_id):
    vacancy = vacancy_of_member(current_user, vacancy_id) or abort(404)
    form = StatusForm()
    try:
        if not form.validate_on_submit():
            raise vacancies.InvalidVacancyTransition(_("Choose what to do with the vacancy."))
        vacancies.change_status(vacancy, form.action.data, actor=current_user)
    except DomainError as error:
        show_domain_error(None, error)
    else:
        db.session.commit()
        flash(_("The vacancy is now: %(status)s.", status=STATUS_LABELS[vacancy.status.value]),
              "success")
    return redirect_back("employers.edit_vacancy", vacancy_id=vacancy.id)


@bp.route("/vacancies/<int:vacancy_id>/candidates")
@role_required(Role.EMPLOYER)
def vacancy_candidates(vacancy_id):
    vacancy = vacancy_of_member(current_user, vacancy_id) or abort(404)
    if not vacancies.is_public(vacancy):  # private drafts could be used to probe people
        return render_template("employers/vacancy_candidates.html", vacancy=vacancy,
                               ranked=None, labels={})
    page = ranked_candidates(vacancy, page=page_number())
    labels = skill_labels((e for _, _, e in page.items),
                          extra=(name for names in page.skills.values() for name in names))
    return render_template("employers/vacancy_candidates.html", vacancy=vacancy, ranked=page,
                           labels=labels, token=candidate_token)
