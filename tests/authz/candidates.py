"""Route × role expectations for the full candidate profile and the privacy pages."""

from tests.authz import MISSING_ID

#                                            anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/candidate/personal"):            (302, 200, 403, 403, 403),
    ("POST", "/candidate/personal"):           (302, 422, 403, 403, 403),
    ("GET", "/candidate/privacy"):             (302, 200, 403, 403, 403),
    ("POST", "/candidate/privacy/export"):     (302, 200, 403, 403, 403),
    ("POST", "/candidate/privacy/delete"):     (302, 422, 403, 403, 403),
}

for _kind in ("work", "education", "language"):
    ROUTES.update({
        ("GET", f"/candidate/{_kind}/new"):                   (302, 200, 403, 403, 403),
        ("POST", f"/candidate/{_kind}/new"):                  (302, 422, 403, 403, 403),
        ("GET", f"/candidate/{_kind}/{MISSING_ID}/edit"):     (302, 404, 403, 403, 403),
        ("POST", f"/candidate/{_kind}/{MISSING_ID}/edit"):    (302, 404, 403, 403, 403),
        ("POST", f"/candidate/{_kind}/{MISSING_ID}/delete"):  (302, 404, 403, 403, 403),
    })
