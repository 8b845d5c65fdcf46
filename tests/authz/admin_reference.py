"""Route × role expectations for the administrator's reference data pages and the account page
of one user. Object routes with an unknown id answer 404 to admins."""

from tests.authz import MISSING_ID

_ADMIN_PAGE = (302, 403, 403, 403, 200)
_ADMIN_OBJECT = (302, 403, 403, 403, 404)
_ADMIN_FORM_REFUSED = (302, 403, 403, 403, 422)
_REF = "/admin/reference"
_SKILL = f"{_REF}/skills/{MISSING_ID}"

ROUTES = {
    ("GET", f"{_REF}/"):                                                _ADMIN_PAGE,
    ("GET", f"{_REF}/regions"):                                         _ADMIN_PAGE,
    ("GET", f"{_REF}/regions/{MISSING_ID}"):                            _ADMIN_OBJECT,
    ("POST", f"{_REF}/regions/{MISSING_ID}"):                           _ADMIN_OBJECT,
    ("GET", f"{_REF}/occupations"):                                     _ADMIN_PAGE,
    ("GET", f"{_REF}/occupations/new"):                                 _ADMIN_PAGE,
    ("POST", f"{_REF}/occupations/new"):                                _ADMIN_FORM_REFUSED,
    ("GET", f"{_REF}/occupations/{MISSING_ID}"):                        _ADMIN_OBJECT,
    ("POST", f"{_REF}/occupations/{MISSING_ID}"):                       _ADMIN_OBJECT,
    ("GET", f"{_REF}/skills"):                                          _ADMIN_PAGE,
    ("GET", f"{_REF}/skills/new"):                                      _ADMIN_PAGE,
    ("POST", f"{_REF}/skills/new"):                                     _ADMIN_FORM_REFUSED,
    ("GET", _SKILL):                                                    _ADMIN_OBJECT,
    ("POST", _SKILL):                                                   _ADMIN_OBJECT,
    ("POST", f"{_SKILL}/synonyms"):                                     _ADMIN_OBJECT,
    ("POST", f"{_SKILL}/synonyms/{MISSING_ID}/delete"):                 _ADMIN_OBJECT,
    ("POST", f"{_SKILL}/occupations"):                                  _ADMIN_OBJECT,
    ("POST", f"{_SKILL}/occupations/{MISSING_ID}/delete"):              _ADMIN_OBJECT,
    # One account's page (marketplace/admin/user_views.py, on the "admin" blueprint).
    ("GET", f"/admin/users/{MISSING_ID}"):                              _ADMIN_OBJECT,
    ("POST", f"/admin/users/{MISSING_ID}"):                             _ADMIN_OBJECT,
}
