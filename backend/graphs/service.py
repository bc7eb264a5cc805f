"""Graphs are named; their content lives in immutable, numbered versions with a history:
each version records the version it was edited from and a message, and old versions can
be compared, restored (as a new version) or forked into a new graph."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from backend.errors import InvalidInput, NotFound, Problem
from backend.graph.diff import GraphDiff, diff_graphs
from backend.graph.schema import SCHEMA_VERSION
from backend.graph.validate import validate_graph
from backend.graphs import repository
from backend.models.graph import Graph, GraphVersion
from backend.models.project import Project


def create_graph(
    session: Session, project: Project, name: str, document: Any, message: str = ""
) -> Graph:
    validated = validate_graph(document)
    graph = Graph(project_id=project.id, name=name)
    session.add(graph)
    session.flush()
    _add_version(session, graph, validated.spec.model_dump(mode="json"), None, message)
    session.commit()
    return graph


def add_version(
    session: Session,
    project: Project,
    graph_id: int,
    document: Any,
    message: str = "",
    parent_version_id: int | None = None,
) -> GraphVersion:
    graph = get_or_404(session, project, graph_id)
    parent = _parent(graph, parent_version_id)
    validated = validate_graph(document)
    spec = validated.spec.model_dump(mode="json")
    version = _add_version(session, graph, spec, parent, message)
    session.commit()
    return version


def restore(session: Session, project: Project, graph_id: int, version_id: int) -> GraphVersion:
    """The old content as the newest version; history is never rewritten."""
    graph = get_or_404(session, project, graph_id)
    old = version_of(graph, version_id)
    message = f"Restored version {old.version}"
    version = _add_version(session, graph, dict(old.spec), graph.versions[-1], message)
    session.commit()
    return version


def fork(session: Session, project: Project, graph_id: int, version_id: int, name: str) -> Graph:
    source = get_or_404(session, project, graph_id)
    old = version_of(source, version_id)
    graph = Graph(project_id=project.id, name=name)
    session.add(graph)
    session.flush()
    message = f"Forked from {source.name} version {old.version}"
    _add_version(session, graph, dict(old.spec), None, message)
    session.commit()
    return graph


def diff(session: Session, project: Project, graph_id: int, from_id: int, to_id: int) -> GraphDiff:
    graph = get_or_404(session, project, graph_id)
    return diff_graphs(version_of(graph, from_id).spec, version_of(graph, to_id).spec)


def _parent(graph: Graph, parent_version_id: int | None) -> GraphVersion | None:
    if parent_version_id is None:
        return graph.versions[-1] if graph.versions else None
    return version_of(graph, parent_version_id, ("body", "parent_version_id"))


def version_of(
    graph: Graph, version_id: int, loc: tuple[str, ...] = ("query", "version_id")
) -> GraphVersion:
    for version in graph.versions:
        if version.id == version_id:
            return version
    raise InvalidInput(
        f"Graph {graph.id} has no version with id {version_id}",
        [Problem(loc, f"versions of '{graph.name}' are {[v.id for v in graph.versions]}")],
    )


def _add_version(
    session: Session,
    graph: Graph,
    spec: dict[str, Any],
    parent: GraphVersion | None,
    message: str,
) -> GraphVersion:
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    version = GraphVersion(
        graph_id=graph.id,
        version=repository.latest_version_number(session, graph.id) + 1,
        schema_version=SCHEMA_VERSION,
        spec=spec,
        content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        parent_id=parent.id if parent else None,
        message=message,
    )
    session.add(version)
    session.flush()
    session.refresh(graph)  # graph.versions now ends with this one
    return version


def get_or_404(session: Session, project: Project, graph_id: int) -> Graph:
    graph = repository.get(session, project.id, graph_id)
    if graph is None:
        raise NotFound(f"Graph {graph_id} does not exist")
    return graph


def get_version_or_404(session: Session, project: Project, version_id: int) -> GraphVersion:
    version = repository.get_version(session, project.id, version_id)
    if version is None:
        raise NotFound(f"Graph version {version_id} does not exist")
    return version
