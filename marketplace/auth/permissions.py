"""Route-level role checks. Object-level checks live next to each feature and answer 404."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from marketplace.auth.models import Role

HOME_ENDPOINT = {
    Role.CANDIDATE: "candidates.home",
    Role.EMPLOYER: "employers.home",
    Role.STAFF: "staff.home",
    Role.ADMIN: "admin.home",
}


def role_required(*roles: Role):
    """Anonymous users go to the sign-in page; signed-in users of another role get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
