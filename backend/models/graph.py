from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, TimestampMixin


class Graph(TimestampMixin, Base):
    """A named model the canvas edits; its content lives in immutable versions."""

    __tablename__ = "graphs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    versions: Mapped[list[GraphVersion]] = relationship(
        back_populates="graph", order_by="GraphVersion.version"
    )


class GraphVersion(TimestampMixin, Base):
    __tablename__ = "graph_versions"
    __table_args__ = (UniqueConstraint("graph_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    graph_id: Mapped[int] = mapped_column(ForeignKey("graphs.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    schema_version: Mapped[int] = mapped_column(Integer)
    # The validated graph document (backend.graph.schema.GraphSpec as JSON).
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The version this one was edited from (None for a graph's first), and why it was saved.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("graph_versions.id"))
    message: Mapped[str] = mapped_column(Text, default="", server_default="")

    graph: Mapped[Graph] = relationship(back_populates="versions")
