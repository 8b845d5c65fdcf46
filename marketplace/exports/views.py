"""CSV and XLSX exports, the anonymised open-data export and background export jobs."""

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from marketplace.auth.models import Role
from marketplace.auth.permissions import role_required
from marketplace.cases.models import JobStatus
from marketplace.exports import jobs, services
from marketplace.extensions import db

bp = Blueprint("exports", __name__, url_prefix="/exports")

_EXPORTERS = (Role.STAFF, Role.ADMIN)


@bp.route("/")
@role_required(*_EXPORTERS)
def index():
    titles = {kind: export.title for kind, export in services.all_exports().items()}
    return render_template("exports/index.html", titles=titles,
                           exports=services.available_exports(current_user),
                           jobs=services.recent_jobs(current_user))


@bp.route("/<kind>.<any(csv, xlsx):fmt>", methods=["POST"])
@role_required(*_EXPORTERS)
def start(kind, fmt):
    export = services.export_for(current_user, kind)
    if export is None or fmt not in export.formats:
        abort(404)
    job = services.create_job(export, fmt, user=current_user)
    db.session.commit()  # the worker reads the job from the database
    jobs.enqueue(job.id)
    return redirect(url_for("exports.job", job_id=job.id))


def _job(job_id):
    return services.job_for(current_user, job_id) or abort(404)


@bp.route("/jobs/<int:job_id>")
@role_required(*_EXPORTERS)
def job(job_id):
    job = _job(job_id)
    export = services.all_exports().get(job.kind)
    running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    return render_template("exports/job.html", job=job, export=export, running=running,
                           # Opt-in: a page that reloads itself is hard to use with a screen reader
                           # (axe-core's meta-refresh rule), so the user asks for it.
                           auto_refresh=running and request.args.get("auto") == "1",
                           has_file=jobs.finished_file(job) is not None)


@bp.route("/jobs/<int:job_id>/download")
@role_required(*_EXPORTERS)
def download(job_id):
    job = _job(job_id)
    path = jobs.finished_file(job) or abort(404)
    services.record_download(job, user=current_user)
    db.session.commit()
    fmt = path.suffix.lstrip(".")
    return send_file(path, mimetype=jobs.MEDIA_TYPES[fmt], as_attachment=True,
                     download_name=f"{job.kind}-{job.created_at:%Y-%m-%d}-{job.id}.{fmt}")
