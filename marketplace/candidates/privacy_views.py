"""The candidate's privacy page: what we store and who sees it, download everything as JSON,
and delete the account."""

from datetime import date

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.candidates import privacy
from marketplace.candidates.blueprint import bp, own_profile
from marketplace.candidates.forms import DeleteAccountForm
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import show_domain_error


def _page(form, status=200):
    return render_template("candidates/privacy.html", form=form), status


@bp.route("/privacy")
@role_required(Role.CANDIDATE)
def privacy_page():
    own_profile()
    return _page(DeleteAccountForm(formdata=None))


@bp.route("/privacy/export", methods=["POST"])
@role_required(Role.CANDIDATE)
def export_data():
    data = privacy.export_data(own_profile(), actor=current_user)
    db.session.commit()
    filename = f"jumys-bar-my-data-{date.today().isoformat()}.json"
    return Response(privacy.to_json(data), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/privacy/delete", methods=["POST"])
@role_required(Role.CANDIDATE)
def delete_account():
    profile = own_profile()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            privacy.delete_account(profile, password=form.password.data, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account has been deleted. Thank you for using Jumys Bar."), "info")
            return redirect(url_for("main.index"))
    return _page(form, 422)
