"""Work history, education and languages: add, edit and delete, one table-driven set of views.

Every route needs the candidate role; an entry id that is not the candidate's own is a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.candidates import entries
from marketplace.candidates.blueprint import bp, own_entry, own_profile
from marketplace.candidates.forms import EducationForm, LanguageForm, WorkForm
from marketplace.candidates.models import (
    CandidateLanguage,
    EducationEntry,
    EducationLevel,
    LanguageCode,
    LanguageLevel,
    WorkHistoryEntry,
)
from marketplace.candidates.services import occupation_choices
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms import show_domain_error
from marketplace.i18n import current_language


@dataclass(frozen=True)
class EntryKind:
    name: str                      # endpoint suffix and URL segment
    model: type
    form: type
    add: Callable
    update: Callable
    remove: Callable
    values: Callable               # form → the service's keyword arguments
    section: str                   # anchor of the home page section
    new_title: str
    edit_title: str
    saved: str
    removed: str


def _work_values(form: WorkForm) -> dict:
    return {"employer_name": form.employer_name.data, "job_title": form.job_title.data,
            "started_on": form.started_on.data, "ended_on": form.ended_on.data,
            "description": form.description.data or ""}


def _education_values(form: EducationForm) -> dict:
    return {"institution": form.institution.data, "level": EducationLevel(form.level.data),
            "specialty": form.specialty.data or "", "finished_year": form.finished_year.data}


def _language_values(form: LanguageForm) -> dict:
    return {"language": LanguageCode(form.language.data), "name": form.name.data or "",
            "level": LanguageLevel(form.level.data)}


KINDS = (
    EntryKind("work", WorkHistoryEntry, WorkForm, entries.add_work, entries.update_work,
              entries.remove_work, _work_values, "work-title", _l("Add a job"),
              _l("Edit a job"), _l("The job has been saved."), _l("The job has been removed.")),
    EntryKind("education", EducationEntry, EducationForm, entries.add_education,
              entries.update_education, entries.remove_education, _education_values,
              "education-title", _l("Add education"), _l("Edit education"),
              _l("Your education has been saved."), _l("The education entry has been removed.")),
    EntryKind("language", CandidateLanguage, LanguageForm, entries.add_language,
              entries.update_language, entries.remove_language, _language_values,
              "languages-title", _l("Add a language"), _l("Edit a language"),
              _l("The language has been saved."), _l("The language has been removed.")),
)


def _page(kind: EntryKind, form, title, status: int):
    suggestions = occupation_choices(current_language()) if kind.name == "work" else []
    return render_template("candidates/entry_form.html", form=form, title=title,
                           section=kind.section, occupation_suggestions=suggestions), status


def _submit(kind: EntryKind, form, save: Callable, title):
    if form.validate_on_submit():
        try:
            save(actor=current_user, **kind.values(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(str(kind.saved), "success")
            return redirect(url_for("candidates.home", _anchor=kind.section))
    return _page(kind, form, title, 422 if form.errors else 200)


def _routes(kind: EntryKind) -> None:
    def add():
        profile = own_profile()
        return _submit(kind, kind.form(), lambda **v: kind.add(profile, **v), kind.new_title)

    def edit(entry_id):
        entry = own_entry(kind.model, entry_id)
        form = kind.form(obj=entry if request.method == "GET" else None)
        return _submit(kind, form, lambda **v: kind.update(entry, **v), kind.edit_title)

    def remove(entry_id):
        entry = own_entry(kind.model, entry_id)
        kind.remove(entry, actor=current_user)
        db.session.commit()
        flash(str(kind.removed), "success")
        return redirect(url_for("candidates.home", _anchor=kind.section))

    guard = role_required(Role.CANDIDATE)
    bp.add_url_rule(f"/{kind.name}/new", f"add_{kind.name}", guard(add),
                    methods=["GET", "POST"])
    bp.add_url_rule(f"/{kind.name}/<int:entry_id>/edit", f"edit_{kind.name}", guard(edit),
                    methods=["GET", "POST"])
    bp.add_url_rule(f"/{kind.name}/<int:entry_id>/delete", f"remove_{kind.name}",
                    guard(remove), methods=["POST"])


for _kind in KINDS:
    _routes(_kind)
