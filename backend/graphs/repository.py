from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models.graph import Graph, GraphVersion


def get(session: Session, project_id: int, graph_id: int) -> Graph | None:
    graph = session.get(Graph, graph_id)
    return graph if graph is not None and graph.project_id == project_id else None


def get_version(session: Session, project_id: int, version_id: int) -> GraphVersion | None:
    version = session.get(GraphVersion, version_id)
    if version is None or version.graph.project_id != project_id:
        return None
    return version


def latest_version_number(session: Session, graph_id: int) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.max(GraphVersion.version), 0)).where(
                GraphVersion.graph_id == graph_id
            )
        )
        or 0
    )


def latest_version(session: Session, graph_id: int) -> GraphVersion | None:
    return session.scalars(
        select(GraphVersion)
        .where(GraphVersion.graph_id == graph_id)
        .order_by(GraphVersion.version.desc())
        .limit(1)
    ).first()


def version_in_graph(session: Session, graph_id: int, version_id: int) -> GraphVersion | None:
    version = session.get(GraphVersion, version_id)
    return version if version is not None and version.graph_id == graph_id else None


def list_for_project(session: Session, project_id: int) -> Sequence[Graph]:
    return session.scalars(
        select(Graph).where(Graph.project_id == project_id).order_by(Graph.id.desc())
    ).all()
