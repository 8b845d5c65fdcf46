from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from marketplace.audit.services import record
from marketplace.auth import services
from marketplace.auth.forms import (
    CandidateRegistrationForm,
    EmployerRegistrationForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from marketplace.auth.permissions import HOME_ENDPOINT
from marketplace.candidates.services import register_candidate
from marketplace.employers.services import register_employer
from marketplace.errors import DomainError
from marketplace.extensions import db, limiter
from marketplace.forms import show_domain_error
from marketplace.i18n import current_language
from marketplace.mail import send_message
from marketplace.reference.models import Region, Sector
from marketplace.reference.services import region_choices, sector_choices
from marketplace.urls import is_safe_path

bp = Blueprint("auth", __name__)


def _identifier_key() -> str:
    return "login:" + (request.form.get("identifier") or "").strip().lower()[:254]


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _identifier_limit():
    return current_app.config["LOGIN_IDENTIFIER_RATE_LIMIT"]


def redirect_home(user):
    return redirect(url_for(HOME_ENDPOINT[user.role]))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_identifier_limit, methods=["POST"], key_func=_identifier_key)
def login():
    if current_user.is_authenticated:
        return redirect_home(current_user)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.identifier.data, form.password.data)
        if user is None:
            db.session.commit()  # keep the failed-attempt audit event
            flash(_("Wrong login or password."), "error")
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            target = request.args.get("next")
            return redirect(target) if is_safe_path(target) else redirect_home(user)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    record("user:logout", current_user, actor=current_user)
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/register")
def register():
    if current_user.is_authenticated:
        return redirect_home(current_user)
    return render_template("auth/register_choice.html")


def _register(form, template, register_fn, **extra):
    if current_user.is_authenticated:
        return redirect_home(current_user)
    if form.validate_on_submit():
        try:
            user = register_fn(form, **extra)
            db.session.commit()
        except DomainError as error:
            show_domain_error(form, error)
        except IntegrityError:  # the same details registered at the same moment
            db.session.rollback()
            flash(_("An account with these details already exists. Please sign in."), "error")
        else:
            login_user(user)
            flash(_("Welcome! Your account has been created."), "success")
            return redirect_home(user)
    return render_template(template, form=form)


@bp.route("/register/candidate", methods=["GET", "POST"])
def register_candidate_view():
    form = CandidateRegistrationForm()
    form.region.choices = region_choices()

    def create(form):
        return register_candidate(
            full_name=form.full_name.data, password=form.password.data,
            email=form.email.data, phone=form.phone.data, iin=form.iin.data,
            region=db.session.get(Region, form.region.data), locale=current_language(),
        )

    return _register(form, "auth/register_candidate.html", create)


@bp.route("/register/employer", methods=["GET", "POST"])
def register_employer_view():
    form = EmployerRegistrationForm()
    form.region.choices = region_choices()
    form.sector.choices = sector_choices()

    def create(form):
        return register_employer(
            full_name=form.full_name.data, password=form.password.data,
            email=form.email.data, phone=form.phone.data,
            organisation_name=form.organisation_name.data, bin_=form.bin.data,
            region=db.session.get(Region, form.region.data),
            sector=db.session.get(Sector, form.sector.data), locale=current_language(),
        )

    return _register(form, "auth/register_employer.html", create)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_by_login(form.identifier.data)
        if user is not None and user.is_active:
            link = url_for("auth.reset_password", token=services.make_reset_token(user),
                           _external=True)
            send_message(to=user.login, subject=_("Password reset"),
                         body=_("To choose a new password, open this link within an hour: "
                                "%(link)s", link=link))
            record("user:password_reset_requested", user)
            db.session.commit()
        # The same answer whether or not the account exists.
        flash(_("If this account exists, we have sent a link to reset the password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        services.user_for_reset_token(token)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        db.session.commit()
        flash(_("Your password has been changed. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
