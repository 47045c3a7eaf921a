"""Holiday draws: a period's wish phase and draw (settings, state, result), the children wished for and
their ranked wishes, the municipality's postcode-to-area table, and a registration's home area.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table('holiday_draws',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('period_id', sa.Uuid(), nullable=False),
    sa.Column('wishes_close_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('max_per_child', sa.Integer(), nullable=False),
    sa.Column('travel_minutes', sa.Integer(), nullable=False),
    sa.Column('weights', JSON, nullable=False),
    sa.Column('priority_areas', JSON, nullable=False),
    sa.Column('status', sa.Enum('wishing', 'previewed', 'published', name='draw_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=True),
    sa.Column('result', JSON, nullable=True),
    sa.Column('run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('max_per_child >= 1 AND max_per_child <= 20', name=op.f('ck_holiday_draws_max_per_child')),
    sa.CheckConstraint('travel_minutes >= 0 AND travel_minutes <= 240', name=op.f('ck_holiday_draws_travel_minutes')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_holiday_draws_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['holiday_periods.id'], name=op.f('fk_holiday_draws_period_id_holiday_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday_draws')),
    sa.UniqueConstraint('period_id', name=op.f('uq_holiday_draws_period_id'))
    )
    with op.batch_alter_table('holiday_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holiday_draws_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('postcode_areas',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('postcode', sa.String(length=5), nullable=False),
    sa.Column('area_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_postcode_areas_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_postcode_areas_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postcode_areas')),
    sa.UniqueConstraint('municipality_id', 'postcode', name=op.f('uq_postcode_areas_municipality_id_postcode'))
    )
    with op.batch_alter_table('postcode_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postcode_areas_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_postcode_areas_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('draw_children',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('draw_id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('child_key', sa.String(length=60), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('gender', sa.Enum('female', 'male', 'other', name='draw_child_gender', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('needs', sa.Text(), nullable=True),
    sa.Column('home_area_id', sa.Uuid(), nullable=True),
    sa.Column('max_activities', sa.Integer(), nullable=False),
    sa.Column('group_code', sa.String(length=16), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('max_activities >= 1 AND max_activities <= 20', name=op.f('ck_draw_children_max_activities')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_draw_children_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['draw_id'], ['holiday_draws.id'], name=op.f('fk_draw_children_draw_id_holiday_draws'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['home_area_id'], ['areas.id'], name=op.f('fk_draw_children_home_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_draw_children_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_children')),
    sa.UniqueConstraint('draw_id', 'account_id', 'child_key', 'birth_year', name=op.f('uq_draw_children_draw_id_account_id_child_key_birth_year'))
    )
    with op.batch_alter_table('draw_children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draw_children_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_draw_children_draw_group', ['draw_id', 'group_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_draw_children_draw_id'), ['draw_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draw_children_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('draw_wishes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('favourite', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_draw_wishes_rank')),
    sa.ForeignKeyConstraint(['child_id'], ['draw_children.id'], name=op.f('fk_draw_wishes_child_id_draw_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_draw_wishes_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['activity_sessions.id'], name=op.f('fk_draw_wishes_session_id_activity_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_wishes')),
    sa.UniqueConstraint('child_id', 'rank', name=op.f('uq_draw_wishes_child_id_rank')),
    sa.UniqueConstraint('child_id', 'session_id', name=op.f('uq_draw_wishes_child_id_session_id'))
    )
    with op.batch_alter_table('draw_wishes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draw_wishes_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draw_wishes_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('activity_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_area_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_activity_registrations_home_area_id_areas'), 'areas', ['home_area_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('activity_registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_activity_registrations_home_area_id_areas'), type_='foreignkey')
        batch_op.drop_column('home_area_id')

    with op.batch_alter_table('draw_wishes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draw_wishes_session_id'))
        batch_op.drop_index(batch_op.f('ix_draw_wishes_municipality_id'))

    op.drop_table('draw_wishes')
    with op.batch_alter_table('draw_children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draw_children_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_draw_children_draw_id'))
        batch_op.drop_index('ix_draw_children_draw_group')
        batch_op.drop_index(batch_op.f('ix_draw_children_account_id'))

    op.drop_table('draw_children')
    with op.batch_alter_table('postcode_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postcode_areas_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_postcode_areas_area_id'))

    op.drop_table('postcode_areas')
    with op.batch_alter_table('holiday_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holiday_draws_municipality_id'))

    op.drop_table('holiday_draws')
