"""Route × role expectations for the foundation's routes.

Each feature adds its own module here with a ROUTES dict of the same shape; the matrix test in
tests/test_authorization.py merges them all and fails on any route no module covers.
"""

from tests.authz import MISSING_ID

#                                            anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/"):                              (200, 302, 302, 302, 302),
    ("POST", "/language"):                     (302, 302, 302, 302, 302),
    ("GET", "/healthz"):                       (200, 200, 200, 200, 200),
    ("GET", "/login"):                         (200, 302, 302, 302, 302),
    ("POST", "/login"):                        (200, 302, 302, 302, 302),
    ("POST", "/logout"):                       (302, 302, 302, 302, 302),
    ("GET", "/register"):                      (200, 302, 302, 302, 302),
    ("GET", "/register/candidate"):            (200, 302, 302, 302, 302),
    ("POST", "/register/candidate"):           (200, 302, 302, 302, 302),
    ("GET", "/register/employer"):             (200, 302, 302, 302, 302),
    ("POST", "/register/employer"):            (200, 302, 302, 302, 302),
    ("GET", "/password/forgot"):               (200, 200, 200, 200, 200),
    ("POST", "/password/forgot"):              (200, 200, 200, 200, 200),
    ("GET", "/password/reset/not-a-token"):    (302, 302, 302, 302, 302),
    ("POST", "/password/reset/not-a-token"):   (302, 302, 302, 302, 302),
    ("GET", "/candidate/"):                    (302, 200, 403, 403, 403),
    ("GET", "/candidate/profile"):             (302, 200, 403, 403, 403),
    ("POST", "/candidate/profile"):            (302, 200, 403, 403, 403),
    ("POST", "/candidate/skills"):             (302, 422, 403, 403, 403),
    ("POST", f"/candidate/skills/{MISSING_ID}/delete"): (302, 404, 403, 403, 403),
    ("GET", "/candidate/recommendations"):     (302, 200, 403, 403, 403),
    ("GET", "/employer/"):                     (302, 403, 200, 403, 403),
    ("GET", f"/employer/vacancies/{MISSING_ID}/candidates"): (302, 403, 404, 403, 403),
    ("GET", "/staff/"):                        (302, 403, 403, 200, 403),
    ("GET", "/admin/"):                        (302, 403, 403, 403, 200),
    ("GET", "/admin/users/new"):               (302, 403, 403, 403, 200),
    ("POST", "/admin/users/new"):              (302, 403, 403, 403, 200),
    ("POST", f"/admin/users/{MISSING_ID}/active"): (302, 403, 403, 403, 404),
}

