"""Alembic environment, driven by Flask-Migrate: `flask db upgrade` / `flask db migrate`."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

# Full-text structures that exist in one database only and no model describes (migration 0015):
# autogenerate must neither drop them nor describe them.
from marketplace.jobs.models import include_name, include_object

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

# Flask-SQLAlchemy 3: the engine is an attribute (db.get_engine() is deprecated).
engine = current_app.extensions["migrate"].db.engine
target_metadata = current_app.extensions["migrate"].db.metadata
config.set_main_option(
    "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def _skip_empty_autogenerate(context_, revision, directives):
    """Don't write an empty revision when the models have not changed."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True,
                      include_name=include_name, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    configure_args = dict(current_app.extensions["migrate"].configure_args)
    configure_args.setdefault("process_revision_directives", _skip_empty_autogenerate)
    configure_args.setdefault("compare_type", True)
    configure_args.setdefault("include_name", include_name)
    configure_args.setdefault("include_object", include_object)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          **configure_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
