from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, TimestampMixin


class Experiment(TimestampMixin, Base):
    """Runs made together to be read together: the folds of one cross-validation."""

    __tablename__ = "experiments"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # "grouped_k_fold" or "leave_one_group_out"
    kind: Mapped[str] = mapped_column(String(40))
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"))
    graph_version_id: Mapped[int] = mapped_column(ForeignKey("graph_versions.id"))
    # As asked for: group column, folds, validation share, seed, the override if any.
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
