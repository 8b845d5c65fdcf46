"""The candidate blueprint and what its views share: the signed-in candidate's own profile,
and turning a service's DomainError into a message next to the right field."""

from flask import Blueprint, abort
from flask_login import current_user

from marketplace.candidates.models import CandidateProfile
from marketplace.candidates.services import profile_with_skills
from marketplace.extensions import db

bp = Blueprint("candidates", __name__, url_prefix="/candidate")


def own_profile() -> CandidateProfile:
    profile = profile_with_skills(current_user)
    if profile is None:
        abort(404)
    return profile


def own_entry(model, entry_id: int):
    """An entry of the signed-in candidate's profile; anyone else's (or none) is a 404."""
    profile = own_profile()
    entry = db.session.get(model, entry_id)
    if entry is None or entry.profile_id != profile.id:
        abort(404)
    return entry

