from flask_babel import lazy_gettext as _l

from marketplace.auth.models import User
from marketplace.extensions import db


def configure(login_manager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        """A deactivated (or deleted) account is signed out everywhere on its next request."""
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active else None
