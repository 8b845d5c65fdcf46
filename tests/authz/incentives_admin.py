"""Route × role expectations for the administrator's incentive programme pages."""

from tests.authz import MISSING_ID

_PROGRAMME = f"/admin/programmes/{MISSING_ID}"

#                                              anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/admin/programmes/"):               (302, 403, 403, 403, 200),
    ("GET", _PROGRAMME):                         (302, 403, 403, 403, 404),
    ("POST", f"{_PROGRAMME}/versions"):          (302, 403, 403, 403, 404),
    ("POST", f"{_PROGRAMME}/budget"):            (302, 403, 403, 403, 404),
}
