"""Shared fixtures. The database is built once per run by the Alembic migrations (as in
production), reference data is loaded once, and every test starts from empty feature tables.

TEST_DATABASE_URL selects PostgreSQL; SQLite in a temporary folder is the default.
"""

import os

import pytest
from sqlalchemy import create_engine, select, text

from marketplace import create_app
from marketplace.extensions import db as _db
from marketplace.extensions import limiter
from marketplace.matches.index import forget_index
from marketplace.reference.models import Skill
from tests.querycount import count_queries  # noqa: F401  (fixture, for every test module)

REFERENCE_TABLES = {"region", "city", "sector", "occupation", "skill", "skill_synonym",
                    "skill_occupation"}


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    from marketplace.reference.services import load_reference_data

    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_FAST": True,
        # Flask-Limiter keeps its state on the one global instance, so every test app leaves
        # it enabled with memory storage; limits are high here and lowered by the rate tests.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "LOGIN_IDENTIFIER_RATE_LIMIT": "10000 per minute",
        "MAIL_OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "PAYMENT_ORDER_DIR": str(tmp_path_factory.mktemp("payment-orders")),
        "EXPORT_DIR": str(tmp_path_factory.mktemp("exports")),
        "MATCHING_SNAPSHOT_DIR": str(tmp_path_factory.mktemp("matching")),
        "DATA_ENCRYPTION_KEYS": "kdVqp0u4JDwG1gYwZrRyqj6a8tYl7R0ZqT1mC1sQm0c=",
        "SERVER_NAME": None,
        # Tests change rows without audit events: the staff home counts on every view.
        "STAFF_HOME_CACHE_SECONDS": 0,
    })
    with app.app_context():
        upgrade()
        load_reference_data()
        _db.session.commit()
    yield app
    with app.app_context():
        _db.engine.dispose()  # close pooled connections before the interpreter does


def _empty_feature_tables() -> None:
    for table in reversed(_db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture(autouse=True)
def _isolated(request, app):
    """Each test starts with empty feature tables, an empty outbox and fresh rate limits."""
    yield
    with app.app_context():
        _db.session.rollback()
        _empty_feature_tables()
        limiter.reset()
        forget_index()
    outbox = app.config["MAIL_OUTBOX_DIR"]
    for name in os.listdir(outbox):
        os.remove(os.path.join(outbox, name))


@pytest.fixture
def db(app):
    """An app context with the session, for service tests; the test commits or not."""
    with app.app_context():
        yield _db
        _db.session.rollback()


@pytest.fixture
def client(app):
    """Asks for English unless a test says otherwise, so assertions read the msgids."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


PASSWORD = "correct-horse-9"


@pytest.fixture
def make_user(app):
    """Factory: make_user("candidate" | "employer" | "staff" | "admin", **fields) → namespace
    with id, login and password. Goes through the real services, in its own app context."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from marketplace.admin.services import create_privileged_user
    from marketplace.auth.models import Role
    from marketplace.candidates.services import register_candidate
    from marketplace.demo.seed import demo_bin
    from marketplace.employers.services import register_employer
    from marketplace.reference.models import Region

    counter = iter(range(1, 10_000))

    def make(role="candidate", *, region_code="KZ-AST", email=None, phone=None, **fields):
        n = next(counter)
        with app.app_context():
            region = _db.session.scalar(select(Region).where(Region.code == region_code))
            common = {"full_name": fields.pop("full_name", f"Тест Пайдаланушы {n}"),
                      "password": PASSWORD}
            if role == "candidate":
                user = register_candidate(region=region, phone=phone or f"+7702{n:07d}",
                                          email=email, **common, **fields)
            elif role == "employer":
                user = register_employer(region=region, email=email or f"boss{n}@example.kz",
                                         phone=phone, organisation_name=f"ТОО «Тест {n}»",
                                         bin_=fields.pop("bin_", demo_bin(500 + n)),
                                         **common, **fields)
            else:
                user = create_privileged_user(
                    role=Role(role), email=email or f"{role}{n}@example.kz",
                    region=region if role == "staff" else None, actor=None, **common, **fields)
            _db.session.commit()
            return SimpleNamespace(id=user.id, login=user.login, password=PASSWORD, role=role)

    return make


@pytest.fixture
def login(client):
    def do_login(user, password=None):
        response = client.post("/login", data={"identifier": user.login,
                                               "password": password or user.password})
        assert response.status_code == 302, "sign-in failed"
        return response

    return do_login


@pytest.fixture
def skill_codes(app):
    """Three real taxonomy skills of one occupation, for a realistic vacancy."""
    with app.app_context():
        skill = _db.session.scalar(select(Skill).where(Skill.occupations.any())
                                  .order_by(Skill.code))
        occupation = skill.occupations[0]
        codes = _db.session.scalars(select(Skill.code).where(Skill.occupations.contains(
            occupation)).order_by(Skill.code)).all()
        assert len(codes) >= 3
        return codes[:3]
