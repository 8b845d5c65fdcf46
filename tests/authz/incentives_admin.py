"""Route × role expectations for the administrator's incentive programme pages."""

from tests.authz import MISSING_ID

_PROGRAMME = f"/admin/programmes/{MISSING_ID}"

#                                              anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/admin/programmes/"):               (302, 403, 403, 403, 200),
    ("GET", "/admin/programmes/new"):            (302, 403, 403, 403, 200),
    ("POST", "/admin/programmes/new"):           (302, 403, 403, 403, 422),
    ("GET", _PROGRAMME):                         (302, 403, 403, 403, 404),
    ("GET", f"{_PROGRAMME}/edit"):               (302, 403, 403, 403, 404),
    ("POST", f"{_PROGRAMME}/edit"):              (302, 403, 403, 403, 404),
    ("POST", f"{_PROGRAMME}/versions"):          (302, 403, 403, 403, 404),
    ("POST", f"{_PROGRAMME}/budget"):            (302, 403, 403, 403, 404),
}
