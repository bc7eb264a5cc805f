"""Graphs are named; their content lives in immutable, numbered versions."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from backend.errors import NotFound
from backend.graph.schema import SCHEMA_VERSION
from backend.graph.validate import validate_graph
from backend.graphs import repository
from backend.models.graph import Graph, GraphVersion
from backend.models.project import Project


def create_graph(session: Session, project: Project, name: str, document: Any) -> Graph:
    validated = validate_graph(document)
    graph = Graph(project_id=project.id, name=name)
    session.add(graph)
    session.flush()
    _add_version(session, graph, validated.spec.model_dump(mode="json"))
    session.commit()
    return graph


def add_version(session: Session, project: Project, graph_id: int, document: Any) -> GraphVersion:
    graph = get_or_404(session, project, graph_id)
    validated = validate_graph(document)
    version = _add_version(session, graph, validated.spec.model_dump(mode="json"))
    session.commit()
    return version


def _add_version(session: Session, graph: Graph, spec: dict[str, Any]) -> GraphVersion:
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    version = GraphVersion(
        graph_id=graph.id,
        version=repository.latest_version_number(session, graph.id) + 1,
        schema_version=SCHEMA_VERSION,
        spec=spec,
        content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
    )
    session.add(version)
    session.flush()
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
