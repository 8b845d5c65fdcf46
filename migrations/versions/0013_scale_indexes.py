"""Indexes for the filters that national-size lists and queues use.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04

Reviewed by hand. Each index serves a filter that scanned the whole table at 100,000
candidates (plans in docs/benchmarks.md): audit events by the object they name, a region's
profiles by registration time, one month's claim confirmations by status, payments of a month.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_audit_event_object", "audit_event", ["object_type", "object_id"]),
    ("ix_candidate_profile_region_created", "candidate_profile", ["region_id", "created_at"]),
    ("ix_claim_month_month_status", "claim_month", ["month", "status"]),
    ("ix_payment_month", "payment", ["month"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
