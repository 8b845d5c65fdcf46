"""Accepting uploads safely: the type is read from the content, never from the name, the size is
capped while reading, and the file lands under instance/uploads/ with a random name.

Files follow the database transaction: a file written for a transaction that rolls back is
removed again, and a deleted file leaves the disk only once the deletion is committed."""

import hashlib
import secrets
from pathlib import Path

from flask import current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.uploads.models import StoredFile

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Magic numbers of the formats we accept.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


class UploadRejected(DomainError):
    pass


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_capped(stream) -> bytes:
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(_l("The file is larger than 5 MB."))
    if not data:
        raise UploadRejected(_l("The file is empty."))
    return data


def sniff(data: bytes) -> str:
    """The content type from the first bytes; raises UploadRejected for anything else."""
    for signature, content_type, _ in SIGNATURES:
        if data.startswith(signature):
            return content_type
    raise UploadRejected(_l("Only PDF, JPEG or PNG files can be uploaded."))


def _safe_name(filename: str | None) -> str:
    """ASCII-safe and short enough for the column (the extension comes from the content)."""
    name = secure_filename(filename or "") or "file"
    return name[-200:]


def save_upload(file_storage, *, owner) -> StoredFile:
    """Validate and store an uploaded file; raises UploadRejected and then writes nothing."""
    data = _read_capped(file_storage.stream)
    content_type = sniff(data)
    key = secrets.token_hex(16)
    (upload_dir() / key).write_bytes(data)
    db.session.info.setdefault(_WRITTEN, []).append(upload_dir() / key)
    stored = StoredFile(owner_id=getattr(owner, "id", None), storage_key=key,
                        original_name=_safe_name(file_storage.filename),
                        content_type=content_type, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest())
    db.session.add(stored)
    db.session.flush()
    return stored


def send_stored(stored: StoredFile):
    """The file as a download; never rendered inline, so a crafted file cannot run as a page."""
    extension = next(ext for _, ctype, ext in SIGNATURES if ctype == stored.content_type)
    name = Path(stored.original_name).stem + extension
    return send_file(upload_dir() / stored.storage_key, mimetype=stored.content_type,
                     as_attachment=True, download_name=name, max_age=0)


def delete_stored(stored: StoredFile) -> None:
    """Delete the row now and the file after the commit."""
    db.session.info.setdefault(_TO_REMOVE, []).append(upload_dir() / stored.storage_key)
    db.session.delete(stored)


_WRITTEN = "uploads_written"
_TO_REMOVE = "uploads_to_remove"


@event.listens_for(Session, "after_commit")
def _committed(session):
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_TO_REMOVE, ()):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction):
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    for path in session.info.pop(_WRITTEN, ()):  # still listed: never committed
        path.unlink(missing_ok=True)
    session.info.pop(_TO_REMOVE, None)
