"""Route × role expectations for the monitoring dashboard: staff (their region) and admins (every
region); an unknown indicator answers 404. (Another region in ?region= answers 404 to staff:
tests/test_indicators.py, since the matrix keys are paths without a query string.)"""

_DASHBOARD = (302, 403, 403, 200, 200)

#                                                      anonymous candidate employer staff admin
ROUTES = {
    ("GET", "/staff/dashboard/"):                         _DASHBOARD,
    ("GET", "/staff/dashboard/list/hires"):               _DASHBOARD,
    ("GET", "/staff/dashboard/list/after_subsidy_4q"):    _DASHBOARD,
    ("GET", "/staff/dashboard/list/no-such-indicator"):   (302, 403, 403, 404, 404),
}
