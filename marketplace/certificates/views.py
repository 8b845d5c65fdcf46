"""Certificates: the candidate's pages, the scan download, the staff queue and review, and the
public verification page. Views load or 404, check the role, call one service and render."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from marketplace.actions import attempt
from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.candidates.models import CandidateProfile
from marketplace.candidates.services import profile_with_skills
from marketplace.certificates import services
from marketplace.certificates.forms import CertificateForm, CodeForm, ReasonForm
from marketplace.certificates.models import Certificate, CertificateStatus
from marketplace.certificates.qr import qr_svg
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import show_domain_error
from marketplace.pagination import PAGE_SIZE
from marketplace.uploads.services import UploadRejected
from marketplace.urls import page_number

bp = Blueprint("certificates", __name__)

# Profile pages show verified certificates as badges: certificates/_badges.html calls this.
bp.add_app_template_global(services.verified_certificates, "verified_certificates")
bp.add_app_template_global(services.certificates_of, "certificates_of")


# --- helpers ---------------------------------------------------------------------------------

def _own_profile():
    return profile_with_skills(current_user) or abort(404)  # the form offers the skills


def _own_certificate(certificate_id: int) -> Certificate:
    return services.certificate_of_owner(current_user, certificate_id) or abort(404)


def _reviewable(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not services.can_review(current_user, certificate):
        abort(404)
    return certificate


def _form_for(profile, certificate=None) -> CertificateForm:
    form = CertificateForm(obj=certificate)
    form.skills.choices = [(skill.id, skill.name) for skill in services.own_skill_choices(profile)]
    if certificate is not None and request.method == "GET":
        form.skills.data = [skill.id for skill in certificate.skills]
    return form


def _show_error(form, error: DomainError) -> None:
    """The message beside the field it concerns (upload problems beside the file input)."""
    show_domain_error(form, error,
                      default_field="scan" if isinstance(error, UploadRejected) else None)


def _form_values(form) -> dict:
    return {"title": form.title.data, "issuer": form.issuer.data,
            "issued_on": form.issued_on.data, "expires_on": form.expires_on.data,
            "skill_ids": form.skills.data or [], "scan": form.scan.data}


# --- the candidate's pages -------------------------------------------------------------------

@bp.route("/candidate/certificates", methods=["GET", "POST"])
@role_required(Role.CANDIDATE)
def index():
    profile = _own_profile()
    form = _form_for(profile)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                certificate = services.add_certificate(profile, actor=current_user,
                                                       **_form_values(form))
            except DomainError as error:
                _show_error(form, error)
            else:
                db.session.commit()
                flash(_("Certificate added. The job centre will verify it."), "success")
                return redirect(url_for("certificates.detail",
                                        certificate_id=certificate.id))
    return render_template("certificates/index.html", form=form,
                           certificates=services.certificates_of(profile.id)), status


@bp.route("/candidate/certificates/<int:certificate_id>")
@role_required(Role.CANDIDATE)
def detail(certificate_id):
    certificate = _own_certificate(certificate_id)
    return render_template("certificates/detail.html", certificate=certificate)


@bp.route("/candidate/certificates/<int:certificate_id>/edit", methods=["GET", "POST"])
@role_required(Role.CANDIDATE)
def edit(certificate_id):
    certificate = _own_certificate(certificate_id)
    if certificate.status is CertificateStatus.VERIFIED:
        flash(_("A verified certificate cannot be changed. Ask your job centre if something "
                "in it is wrong."), "error")
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    form = _form_for(certificate.profile, certificate)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                services.edit_certificate(certificate, actor=current_user, **_form_values(form))
            except DomainError as error:
                _show_error(form, error)
            else:
                db.session.commit()
                flash(_("Certificate saved. The job centre will verify it."), "success")
                return redirect(url_for("certificates.detail",
                                        certificate_id=certificate.id))
    return render_template("certificates/edit.html", form=form,
                           certificate=certificate), status


@bp.route("/candidate/certificates/<int:certificate_id>/delete", methods=["POST"])
@role_required(Role.CANDIDATE)
def delete(certificate_id):
    certificate = _own_certificate(certificate_id)
    return attempt(lambda: services.delete_certificate(certificate, actor=current_user),
                   success=_("Certificate deleted."), target=url_for("certificates.index"),
                   failure_target=url_for("certificates.detail", certificate_id=certificate_id))


@bp.route("/candidate/certificates/<int:certificate_id>/card")
@role_required(Role.CANDIDATE)
def card(certificate_id):
    certificate = _own_certificate(certificate_id)
    if certificate.status is not CertificateStatus.VERIFIED:
        flash(_("The card can be printed once the job centre has verified the certificate."),
              "info")
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    public_url = url_for("certificates.verify", code=certificate.verification_code,
                         _external=True)
    qr = qr_svg(public_url, label=_("QR code linking to the verification page"))
    return render_template("certificates/card.html", certificate=certificate, qr=qr,
                           public_url=public_url)


# --- the scan --------------------------------------------------------------------------------

@bp.route("/certificates/<int:certificate_id>/scan")
@role_required(Role.CANDIDATE, Role.EMPLOYER, Role.STAFF, Role.ADMIN)
def scan(certificate_id):
    certificate = db.session.get(Certificate, certificate_id)
    if (certificate is None or certificate.scan_file is None
            or not services.can_download(current_user, certificate)):
        abort(404)
    response = services.download(certificate, user=current_user)
    db.session.commit()
    return response


# --- the job centre --------------------------------------------------------------------------

@bp.route("/staff/certificates")
@role_required(Role.STAFF)
def queue():
    status = request.args.get("status", CertificateStatus.PENDING.value)
    if status not in CertificateStatus._value2member_map_:
        status = CertificateStatus.PENDING.value
    certificates = None
    if current_user.region_id:
        certificates = db.paginate(
            services.review_queue_query(current_user.region_id,
                                        status=CertificateStatus(status))
            .options(joinedload(Certificate.profile).joinedload(CandidateProfile.user)),
            page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("certificates/queue.html", certificates=certificates,
                           status=status, age_in_days=services.age_in_days)


def _review_page(certificate, reject_form=None, revoke_form=None, status=200):
    return render_template("certificates/review.html", certificate=certificate,
                           reject_form=reject_form or ReasonForm(prefix="reject"),
                           revoke_form=revoke_form or ReasonForm(prefix="revoke")), status


@bp.route("/staff/certificates/<int:certificate_id>")
@role_required(Role.STAFF)
def review(certificate_id):
    return _review_page(_reviewable(certificate_id))


@bp.route("/staff/certificates/<int:certificate_id>/verify", methods=["POST"])
@role_required(Role.STAFF)
def do_verify(certificate_id):
    certificate = _reviewable(certificate_id)
    return attempt(lambda: services.verify(certificate, staff=current_user),
                   success=_("Certificate verified."), target=url_for("certificates.queue"),
                   failure_target=url_for("certificates.review", certificate_id=certificate_id))


def _with_reason(certificate_id, action, prefix, done_message):
    certificate = _reviewable(certificate_id)
    form = ReasonForm(prefix=prefix)
    if form.validate_on_submit():
        try:
            action(certificate, staff=current_user, reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, error.message]
        else:
            db.session.commit()
            flash(done_message, "success")
            return redirect(url_for("certificates.queue"))
    forms = {f"{prefix}_form": form}
    return _review_page(certificate, status=422, **forms)


@bp.route("/staff/certificates/<int:certificate_id>/reject", methods=["POST"])
@role_required(Role.STAFF)
def do_reject(certificate_id):
    return _with_reason(certificate_id, services.reject, "reject",
                        _("Certificate rejected. The candidate sees your reason."))


@bp.route("/staff/certificates/<int:certificate_id>/revoke", methods=["POST"])
@role_required(Role.STAFF)
def do_revoke(certificate_id):
    return _with_reason(certificate_id, services.revoke, "revoke",
                        _("Verification withdrawn. The public page now says so."))


# --- the public check ------------------------------------------------------------------------

@bp.route("/verify")
def verify_form():
    form = CodeForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("certificates.verify", code=form.code.data))
    return render_template("certificates/verify_form.html", form=form)


@bp.route("/verify/<code>")
def verify(code):
    certificate = services.by_code(code)
    if certificate is None:
        return render_template("certificates/verify_unknown.html", form=CodeForm()), 404, {
            "X-Robots-Tag": "noindex"}
    page = render_template("certificates/verify.html", certificate=certificate,
                           expired=certificate.is_expired())
    # Reachable by anyone who holds the code, but not a page for search engines to list.
    return page, 200, {"X-Robots-Tag": "noindex"}
