"""runs: stored split and leakage audit; phase, cancel, lease, checkpoint and device

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 16:05:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('experiments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('graph_version_id', sa.Integer(), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_experiments_dataset_id_datasets')),
    sa.ForeignKeyConstraint(['graph_version_id'], ['graph_versions.id'], name=op.f('fk_experiments_graph_version_id_graph_versions')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_experiments_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiments'))
    )
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experiments_project_id'), ['project_id'], unique=False)

    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('split', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('split_assignment', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('split_summary', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('leakage_report', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('leakage_override', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('experiment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fold', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_runs_experiment_id'), ['experiment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_runs_experiment_id_experiments'), 'experiments', ['experiment_id'], ['id'])
        batch_op.add_column(sa.Column('phase', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('cancel_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lease_owner', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempt', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('checkpoint_epoch', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('device', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('progress', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('tags', sa.JSON(), server_default='[]', nullable=False))
        batch_op.create_index(batch_op.f('ix_runs_lease_expires_at'), ['lease_expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runs_lease_expires_at'))
        batch_op.drop_constraint(batch_op.f('fk_runs_experiment_id_experiments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_runs_experiment_id'))
        batch_op.drop_column('fold')
        batch_op.drop_column('experiment_id')
        for column in ('tags', 'progress', 'device', 'checkpoint_epoch', 'attempt', 'lease_expires_at', 'lease_owner',
                       'cancel_requested_at', 'phase', 'leakage_override', 'leakage_report',
                       'split_summary', 'split_assignment', 'split'):
            batch_op.drop_column(column)
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experiments_project_id'))
    op.drop_table('experiments')
