"""Route × role expectations for case management (caseload, check-ins, one candidate's case).
Staff only; a candidate outside the staff member's region, or an unknown id, is a 404."""

from tests.authz import MISSING_ID

_CASE = f"/staff/candidates/{MISSING_ID}"
_STAFF_OBJECT = (302, 403, 403, 404, 403)

#                                                           anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/staff/caseload"):                                (302, 403, 403, 200, 403),
    ("GET", "/staff/check-ins"):                               (302, 403, 403, 200, 403),
    ("GET", _CASE):                                            _STAFF_OBJECT,
    ("POST", f"{_CASE}/release"):                              _STAFF_OBJECT,
    ("POST", f"{_CASE}/restrictions/court-ban"):               _STAFF_OBJECT,
    ("POST", f"{_CASE}/restrictions/curfew"):                  _STAFF_OBJECT,
    ("POST", f"{_CASE}/restrictions/territory"):               _STAFF_OBJECT,
    ("POST", f"{_CASE}/restrictions/{MISSING_ID}/lift"):       _STAFF_OBJECT,
    ("POST", f"{_CASE}/manager"):                              _STAFF_OBJECT,
    ("POST", f"{_CASE}/next-step"):                            _STAFF_OBJECT,
    ("POST", f"{_CASE}/notes"):                                _STAFF_OBJECT,
    ("POST", f"{_CASE}/tasks"):                                _STAFF_OBJECT,
    ("POST", f"{_CASE}/tasks/{MISSING_ID}/done"):              _STAFF_OBJECT,
    ("POST", f"{_CASE}/check-ins/{MISSING_ID}"):               _STAFF_OBJECT,
    ("POST", f"{_CASE}/reoffences"):                           _STAFF_OBJECT,
}
