"""Initial schema: accounts, reference data, candidate profiles, employers, vacancies, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Reviewed by hand: constraint names follow the metadata naming convention; enums are
CHECK-constrained on SQLite and native types on PostgreSQL (dropped explicitly on downgrade).
"""
import sqlalchemy as sa
from alembic import op

import marketplace.db_types


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('region',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name_kk', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region')),
    sa.UniqueConstraint('code', name=op.f('uq_region_code'))
    )
    op.create_table('sector',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_kk', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sector')),
    sa.UniqueConstraint('code', name=op.f('uq_sector_code'))
    )
    op.create_table('skill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_kk', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill')),
    sa.UniqueConstraint('code', name=op.f('uq_skill_code'))
    )
    op.create_table('city',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('name_kk', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_city_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_city')),
    sa.UniqueConstraint('code', name=op.f('uq_city_code'))
    )
    with op.batch_alter_table('city', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_city_region_id'), ['region_id'], unique=False)

    op.create_table('employer_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bin', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('contact_phone', sa.String(length=16), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('status', sa.Enum('pending', 'verified', 'rejected', name='verification_status', create_constraint=True), nullable=False),
    sa.Column('fair_chance_pledge', sa.Boolean(), nullable=False),
    sa.Column('created_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_employer_organisation_region_id_region')),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], name=op.f('fk_employer_organisation_sector_id_sector')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer_organisation')),
    sa.UniqueConstraint('bin', name=op.f('uq_employer_organisation_bin'))
    )
    with op.batch_alter_table('employer_organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_organisation_region_id'), ['region_id'], unique=False)

    op.create_table('occupation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('isco', sa.String(length=8), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('hazardous', sa.Boolean(), nullable=False),
    sa.Column('name_kk', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['occupation.id'], name=op.f('fk_occupation_parent_id_occupation')),
    sa.ForeignKeyConstraint(['sector_id'], ['sector.id'], name=op.f('fk_occupation_sector_id_sector')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occupation')),
    sa.UniqueConstraint('code', name=op.f('uq_occupation_code'))
    )
    with op.batch_alter_table('occupation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occupation_parent_id'), ['parent_id'], unique=False)

    op.create_table('skill_synonym',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_skill_synonym_skill_id_skill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_synonym')),
    sa.UniqueConstraint('skill_id', 'language', 'name', name=op.f('uq_skill_synonym_skill_id'))
    )
    with op.batch_alter_table('skill_synonym', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_synonym_skill_id'), ['skill_id'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=16), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('candidate', 'employer', 'staff', 'admin', name='user_role', create_constraint=True), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.Column('last_login_at', marketplace.db_types.UTCDateTime(), nullable=True),
    sa.Column('password_changed_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('email IS NOT NULL OR phone IS NOT NULL', name=op.f('ck_user_has_login')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_user_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email')),
    sa.UniqueConstraint('phone', name=op.f('uq_user_phone'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)

    op.create_table('candidate_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('iin', sa.String(length=12), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('desired_occupation_id', sa.Integer(), nullable=True),
    sa.Column('desired_title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('experience_years', sa.SmallInteger(), nullable=True),
    sa.Column('discoverable', sa.Boolean(), nullable=False),
    sa.Column('created_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_candidate_profile_city_id_city')),
    sa.ForeignKeyConstraint(['desired_occupation_id'], ['occupation.id'], name=op.f('fk_candidate_profile_desired_occupation_id_occupation')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_candidate_profile_region_id_region')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_candidate_profile_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_profile')),
    sa.UniqueConstraint('iin', name=op.f('uq_candidate_profile_iin')),
    sa.UniqueConstraint('user_id', name=op.f('uq_candidate_profile_user_id'))
    )
    with op.batch_alter_table('candidate_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_profile_region_id'), ['region_id'], unique=False)

    op.create_table('organisation_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('owner', 'member', name='member_role', create_constraint=True), nullable=False),
    sa.Column('created_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['employer_organisation.id'], name=op.f('fk_organisation_member_organisation_id_employer_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_organisation_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_member')),
    sa.UniqueConstraint('organisation_id', 'user_id', name=op.f('uq_organisation_member_organisation_id'))
    )
    with op.batch_alter_table('organisation_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_member_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_member_user_id'), ['user_id'], unique=False)

    op.create_table('skill_occupation',
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('occupation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['occupation_id'], ['occupation.id'], name=op.f('fk_skill_occupation_occupation_id_occupation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_skill_occupation_skill_id_skill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('skill_id', 'occupation_id', name=op.f('pk_skill_occupation'))
    )
    op.create_table('vacancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('occupation_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('salary_min', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('salary_max', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('schedule', sa.Enum('day', 'shifts', 'night', 'rotational', name='schedule', create_constraint=True), nullable=False),
    sa.Column('positions', sa.SmallInteger(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('closing_date', sa.Date(), nullable=True),
    sa.Column('hazardous', sa.Boolean(), nullable=False),
    sa.Column('existing_permanent_post', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'open', 'closed', 'filled', name='vacancy_status', create_constraint=True), nullable=False),
    sa.Column('created_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', marketplace.db_types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('positions >= 1', name=op.f('ck_vacancy_positions_positive')),
    sa.CheckConstraint('salary_max IS NULL OR salary_min IS NULL OR salary_max >= salary_min', name=op.f('ck_vacancy_salary_range_ordered')),
    sa.CheckConstraint('salary_min IS NULL OR salary_min >= 0', name=op.f('ck_vacancy_salary_min_nonneg')),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_vacancy_city_id_city')),
    sa.ForeignKeyConstraint(['occupation_id'], ['occupation.id'], name=op.f('fk_vacancy_occupation_id_occupation')),
    sa.ForeignKeyConstraint(['organisation_id'], ['employer_organisation.id'], name=op.f('fk_vacancy_organisation_id_employer_organisation')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_vacancy_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy'))
    )
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_occupation_id'), ['occupation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancy_status'), ['status'], unique=False)

    op.create_table('candidate_skill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('free_text', sa.String(length=200), nullable=True),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('years', sa.SmallInteger(), nullable=True),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_candidate_skill_level_range')),
    sa.CheckConstraint('skill_id IS NOT NULL OR free_text IS NOT NULL', name=op.f('ck_candidate_skill_skill_or_text')),
    sa.ForeignKeyConstraint(['profile_id'], ['candidate_profile.id'], name=op.f('fk_candidate_skill_profile_id_candidate_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_candidate_skill_skill_id_skill')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_skill'))
    )
    with op.batch_alter_table('candidate_skill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_skill_profile_id'), ['profile_id'], unique=False)

    op.create_table('vacancy_skill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_vacancy_skill_skill_id_skill')),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_vacancy_skill_vacancy_id_vacancy'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_skill')),
    sa.UniqueConstraint('vacancy_id', 'skill_id', name=op.f('uq_vacancy_skill_vacancy_id'))
    )
    with op.batch_alter_table('vacancy_skill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_skill_vacancy_id'), ['vacancy_id'], unique=False)



def downgrade():
    with op.batch_alter_table('vacancy_skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_skill_vacancy_id'))

    op.drop_table('vacancy_skill')
    with op.batch_alter_table('candidate_skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_skill_profile_id'))

    op.drop_table('candidate_skill')
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_status'))
        batch_op.drop_index(batch_op.f('ix_vacancy_region_id'))
        batch_op.drop_index(batch_op.f('ix_vacancy_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_vacancy_occupation_id'))

    op.drop_table('vacancy')
    op.drop_table('skill_occupation')
    with op.batch_alter_table('organisation_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_member_organisation_id'))

    op.drop_table('organisation_member')
    with op.batch_alter_table('candidate_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_profile_region_id'))

    op.drop_table('candidate_profile')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    op.drop_table('user')
    with op.batch_alter_table('skill_synonym', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_synonym_skill_id'))

    op.drop_table('skill_synonym')
    with op.batch_alter_table('occupation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occupation_parent_id'))

    op.drop_table('occupation')
    with op.batch_alter_table('employer_organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_organisation_region_id'))

    op.drop_table('employer_organisation')
    with op.batch_alter_table('city', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_city_region_id'))

    op.drop_table('city')
    op.drop_table('skill')
    op.drop_table('sector')
    op.drop_table('region')
    for enum_name in ("vacancy_status", "schedule", "member_role", "user_role",
                      "verification_status"):
        sa.Enum(name=enum_name).drop(op.get_bind(), checkfirst=True)
