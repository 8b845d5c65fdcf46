"""Indexes for the filters that national-size lists and queues use.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04

Reviewed by hand. Each index serves a filter that read far more of a table than it returned at
100,000 candidates (plans before and after in docs/benchmarks.md):
- audit events by the object they name (the viewer's filter, a person's data export, the list
  of object types read by skipping along the index);
- a region's profiles by registration time, with the id so that the staff queues count and join
  a region's profiles from the index alone; the region's profiles open to employers;
- one month's claim confirmations by status and one month's payments (the payment run);
- applications by status and last change (offers waiting for the candidate's answer);
- check-ins without an outcome by due date, open follow-up tasks by due date, pending
  certificates by submission time: the staff queues, oldest first;
- hires by start date (the region's hires on the claims page, newest first).
Partial indexes are partial on both backends (SQLite has them too).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_audit_event_object", "audit_event", ["object_type", "object_id"], None),
    ("ix_candidate_profile_region_created", "candidate_profile",
     ["region_id", "created_at", "id"], None),
    ("ix_candidate_profile_region_discoverable", "candidate_profile", ["region_id"],
     "discoverable"),
    ("ix_claim_month_month_status", "claim_month", ["month", "status"], None),
    ("ix_payment_month", "payment", ["month"], None),
    ("ix_application_status_updated", "application", ["status", "updated_at"], None),
    ("ix_check_in_open_due", "check_in", ["due_on"], "outcome IS NULL"),
    ("ix_case_task_open_due", "case_task", ["due_on", "case_id"], "done_at IS NULL"),
    ("ix_certificate_status_submitted", "certificate", ["status", "submitted_at"], None),
    ("ix_employment_start_date", "employment", ["start_date"], None),
)


def _where(condition):
    if condition is None:
        return {}
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


def upgrade():
    for name, table, columns, condition in INDEXES:
        op.create_index(name, table, columns, unique=False, **_where(condition))


def downgrade():
    for name, table, _columns, _condition in reversed(INDEXES):
        op.drop_index(name, table_name=table)
