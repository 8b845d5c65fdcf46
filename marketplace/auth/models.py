"""Accounts. A person signs in with an e-mail address or a mobile number."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db_types import StrEnumType, UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.reference.models import Region


class Role(enum.StrEnum):
    CANDIDATE = "candidate"
    EMPLOYER = "employer"
    STAFF = "staff"
    ADMIN = "admin"


SELF_REGISTERED_ROLES = (Role.CANDIDATE, Role.EMPLOYER)


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_login"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        StrEnumType(Role, "user_role")
    )
    full_name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(2))
    # Staff are attached to the region whose job centre they work for.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in for deactivated accounts
        return self.active

    @property
    def login(self) -> str:
        return self.email or self.phone

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles
