"""Running export jobs: on an rq worker when REDIS_URL is set, else inline in the request.

`run_export` is the whole job. It commits its own progress (so a page polling the job can show
it): it is a worker's unit of work, and inline it runs after the request has committed the job.
Production runs the worker next to the web workers, sharing EXPORT_DIR:

    rq worker --url "$REDIS_URL" exports

Files are written in the requester's language, as CSV (UTF-8 with a byte-order mark, so Excel
reads Cyrillic and Kazakh letters) or XLSX. Text that a spreadsheet would take for a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
"""

import csv
import functools
import logging
import secrets
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import update

from marketplace.auth.models import User
from marketplace.cases.models import ExportJob, JobStatus
from marketplace.db_types import utcnow
from marketplace.errors import DomainError
from marketplace.exports import services
from marketplace.extensions import db

logger = logging.getLogger(__name__)

QUEUE_NAME = "exports"
JOB_TIMEOUT = 60 * 60          # seconds an rq worker lets one export run
PROGRESS_EVERY = 200           # rows between two saves of the progress
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportRefused(DomainError):
    """The requester may no longer run this export (role or account changed meanwhile)."""


# Where files go -------------------------------------------------------------------------------

def export_dir() -> Path:
    """EXPORT_DIR, or `exports` next to the upload folder (instance/exports by default)."""
    configured = current_app.config.get("EXPORT_DIR")
    if configured:
        return Path(configured)
    return Path(current_app.config["UPLOAD_DIR"]).parent / "exports"


def finished_file(job: ExportJob) -> Path | None:
    if job.status is not JobStatus.DONE or not job.file_name:
        return None
    path = export_dir() / Path(job.file_name).name
    return path if path.is_file() else None


# Queueing -------------------------------------------------------------------------------------

def enqueue(job_id: int) -> None:
    """Hand a committed job to the rq worker; without Redis (or if it is down), run it now."""
    url = current_app.config.get("REDIS_URL")
    if url:
        try:
            _queue(url).enqueue(run_queued, job_id, job_timeout=JOB_TIMEOUT)
            return
        except RedisError:
            logger.exception("Redis is unreachable: export job %s runs in the request", job_id)
    run_export(job_id)


def _queue(url: str) -> Queue:
    return Queue(QUEUE_NAME, connection=Redis.from_url(url))


def run_queued(job_id: int) -> None:
    """The rq worker's entry point."""
    with _worker_app().app_context():
        run_export(job_id)


@functools.cache
def _worker_app():
    from marketplace import create_app

    return create_app()


# Running --------------------------------------------------------------------------------------

def run_export(job_id: int) -> None:
    """Write the job's file; a failure is recorded on the job (its page shows it), not raised."""
    job = _take(job_id)
    if job is None:
        return
    with force_locale(job.params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            _write(job)
        except Exception as error:  # any failure: the job's page explains it, never a 500
            logger.exception("export job %s failed", job_id)
            db.session.rollback()
            _fail(job_id, error)


def _take(job_id: int) -> ExportJob | None:
    """Queued → running in one statement, so two workers never run the same job."""
    taken = db.session.execute(
        update(ExportJob).where(ExportJob.id == job_id, ExportJob.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING)).rowcount
    db.session.commit()
    return db.session.get(ExportJob, job_id) if taken else None


def _write(job: ExportJob) -> None:
    requester = db.session.get(User, job.created_by_id)
    export = services.export_for(requester, job.kind)
    fmt = job.params.get("format")
    if export is None or fmt not in export.formats:
        raise ExportRefused(_l("This export is no longer available to you."))
    output = export.produce(services.region_scope(requester))
    job.total_rows = output.total
    db.session.commit()

    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{job.kind}-{job.id}-{secrets.token_hex(8)}.{fmt}"
    partial = folder / f"{name}.part"
    try:
        written = WRITERS[fmt](partial, job.kind, output.header, _progress(job, output.rows))
        partial.replace(folder / name)
    finally:
        partial.unlink(missing_ok=True)
    job.done_rows = job.total_rows = written
    job.file_name, job.status, job.finished_at = name, JobStatus.DONE, utcnow()
    db.session.commit()


def _progress(job: ExportJob, rows):
    for count, row in enumerate(rows, start=1):
        yield row
        if count % PROGRESS_EVERY == 0:
            job.done_rows = count
            db.session.commit()


def _fail(job_id: int, error: Exception) -> None:
    job = db.session.get(ExportJob, job_id)
    if isinstance(error, DomainError):
        job.error = str(error.message)
    else:
        job.error = _("The export stopped with an error: %(error)s",
                      error=f"{type(error).__name__}: {error}")[:2000]
    job.status, job.finished_at = JobStatus.FAILED, utcnow()
    db.session.commit()


# Files ----------------------------------------------------------------------------------------

def guard(text: str) -> str:
    """Text a spreadsheet would run as a formula is written as plain text."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return value
    return guard(str(value))


def xlsx_value(value):
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: UTC
    if value is None or isinstance(value, date | int | Decimal):
        return value
    return guard(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def write_csv(path: Path, kind: str, header: list[str], rows) -> int:
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_value(h) for h in header])
        for row in rows:
            writer.writerow([csv_value(v) for v in row])
            written += 1
    return written


def write_xlsx(path: Path, kind: str, header: list[str], rows) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=kind[:31])
    sheet.append([xlsx_value(h) for h in header])
    written = 0
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
        written += 1
    workbook.save(path)
    return written


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
