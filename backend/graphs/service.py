"""Graphs are named; their content lives in immutable, numbered versions with a history:
each version records the version it was edited from and a message, and old versions can
be compared, restored (as a new version) or forked into a new graph."""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import Conflict, InvalidInput, NotFound, Problem, ProblemCollector
from backend.graph.diff import GraphDiff, diff_graphs
from backend.graph.schema import SCHEMA_VERSION, BackboneNode, GraphSpec
from backend.graph.validate import validate_graph
from backend.graphs import repository
from backend.models.graph import Graph, GraphVersion
from backend.models.project import Project
from backend.weights import repository as weights_repository
from backend.weights.service import TORCHVISION_ARCHITECTURES

# Simultaneous saves of one model race for the next version number; each loser retries after
# a short random pause, so even a burst of saves settles without an error.
SAVE_ATTEMPTS = 20


def create_graph(
    session: Session, project: Project, name: str, document: Any, message: str = ""
) -> Graph:
    validated = validate_graph(document)
    check_weights_files(session, project, validated.spec)
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
    validated = validate_graph(document)
    check_weights_files(session, project, validated.spec)
    spec = validated.spec.model_dump(mode="json")

    def save() -> GraphVersion:
        parent = _parent(session, graph, parent_version_id)
        return _add_version(session, graph, spec, parent, message)

    return _numbered(session, save)


def check_weights_files(
    session: Session, project: Project, spec: GraphSpec, loc: tuple[str, ...] = ("graph",)
) -> None:
    """Every backbone's weights_file is a file this project uploaded, fit for its architecture.

    backend/graph stays pure (no database), so this check of the stored files lives here.
    """
    backbones = [n for n in spec.nodes if isinstance(n, BackboneNode) and n.params.weights_file]
    hashes = {n.params.weights_file or "" for n in backbones}
    rows = weights_repository.by_sha(session, project.id, hashes)
    problems = ProblemCollector()
    for node in backbones:
        sha, architecture = node.params.weights_file or "", node.params.architecture
        where = [*loc, "nodes", node.id, "params", "weights_file"]
        row = rows.get(sha)
        if row is None:
            problems.add(where, f"no uploaded weights file has the sha256 {sha}; upload it to "
                         "/api/weights first")
        elif row.format == "torchvision" and architecture not in TORCHVISION_ARCHITECTURES:
            problems.add(where, f"'{row.filename}' is a torchvision state dict; it loads into "
                         f"{' or '.join(TORCHVISION_ARCHITECTURES)} only, not {architecture}")
        elif row.architecture is not None and row.architecture != architecture:
            problems.add(where, f"'{row.filename}' was uploaded for {row.architecture}, "
                         f"not {architecture}")
    problems.raise_if_any("The model graph is not valid")


def restore(session: Session, project: Project, graph_id: int, version_id: int) -> GraphVersion:
    """The old content as the newest version; history is never rewritten."""
    graph = get_or_404(session, project, graph_id)
    old = version_of(session, graph, version_id)
    spec, message = dict(old.spec), f"Restored version {old.version}"

    def save() -> GraphVersion:
        latest = repository.latest_version(session, graph.id)
        return _add_version(session, graph, spec, latest, message)

    return _numbered(session, save)


def _numbered(session: Session, save: Callable[[], GraphVersion]) -> GraphVersion:
    """Commits a new version; when a simultaneous save took its number, takes the next one.

    Two tabs saving from the same parent both keep their work, as sibling versions.
    """
    for attempt in range(SAVE_ATTEMPTS):
        try:
            version = save()
            session.commit()
            return version
        except Conflict:
            if attempt == SAVE_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.01 * (attempt + 1)))
    raise AssertionError("unreachable")


def fork(session: Session, project: Project, graph_id: int, version_id: int, name: str) -> Graph:
    source = get_or_404(session, project, graph_id)
    old = version_of(session, source, version_id)
    graph = Graph(project_id=project.id, name=name)
    session.add(graph)
    session.flush()
    message = f"Forked from {source.name} version {old.version}"
    _add_version(session, graph, dict(old.spec), None, message)
    session.commit()
    return graph


def diff(session: Session, project: Project, graph_id: int, from_id: int, to_id: int) -> GraphDiff:
    graph = get_or_404(session, project, graph_id)
    return diff_graphs(
        version_of(session, graph, from_id).spec, version_of(session, graph, to_id).spec
    )


def _parent(
    session: Session, graph: Graph, parent_version_id: int | None
) -> GraphVersion | None:
    # Direct queries: loading graph.versions would read every stored spec, so a save
    # would slow down as the history grows (bench/bench_graph_save.py).
    if parent_version_id is None:
        return repository.latest_version(session, graph.id)
    return version_of(session, graph, parent_version_id, ("body", "parent_version_id"))


def version_of(
    session: Session,
    graph: Graph,
    version_id: int,
    loc: tuple[str, ...] = ("query", "version_id"),
) -> GraphVersion:
    found = repository.version_in_graph(session, graph.id, version_id)
    if found is not None:
        return found
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
    name = graph.name  # still readable after the rollback below
    try:
        session.flush()
    except IntegrityError as exc:  # another save took this version number first
        session.rollback()
        raise Conflict(
            f"'{name}' was saved by someone else at the same moment; save again",
            [Problem(("body", "graph"), f"version {version.version} already exists")],
        ) from exc
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
