"""Scan files follow the database transaction: a file written for a transaction that rolls back
is removed, and a replaced or deleted scan leaves the disk only once the change is committed."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.extensions import db
from marketplace.uploads import services as uploads
from marketplace.uploads.models import StoredFile

_WRITTEN = "certificate_files_written"
_TO_REMOVE = "certificate_files_to_remove"


def save(file_storage, *, owner) -> StoredFile:
    """uploads.save_upload, remembered so that a rollback takes the file away again."""
    stored = uploads.save_upload(file_storage, owner=owner)
    db.session.info.setdefault(_WRITTEN, []).append(uploads.upload_dir() / stored.storage_key)
    return stored


def remove(stored: StoredFile) -> None:
    """Delete the row now and the file after the commit."""
    db.session.info.setdefault(_TO_REMOVE, []).append(uploads.upload_dir() / stored.storage_key)
    db.session.delete(stored)


@event.listens_for(Session, "after_commit")
def _committed(session):
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_TO_REMOVE, ()):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction):
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    for path in session.info.pop(_WRITTEN, ()):  # still here: never committed
        path.unlink(missing_ok=True)
    session.info.pop(_TO_REMOVE, None)
