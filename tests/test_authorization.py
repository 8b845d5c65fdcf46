"""Every route × every role → the expected status. A new route fails the completeness test
until it is added to the matrix."""

import pytest

from tests.authz import ROLES, all_routes

MATRIX = all_routes()

CASES = [(method, path, role, statuses[i])
         for (method, path), statuses in MATRIX.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize("method, path, role, expected", CASES,
                         ids=[f"{m} {p} as {r}" for m, p, r, _ in CASES])
def test_route_answers_role_with_expected_status(client, make_user, login, method, path, role,
                                                 expected):
    if role != "anonymous":
        login(make_user(role))
    response = client.open(path, method=method)
    assert response.status_code == expected
    if expected == 302 and role == "anonymous" and path.startswith(("/candidate", "/employer",
                                                                       "/staff", "/admin")):
        assert "/login" in response.headers["Location"]


def test_matrix_covers_every_route(app):
    """Each URL rule (method + endpoint) must appear in MATRIX."""
    covered = set()
    adapter = app.url_map.bind("localhost")
    for method, path in MATRIX:
        endpoint, _ = adapter.match(path, method=method)
        covered.add((method, endpoint))
    missing = [(method, rule.endpoint) for rule in app.url_map.iter_rules()
               if rule.endpoint != "static"
               for method in rule.methods - {"HEAD", "OPTIONS"}
               if (method, rule.endpoint) not in covered]
    assert sorted(set(missing)) == [], "add these to a module in tests/authz/"


def test_candidate_cannot_remove_another_candidates_skill(app, client, make_user, login):
    from sqlalchemy import select

    from marketplace.candidates.models import CandidateProfile, CandidateSkill
    from marketplace.extensions import db

    owner, intruder = make_user("candidate"), make_user("candidate")
    with app.app_context():
        profile = db.session.scalar(select(CandidateProfile).where(
            CandidateProfile.user_id == owner.id))
        profile.skills.append(CandidateSkill(free_text="Сварка", level=3))
        db.session.commit()
        skill_id = profile.skills[0].id
    login(intruder)
    assert client.post(f"/candidate/skills/{skill_id}/delete").status_code == 404
    with app.app_context():
        assert db.session.get(CandidateSkill, skill_id) is not None
