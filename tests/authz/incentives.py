"""Route × role expectations for subsidy claims (employer pages, staff review, documents and
their public check). Object routes with an unknown id answer 404 to the roles that may use them."""

from tests.authz import MISSING_ID

_HIRE = f"/employer/hires/{MISSING_ID}/claim"
_CLAIM = f"/employer/claims/{MISSING_ID}"
_SHARED = f"/claims/{MISSING_ID}"
_REVIEW = f"/staff/claims/{MISSING_ID}"
_EMPLOYER_OBJECT = (302, 403, 404, 403, 403)
_STAFF_OBJECT = (302, 403, 403, 404, 403)
_SHARED_OBJECT = (302, 403, 404, 404, 403)

#                                                    anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/employer/claims"):                        (302, 403, 200, 403, 403),
    ("GET", _HIRE):                                     _EMPLOYER_OBJECT,
    ("POST", _HIRE):                                    _EMPLOYER_OBJECT,
    ("GET", _CLAIM):                                    _EMPLOYER_OBJECT,
    ("POST", f"{_CLAIM}/resubmit"):                     _EMPLOYER_OBJECT,
    ("POST", f"{_CLAIM}/months"):                       _EMPLOYER_OBJECT,
    ("GET", f"{_SHARED}/months/{MISSING_ID}/proof"):    _SHARED_OBJECT,
    ("GET", f"{_SHARED}/decision.pdf"):                 _SHARED_OBJECT,
    ("GET", f"{_SHARED}/certificate.pdf"):              _SHARED_OBJECT,
    ("GET", "/documents/verify"):                       (200, 200, 200, 200, 200),
    ("GET", "/documents/verify/NO-SUCH-CODE"):          (404, 404, 404, 404, 404),
    ("GET", "/staff/claims"):                           (302, 403, 403, 200, 403),
    ("GET", "/staff/budget"):                           (302, 403, 403, 200, 403),
    ("GET", _REVIEW):                                   _STAFF_OBJECT,
    ("POST", f"{_REVIEW}/start"):                       _STAFF_OBJECT,
    ("POST", f"{_REVIEW}/approve"):                     _STAFF_OBJECT,
    ("POST", f"{_REVIEW}/return"):                      _STAFF_OBJECT,
    ("POST", f"{_REVIEW}/reject"):                      _STAFF_OBJECT,
    ("POST", f"{_REVIEW}/months/{MISSING_ID}/accept"):  _STAFF_OBJECT,
    ("POST", f"{_REVIEW}/months/{MISSING_ID}/query"):   _STAFF_OBJECT,
    ("GET", f"/staff/hires/{MISSING_ID}/claim"):        _STAFF_OBJECT,
    ("POST", f"/staff/hires/{MISSING_ID}/claim"):       _STAFF_OBJECT,
}
