"""Route × role expectations for exports: staff and admins only; a job is seen only by the
person who asked for it, so an unknown (or another person's) job is 404. Starting an export
redirects to the job's page; the audit log is for admins, so staff get 404 for it."""

from tests.authz import MISSING_ID

_JOB = f"/exports/jobs/{MISSING_ID}"
_EXPORTER_OBJECT = (302, 403, 403, 404, 404)

#                                                anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/exports/"):                           (302, 403, 403, 200, 200),
    ("POST", "/exports/candidates.csv"):            (302, 403, 403, 302, 302),
    ("POST", "/exports/vacancies.xlsx"):            (302, 403, 403, 302, 302),
    ("POST", "/exports/opendata.csv"):              (302, 403, 403, 302, 302),
    ("POST", "/exports/audit.csv"):                 (302, 403, 403, 404, 302),
    ("POST", "/exports/no-such-export.csv"):        _EXPORTER_OBJECT,
    ("GET", _JOB):                                  _EXPORTER_OBJECT,
    ("GET", f"{_JOB}/download"):                    _EXPORTER_OBJECT,
}
