"""Outgoing messages (e-mail, or SMS text for phone-only accounts) through a configurable backend.

`outbox` (default) writes each message to instance/outbox/ and the log; `smtp` sends e-mail through
SMTP_HOST:SMTP_PORT. Tests read the outbox.
"""

import json
import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from marketplace.db_types import utcnow


def send_message(*, to: str, subject: str, body: str) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp" and "@" in to:
        _send_smtp(to, subject, body)
    else:
        _write_outbox(to, subject, body)


def _write_outbox(to: str, subject: str, body: str) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    sent_at = utcnow()
    path = outbox / f"{sent_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.json"
    message = {"to": to, "subject": subject, "body": body, "sent_at": sent_at.isoformat()}
    path.write_text(json.dumps(message, ensure_ascii=False, indent=1), encoding="utf-8")
    current_app.logger.info("outbox: message to %s: %s (%s)", to, subject, path.name)
    return path


def _send_smtp(to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(current_app.config["SMTP_HOST"], current_app.config["SMTP_PORT"]) as smtp:
        smtp.send_message(message)


def read_outbox() -> list[dict]:
    """Messages in the outbox, oldest first (used by tests and the demo)."""
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    if not outbox.exists():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(outbox.glob("*.json"))]
