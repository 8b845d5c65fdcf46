"""Migrations are code: one head, they build an empty database, they agree with the models,
and they go down and up again."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from marketplace import ROOT, create_app
from marketplace.extensions import db
from marketplace.jobs.models import include_name, include_object

MIGRATIONS = str(ROOT / "migrations")
SCHEMA = "migration_check"


@pytest.fixture
def empty_database_url(tmp_path):
    """A database nobody else uses: a new SQLite file, or a fresh schema on PostgreSQL."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{SCHEMA}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture
def migration_app(empty_database_url):
    return create_app({"TESTING": True, "SECRET_KEY": "x",
                       "SQLALCHEMY_DATABASE_URI": empty_database_url})


def test_there_is_exactly_one_head():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_builds_an_empty_database_that_matches_the_models(migration_app):
    from flask_migrate import upgrade

    with migration_app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={
                    "compare_type": True, "include_name": include_name,
                    "include_object": include_object}), db.metadata)
        assert differences == []
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again(migration_app):
    from flask_migrate import downgrade, upgrade

    with migration_app.app_context():
        upgrade(directory=MIGRATIONS)
        downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(directory=MIGRATIONS)
        assert "candidate_profile" in inspect(db.engine).get_table_names()
        db.engine.dispose()
