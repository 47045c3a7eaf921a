"""Associations in the open (föreningsmatchning): interest categories, association profiles (draft and
verified version, with a searchable copy), interest requests; bookings and series marked public on the
profile; optional coordinates of sites and areas.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table('interest_categories',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('name_en', sa.String(length=60), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_interest_categories_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_categories')),
    sa.UniqueConstraint('municipality_id', 'name', name=op.f('uq_interest_categories_municipality_id_name'))
    )
    with op.batch_alter_table('interest_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_categories_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('interest_requests',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('association_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('sent', 'answered', 'closed', name='interest_request_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('interests', JSON, nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('gender', sa.Enum('female', 'male', 'other', name='interest_request_gender', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('home_area_id', sa.Uuid(), nullable=True),
    sa.Column('days', JSON, nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('guardian_consent', sa.Boolean(), nullable=False),
    sa.Column('via_counter', sa.Boolean(), nullable=False),
    sa.Column('made_by', sa.Uuid(), nullable=True),
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by', sa.Uuid(), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('age IS NULL OR (age >= 0 AND age <= 120)', name=op.f('ck_interest_requests_age')),
    sa.ForeignKeyConstraint(['answered_by'], ['accounts.id'], name=op.f('fk_interest_requests_answered_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['association_id'], ['associations.id'], name=op.f('fk_interest_requests_association_id_associations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['home_area_id'], ['areas.id'], name=op.f('fk_interest_requests_home_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['made_by'], ['accounts.id'], name=op.f('fk_interest_requests_made_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_interest_requests_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_requests'))
    )
    with op.batch_alter_table('interest_requests', schema=None) as batch_op:
        batch_op.create_index('ix_interest_requests_association_created', ['association_id', 'created_at'], unique=False)
        batch_op.create_index('ix_interest_requests_municipality_created', ['municipality_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_requests_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_requests_sender_hash'), ['sender_hash'], unique=False)

    op.create_table('association_profiles',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('association_id', sa.Uuid(), nullable=False),
    sa.Column('draft', JSON, nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'published', name='profile_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published', JSON, nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verified_by', sa.Uuid(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('age_min', sa.Integer(), nullable=True),
    sa.Column('age_max', sa.Integer(), nullable=True),
    sa.Column('free_to_try', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('accessible', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('interests', JSON, nullable=False),
    sa.Column('areas', JSON, nullable=False),
    sa.Column('languages', JSON, nullable=False),
    sa.Column('for_whom', JSON, nullable=False),
    sa.Column('requests_paused', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['association_id'], ['associations.id'], name=op.f('fk_association_profiles_association_id_associations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['association_contacts.id'], name=op.f('fk_association_profiles_contact_id_association_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_association_profiles_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['verified_by'], ['accounts.id'], name=op.f('fk_association_profiles_verified_by_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_association_profiles')),
    sa.UniqueConstraint('association_id', name=op.f('uq_association_profiles_association_id'))
    )
    with op.batch_alter_table('association_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_association_profiles_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index('ix_association_profiles_municipality_published', ['municipality_id', 'published_at'], unique=False)

    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))

    with op.batch_alter_table('booking_series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_on_profile', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_on_profile', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('public_on_profile')

    with op.batch_alter_table('booking_series', schema=None) as batch_op:
        batch_op.drop_column('public_on_profile')

    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')

    with op.batch_alter_table('association_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_association_profiles_municipality_published')
        batch_op.drop_index(batch_op.f('ix_association_profiles_municipality_id'))

    op.drop_table('association_profiles')
    with op.batch_alter_table('interest_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_requests_sender_hash'))
        batch_op.drop_index(batch_op.f('ix_interest_requests_municipality_id'))
        batch_op.drop_index('ix_interest_requests_municipality_created')
        batch_op.drop_index('ix_interest_requests_association_created')

    op.drop_table('interest_requests')
    with op.batch_alter_table('interest_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_categories_municipality_id'))

    op.drop_table('interest_categories')
