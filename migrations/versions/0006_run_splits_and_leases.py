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
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('split', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('split_assignment', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('split_summary', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('leakage_report', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('leakage_override', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('phase', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('cancel_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lease_owner', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempt', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('checkpoint_epoch', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('device', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('progress', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_runs_lease_expires_at'), ['lease_expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runs_lease_expires_at'))
        for column in ('progress', 'device', 'checkpoint_epoch', 'attempt', 'lease_expires_at', 'lease_owner',
                       'cancel_requested_at', 'phase', 'leakage_override', 'leakage_report',
                       'split_summary', 'split_assignment', 'split'):
            batch_op.drop_column(column)
