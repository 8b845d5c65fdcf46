"""Writing audit events. Services call `record` next to every state change they make."""

from flask import has_request_context, request
from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.extensions import db


def record(action: str, obj=None, *, actor=None, object_type: str | None = None,
           object_id=None, **details) -> AuditEvent:
    """Append one event; `obj` is any model instance with an `id` (or pass type/id explicitly)."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = obj.id if object_id is None else object_id
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=object_type or "system",
        object_id=None if object_id is None else str(object_id),
        ip_address=request.remote_addr if has_request_context() else None,
        details=details,
    )
    db.session.add(event)
    return event


def latest_event_id() -> int | None:
    """The id of the newest event: it changes whenever anything audited happens, so pages can
    keep a computed figure until it does (one index probe)."""
    return db.session.scalar(select(func.max(AuditEvent.id)))
