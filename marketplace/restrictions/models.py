"""Court bans and supervision conditions: the most sensitive data we hold.

Stored encrypted, shown to job-centre staff only (every view audited), and used by the matching
engine as hard filters. Employers never learn of them.
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.candidates.models import CandidateProfile
from marketplace.db_types import StrEnumType, UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.restrictions.crypto import EncryptedJSON


class RestrictionKind(enum.StrEnum):
    COURT_BAN = "court_ban"  # {"occupations": [codes], "sectors": [codes], "until": date|None}
    CURFEW = "curfew"        # {"start": "HH:MM", "end": "HH:MM", "until": date|None}
    TERRITORY = "territory"  # {"regions": [codes], "cities": [codes], "until": date|None}


class CandidateRestriction(db.Model):
    __tablename__ = "candidate_restriction"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RestrictionKind] = mapped_column(
        StrEnumType(RestrictionKind, "restriction_kind")
    )
    data: Mapped[dict] = mapped_column(EncryptedJSON())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    profile: Mapped[CandidateProfile] = relationship()
