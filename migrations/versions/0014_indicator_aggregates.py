"""Indicator aggregates: the counted rows, their sums per indicator, region and month, the
regions' budgets to date and the refreshes that wrote them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

Reviewed by hand. The tables are a snapshot that `flask indicators refresh` replaces in one
transaction, so they carry no foreign keys (a snapshot must never block a change to the live
rows); region, profile and organisation ids are plain integers. Money per row is Numeric(14, 2);
the per-cell sums are whole tiyn (BigInteger) so that SUM is exact on SQLite too.
"""
import sqlalchemy as sa
from alembic import op

import marketplace.db_types

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicator_refresh',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('first_month', sa.Date(), nullable=False),
    sa.Column('last_month', sa.Date(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('started_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.Column('finished_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_refresh'))
    )
    op.create_index(op.f('ix_indicator_refresh_finished_at'), 'indicator_refresh',
                    ['finished_at'], unique=False)
    op.create_table('indicator_row',
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('vacancy_id', sa.Integer(), nullable=True),
    sa.Column('dated_on', sa.Date(), nullable=True),
    sa.Column('checkpoint', sa.Date(), nullable=True),
    sa.Column('stage', sa.SmallInteger(), nullable=True),
    sa.Column('detail', sa.String(length=40), nullable=False),
    sa.Column('hit', sa.Boolean(), nullable=True),
    sa.Column('measure', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('claim_ids', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('indicator', 'seq', name=op.f('pk_indicator_row'))
    )
    op.create_index('ix_indicator_row_indicator_month', 'indicator_row',
                    ['indicator', 'month', 'region_id'], unique=False)
    op.create_table('indicator_cell',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('amount_tiyn', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_cell'))
    )
    op.create_index('ix_indicator_cell_month_region', 'indicator_cell', ['month', 'region_id'],
                    unique=False)
    op.create_table('indicator_budget',
    sa.Column('region_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('allocated', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('spent', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.PrimaryKeyConstraint('region_id', name=op.f('pk_indicator_budget'))
    )


def downgrade():
    op.drop_table('indicator_budget')
    op.drop_index('ix_indicator_cell_month_region', table_name='indicator_cell')
    op.drop_table('indicator_cell')
    op.drop_index('ix_indicator_row_indicator_month', table_name='indicator_row')
    op.drop_table('indicator_row')
    op.drop_index(op.f('ix_indicator_refresh_finished_at'), table_name='indicator_refresh')
    op.drop_table('indicator_refresh')
