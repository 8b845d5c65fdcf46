"""The staff home: the region's work queues with counts and the age of the oldest item, each
item opening the page where it is decided — and nothing from another region."""

import re
from datetime import date

from sqlalchemy import select

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.staff.services import work_queues
from tests.test_demo import seeded  # noqa: F401 - the demo fixture

QUEUE_KEYS = {"verify_people", "certificates", "organisations", "claims", "months", "reports",
              "offers", "check_ins", "tasks"}


def _queues(app, email):
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == email))
        return {q.key: q for q in work_queues(staff.region_id, date.today())}


def test_every_queue_is_counted_for_the_officers_region_only(app, seeded):  # noqa: F811
    karaganda = _queues(app, "staff.karaganda@demo.kz")
    assert set(karaganda) == QUEUE_KEYS
    assert karaganda["claims"].count == 1, "the demo's filed claim of employer1"
    assert karaganda["verify_people"].count > 0 and karaganda["check_ins"].count > 0
    assert all(q.count == len(q.first) or len(q.first) == 5 for q in karaganda.values())
    # An item waiting since today is 0 days old; an empty queue has no age.
    assert all((q.oldest_days is None) == (q.count == 0) for q in karaganda.values())
    astana = _queues(app, "staff.astana@demo.kz")
    karaganda_claim = karaganda["claims"].first[0].id
    assert karaganda_claim not in {c.id for c in astana["claims"].first}


def test_the_home_page_links_each_item_to_its_page(app, client, seeded):  # noqa: F811
    client.post("/login", data={"identifier": "staff.karaganda@demo.kz",
                                "password": "demo-pass-2026"})
    page = client.get("/staff/").get_data(as_text=True)
    assert "Claims to review" in page and "Retention check-ins due" in page
    assert re.search(r'href="/staff/claims/\d+"', page)
    assert re.search(r'href="/staff/candidates/\d+"', page)
    assert len(page.encode()) < 100_000
