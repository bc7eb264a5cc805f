from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, TimestampMixin


class Dataset(TimestampMixin, Base):
    """An immutable, stored dataset: files under storage, one item row per file."""

    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("project_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # "image" datasets train; "audio" ones are converted to spectrogram images first.
    kind: Mapped[str] = mapped_column(String(20), default="image", server_default="image")
    content_hash: Mapped[str] = mapped_column(String(64))
    source_filename: Mapped[str] = mapped_column(String(500))
    num_items: Mapped[int] = mapped_column(Integer)
    classes: Mapped[list[str]] = mapped_column(JSON)
    class_counts: Mapped[dict[str, int]] = mapped_column(JSON)
    # Relative to the storage root, so storage can move between machines.
    storage_path: Mapped[str] = mapped_column(String(500))
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A version derived from another (relabelled, classes merged or dropped) shares its
    # files and records how it was made; an upload has neither.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id"), index=True)
    derivation: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    items: Mapped[list[DatasetItem]] = relationship(
        back_populates="dataset", cascade="all, delete-orphan", order_by="DatasetItem.id"
    )


class DatasetItem(Base):
    __tablename__ = "dataset_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    # Relative to the dataset's storage folder.
    path: Mapped[str] = mapped_column(String(1000))
    label: Mapped[str] = mapped_column(String(200))
    # Every other CSV column (speaker, session...), kept for grouping later.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    dataset: Mapped[Dataset] = relationship(back_populates="items")
