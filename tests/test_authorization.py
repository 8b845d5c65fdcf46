"""Every route × every role → the expected status. A new route fails the completeness test
until it is added to the matrix."""

import pytest

ROLES = ("anonymous", "candidate", "employer", "staff", "admin")
MISSING_ID = 999_999

#                                            anonymous candidate employer staff admin
MATRIX = {
    ("GET", "/"):                              (200, 302, 302, 302, 302),
    ("POST", "/language"):                     (302, 302, 302, 302, 302),
    ("GET", "/healthz"):                       (200, 200, 200, 200, 200),
    ("GET", "/login"):                         (200, 302, 302, 302, 302),
    ("POST", "/logout"):                       (302, 302, 302, 302, 302),
    ("GET", "/register"):                      (200, 302, 302, 302, 302),
    ("GET", "/register/candidate"):            (200, 302, 302, 302, 302),
    ("GET", "/register/employer"):             (200, 302, 302, 302, 302),
    ("GET", "/password/forgot"):               (200, 200, 200, 200, 200),
    ("GET", "/password/reset/not-a-token"):    (302, 302, 302, 302, 302),
    ("GET", "/candidate/"):                    (302, 200, 403, 403, 403),
    ("GET", "/candidate/profile"):             (302, 200, 403, 403, 403),
    ("POST", "/candidate/skills"):             (302, 422, 403, 403, 403),
    ("POST", f"/candidate/skills/{MISSING_ID}/delete"): (302, 404, 403, 403, 403),
    ("GET", "/candidate/recommendations"):     (302, 200, 403, 403, 403),
    ("GET", "/employer/"):                     (302, 403, 200, 403, 403),
    ("GET", f"/employer/vacancies/{MISSING_ID}/candidates"): (302, 403, 404, 403, 403),
    ("GET", "/staff/"):                        (302, 403, 403, 200, 403),
    ("GET", "/admin/"):                        (302, 403, 403, 403, 200),
    ("GET", "/admin/users/new"):               (302, 403, 403, 403, 200),
    ("POST", f"/admin/users/{MISSING_ID}/active"): (302, 403, 403, 403, 404),
}

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
    # GET+POST forms are covered by their GET; their POST is exercised in the feature tests.
    form_posts = {("POST", e) for e in ("auth.login", "auth.register_candidate_view",
                                        "auth.register_employer_view", "auth.forgot_password",
                                        "auth.reset_password", "candidates.edit_profile",
                                        "admin.create_user")}
    assert sorted(set(missing) - form_posts) == []


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
