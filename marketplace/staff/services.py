"""What a job-centre officer sees of their own region."""

from sqlalchemy import func, select

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import EmployerOrganisation, VerificationStatus
from marketplace.extensions import db


def region_overview(region_id: int) -> dict:
    candidates = db.session.scalar(
        select(func.count(CandidateProfile.id)).where(CandidateProfile.region_id == region_id))
    discoverable = db.session.scalar(
        select(func.count(CandidateProfile.id)).where(
            CandidateProfile.region_id == region_id, CandidateProfile.discoverable.is_(True)))
    pending = list(db.session.scalars(
        select(EmployerOrganisation)
        .where(EmployerOrganisation.region_id == region_id,
               EmployerOrganisation.status == VerificationStatus.PENDING)
        .order_by(EmployerOrganisation.created_at)))
    recent = list(db.session.scalars(
        select(CandidateProfile).join(User, CandidateProfile.user_id == User.id)
        .where(CandidateProfile.region_id == region_id)
        .order_by(CandidateProfile.created_at.desc()).limit(10)))
    return {"candidates": candidates, "discoverable": discoverable,
            "pending_organisations": pending, "recent_candidates": recent}
