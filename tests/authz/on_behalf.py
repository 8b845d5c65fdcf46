"""Route × role expectations for staff acting on a person's behalf. Staff only (admins too get
403: acting for a person is the region's job centre's work); an unknown person is a 404."""

from tests.authz import MISSING_ID

_PERSON = f"/staff/candidates/{MISSING_ID}"
_STAFF_OBJECT = (302, 403, 403, 404, 403)

#                                                      anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/staff/candidates/new"):                     (302, 403, 403, 200, 403),
    ("POST", "/staff/candidates/new"):                    (302, 403, 403, 422, 403),
    ("GET", f"{_PERSON}/on-behalf"):                      _STAFF_OBJECT,
    ("POST", f"{_PERSON}/consent"):                       _STAFF_OBJECT,
    ("POST", f"{_PERSON}/consent/withdraw"):              _STAFF_OBJECT,
    ("GET", f"{_PERSON}/profile"):                        _STAFF_OBJECT,
    ("POST", f"{_PERSON}/profile"):                       _STAFF_OBJECT,
    ("GET", f"{_PERSON}/skills"):                         _STAFF_OBJECT,
    ("POST", f"{_PERSON}/skills"):                        _STAFF_OBJECT,
    ("POST", f"{_PERSON}/skills/{MISSING_ID}/delete"):    _STAFF_OBJECT,
    ("GET", f"{_PERSON}/personal"):                       _STAFF_OBJECT,
    ("POST", f"{_PERSON}/personal"):                      _STAFF_OBJECT,
    ("POST", f"{_PERSON}/apply/{MISSING_ID}"):            _STAFF_OBJECT,
}
