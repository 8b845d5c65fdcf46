"""The application factory: config → extensions → blueprints → error pages → CLI."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _configure(app, test_config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_web_hooks(app)
    _register_cli(app)
    return app


def _configure(app: Flask, test_config: dict | None) -> None:
    from marketplace.config import load_config

    app.config.from_mapping(load_config(Path(app.instance_path), test_config))


def _init_extensions(app: Flask) -> None:
    from marketplace import database, models  # noqa: F401 - pragma listener; all tables
    from marketplace.cases import checkins  # noqa: F401 - a confirmed hire gets its check-ins
    from marketplace.extensions import babel, csrf, db, limiter, login_manager, migrate
    from marketplace.i18n import select_locale
    from marketplace.incentives import months  # noqa: F401 - an ended job ends its claims
    from marketplace.jobs import index  # noqa: F401 - keeps the search index current
    from marketplace.matches import changes  # noqa: F401 - keeps the matching index current

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    from marketplace.auth import loader

    loader.configure(login_manager)


def _register_blueprints(app: Flask) -> None:
    from marketplace.urls import DatabaseIntConverter

    # Before any route is added: ids beyond a database integer are simply not found (404).
    app.url_map.converters["int"] = DatabaseIntConverter
    from marketplace.admin.reference_views import bp as admin_reference
    from marketplace.admin.views import bp as admin
    from marketplace.audit.views import bp as audit_log
    from marketplace.auth.views import bp as auth
    from marketplace.candidates.views import bp as candidates
    from marketplace.cases.on_behalf import bp as on_behalf
    from marketplace.cases.views import bp as cases
    from marketplace.certificates.views import bp as certificates
    from marketplace.employers.staff_views import bp as moderation
    from marketplace.employers.views import bp as employers
    from marketplace.exports.views import bp as exports
    from marketplace.hiring.views import bp as hiring
    from marketplace.incentives.admin_views import bp as incentives_admin
    from marketplace.incentives.staff_views import bp as incentives_staff
    from marketplace.incentives.views import bp as incentives
    from marketplace.indicators.views import bp as indicators
    from marketplace.jobs.views import bp as jobs
    from marketplace.main.views import bp as main
    from marketplace.notifications.views import bp as notifications
    from marketplace.staff.views import bp as staff

    for blueprint in (main, auth, candidates, employers, staff, admin, hiring, notifications,
                      moderation, jobs, certificates, incentives, incentives_staff,
                      incentives_admin,
                      cases, on_behalf, indicators, exports, audit_log, admin_reference):
        app.register_blueprint(blueprint)


def _register_web_hooks(app: Flask) -> None:
    from marketplace import web

    web.register_error_pages(app)
    web.register_security_headers(app)
    web.register_template_helpers(app)


def _register_cli(app: Flask) -> None:
    from marketplace import cli

    cli.register(app)
