"""Merge the certificates (0005), vacancies (0006) and profile (0007) branches.

Revision ID: 0008
Revises: 0005, 0006, 0007
Create Date: 2026-11-26

The three features were built side by side from 0004 and touch different tables, so the merge
itself changes nothing.
"""

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = ("0005", "0006", "0007")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
