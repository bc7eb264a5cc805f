from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, TimestampMixin, utcnow
from backend.models.dataset import Dataset
from backend.models.graph import GraphVersion


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self in (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)


class Run(TimestampMixin, Base):
    """One immutable training job: graph version + dataset + hyperparameters."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    graph_version_id: Mapped[int] = mapped_column(ForeignKey("graph_versions.id"), index=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored as plain strings (not a DB enum) so new states need no type migration.
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.QUEUED.value, index=True)
    hyperparameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    task_id: Mapped[str | None] = mapped_column(String(200))
    worker: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error_message: Mapped[str | None] = mapped_column(Text)
    # The full traceback, for the run's log; never shown as the message.
    log: Mapped[str] = mapped_column(Text, default="")
    num_params: Mapped[int | None] = mapped_column(Integer)
    epochs_completed: Mapped[int] = mapped_column(Integer, default=0)
    latest_metrics: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    test_metrics: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # Relative to the storage root.
    model_path: Mapped[str | None] = mapped_column(String(500))

    # The split as asked for (percentages, fixed test CSV, group column, seed) and the item
    # assignment computed from it when the run was created, so the worker and every later
    # reader see the same split.
    split: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    split_assignment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Items per part and class (and group), so run listings need not load the items.
    split_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The leakage audit at creation, and the user's reason for starting despite leaks.
    leakage_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    leakage_override: Mapped[str | None] = mapped_column(Text)
    # The cross-validation this run is a fold of (1-based), if any.
    experiment_id: Mapped[int | None] = mapped_column(ForeignKey("experiments.id"), index=True)
    fold: Mapped[int | None] = mapped_column(Integer)

    # What the run is doing now, in words ("compiling the model", "epoch 3 of 10").
    phase: Mapped[str | None] = mapped_column(String(200))
    cancel_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A run-level lease: the worker training it renews lease_expires_at; an expired lease on
    # a running run means its worker died, and another worker resumes it from checkpoint.
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempt: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The last epoch whose checkpoint is complete (0: none yet).
    checkpoint_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    device: Mapped[str | None] = mapped_column(String(200))
    # The latest batch progress {epoch, epochs, batch, batches, eta_seconds}, written
    # about once a second while training (the live feed carries every update).
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Free-form labels for finding runs later; annotations, so they may change after the
    # run is created, unlike everything that defines what was trained.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    graph_version: Mapped[GraphVersion] = relationship()
    dataset: Mapped[Dataset] = relationship()


class RunEvent(Base):
    """Append-only event log of a run; ``seq`` is the SSE event id."""

    __tablename__ = "run_events"
    __table_args__ = (UniqueConstraint("run_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RunMetric(Base):
    """Append-only metric history (run, key, step, value, timestamp), as MLflow keeps it."""

    __tablename__ = "run_metrics"
    __table_args__ = (UniqueConstraint("run_id", "key", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    step: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
