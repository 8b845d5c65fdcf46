"""Route × role expectations for organisations, vacancies, staff verification and job search."""

from tests.authz import MISSING_ID

ORG = f"/employer/organisations/{MISSING_ID}"
VAC = f"/employer/vacancies/{MISSING_ID}"
STAFF_ORG = f"/staff/organisations/{MISSING_ID}"
STAFF_VAC = f"/staff/vacancies/{MISSING_ID}"
MEMBER_ONLY = (302, 403, 404, 403, 403)
REVIEWER_ONLY = (302, 403, 403, 404, 404)
INVITE = (404, 403, 404, 403, 403)   # anyone may open an invite link; a bad token is a 404

#                                                   anonymous candidate employer staff admin
ROUTES = {
    ("GET", ORG):                                        MEMBER_ONLY,
    ("GET", f"{ORG}/edit"):                              MEMBER_ONLY,
    ("POST", f"{ORG}/edit"):                             MEMBER_ONLY,
    ("POST", f"{ORG}/invites"):                          MEMBER_ONLY,
    ("POST", f"{ORG}/invites/{MISSING_ID}/cancel"):      MEMBER_ONLY,
    ("POST", f"{ORG}/members/{MISSING_ID}/remove"):      MEMBER_ONLY,
    ("GET", f"{ORG}/vacancies/new"):                     MEMBER_ONLY,
    ("POST", f"{ORG}/vacancies/new"):                    MEMBER_ONLY,
    ("GET", f"{VAC}/edit"):                              MEMBER_ONLY,
    ("POST", f"{VAC}/edit"):                             MEMBER_ONLY,
    ("POST", f"{VAC}/status"):                           MEMBER_ONLY,
    ("GET", "/employer/invites/not-a-token"):            INVITE,
    ("POST", "/employer/invites/not-a-token"):           INVITE,
    ("GET", "/staff/organisations"):                     (302, 403, 403, 200, 200),
    ("GET", STAFF_ORG):                                  REVIEWER_ONLY,
    ("POST", f"{STAFF_ORG}/verify"):                     REVIEWER_ONLY,
    ("POST", f"{STAFF_ORG}/reject"):                     REVIEWER_ONLY,
    ("GET", STAFF_VAC):                                  REVIEWER_ONLY,
    ("POST", f"{STAFF_VAC}/hide"):                       REVIEWER_ONLY,
    ("POST", f"{STAFF_VAC}/unhide"):                     REVIEWER_ONLY,
    ("GET", "/jobs"):                                    (200, 200, 200, 200, 200),
    ("GET", f"/jobs/{MISSING_ID}"):                      (404, 404, 404, 404, 404),
    ("POST", f"/jobs/{MISSING_ID}/report"):              (302, 404, 404, 404, 404),
    ("GET", "/staff/vacancy-reports"):                   (302, 403, 403, 200, 200),
    ("POST", f"{STAFF_VAC}/reports/{MISSING_ID}/resolve"): REVIEWER_ONLY,
}
