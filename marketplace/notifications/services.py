"""Telling people what happened: an in-app notification plus a message through the outbox."""

from flask import has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update

from marketplace.auth.models import User
from marketplace.db_types import utcnow
from marketplace.extensions import db
from marketplace.mail import send_message
from marketplace.notifications.messages import render
from marketplace.notifications.models import Notification


def notify(user: User, kind: str, *, link: str | None = None, **params) -> Notification:
    """Flushes the notification; the message goes out in the recipient's own language."""
    notification = Notification(user_id=user.id, kind=kind, params=params, link=link)
    db.session.add(notification)
    with force_locale(user.locale or "ru"):
        text = render(kind, params)
        body = text + (f"\n\n{url_for('main.index', _external=True).rstrip('/')}{link}"
                       if link and has_request_context() else "")
        # One line: a title with a line break must not break the e-mail header.
        subject = _("Jumys Bar: %(text)s", text=" ".join(text.split())[:80])
        send_message(to=user.login, subject=subject, body=body)
    db.session.flush()
    return notification


def notify_all(users, kind: str, **kwargs) -> None:
    for user in users:
        notify(user, kind, **kwargs)


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def newest_first(user: User) -> Select:
    """The user's notifications, newest first, as a query to page through."""
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.id.desc()))


def mark_all_read(user: User) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))


def link_to(endpoint: str, **values) -> str | None:
    """A path for a notification; None when there is no request (CLI, background work)."""
    return url_for(endpoint, **values) if has_request_context() else None
