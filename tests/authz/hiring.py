"""Hiring routes. Ids that do not exist answer 404 to the right role (object checks)."""

from tests.authz import MISSING_ID as M

#                                                       anonymous candidate employer staff admin
ROUTES = {
    ("POST", f"/jobs/{M}/apply"):                          (302, 404, 403, 403, 403),
    ("GET", "/candidate/applications"):                     (302, 200, 403, 403, 403),
    ("GET", f"/candidate/applications/{M}"):                (302, 404, 403, 403, 403),
    ("POST", f"/candidate/applications/{M}/withdraw"):      (302, 404, 403, 403, 403),
    ("POST", f"/candidate/applications/{M}/offer"):         (302, 404, 403, 403, 403),
    ("POST", f"/candidate/applications/{M}/disclosure"):    (302, 404, 403, 403, 403),
    ("POST", f"/candidate/applications/{M}/withdrawal-response"): (302, 404, 403, 403, 403),
    ("POST", f"/candidate/employments/{M}/confirm"):        (302, 404, 403, 403, 403),
    ("GET", "/candidate/invitations"):                      (302, 200, 403, 403, 403),
    ("POST", f"/candidate/invitations/{M}"):                (302, 404, 403, 403, 403),
    ("GET", f"/employer/vacancies/{M}/applications"):       (302, 403, 404, 403, 403),
    ("GET", f"/employer/applications/{M}"):                 (302, 403, 404, 403, 403),
    ("POST", f"/employer/applications/{M}/advance"):        (302, 403, 404, 403, 403),
    ("POST", f"/employer/applications/{M}/reject"):         (302, 403, 404, 403, 403),
    ("POST", f"/employer/applications/{M}/withdraw-offer"): (302, 403, 404, 403, 403),
    ("POST", f"/employer/applications/{M}/withdrawal/final"): (302, 403, 404, 403, 403),
    ("POST", f"/employer/applications/{M}/hire"):           (302, 403, 404, 403, 403),
    ("POST", f"/employer/employments/{M}/end"):             (302, 403, 404, 403, 403),
    ("POST", f"/employer/vacancies/{M}/invite"):            (302, 403, 404, 403, 403),
    ("GET", f"/employments/{M}/contract"):                  (302, 404, 404, 404, 404),
    ("GET", "/notifications/"):                             (302, 200, 200, 200, 200),
    ("POST", "/notifications/read"):                        (302, 302, 302, 302, 302),
}
