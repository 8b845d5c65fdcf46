"""Route × role expectations for certificates (candidate pages, scan download, staff review,
public verification)."""

from tests.authz import MISSING_ID

_OWN = f"/candidate/certificates/{MISSING_ID}"
_REVIEW = f"/staff/certificates/{MISSING_ID}"

#                                            anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/candidate/certificates"):        (302, 200, 403, 403, 403),
    ("POST", "/candidate/certificates"):       (302, 422, 403, 403, 403),
    ("GET", _OWN):                             (302, 404, 403, 403, 403),
    ("GET", f"{_OWN}/edit"):                   (302, 404, 403, 403, 403),
    ("POST", f"{_OWN}/edit"):                  (302, 404, 403, 403, 403),
    ("POST", f"{_OWN}/delete"):                (302, 404, 403, 403, 403),
    ("GET", f"{_OWN}/card"):                   (302, 404, 403, 403, 403),
    ("GET", f"/certificates/{MISSING_ID}/scan"): (302, 404, 404, 404, 404),
    ("GET", "/staff/certificates"):            (302, 403, 403, 200, 403),
    ("GET", _REVIEW):                          (302, 403, 403, 404, 403),
    ("POST", f"{_REVIEW}/verify"):             (302, 403, 403, 404, 403),
    ("POST", f"{_REVIEW}/reject"):             (302, 403, 403, 404, 403),
    ("POST", f"{_REVIEW}/revoke"):             (302, 403, 403, 404, 403),
    ("GET", "/verify"):                        (200, 200, 200, 200, 200),
    ("GET", "/verify/no-such-code"):           (404, 404, 404, 404, 404),
}
