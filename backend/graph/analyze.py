"""The canvas's live view of a draft: every problem and every shape that can be known.

``validate_graph`` stops at the first failing tier, which is right for a save. A draft on
the canvas is half-built most of the time, and the user still wants the shapes of the
part that is connected, so this runs every tier over whatever parses: a node whose
parameters are wrong, or that sits on a cycle, is reported and the branch after it has
no shape; everything else keeps its shape and parameter count.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from pydantic import TypeAdapter, ValidationError

from backend.errors import InvalidInput, Problem, ProblemCollector
from backend.graph.checks import check_structure
from backend.graph.params import ParamCount, count_params, total
from backend.graph.schema import Edge, GraphSpec, Node
from backend.graph.shapes import Shape, infer_shapes
from backend.graph.validate import validate_graph

_NODE = TypeAdapter(Node)
LOC = ("graph",)


@dataclass
class Analysis:
    problems: list[Problem] = field(default_factory=list)
    shapes: dict[str, Shape] = field(default_factory=dict)
    params: dict[str, ParamCount] = field(default_factory=dict)
    output_id: str | None = None

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def totals(self) -> ParamCount:
        return total(self.params)


def analyze_graph(document: Any) -> Analysis:
    try:
        validated = validate_graph(document, LOC)
    except InvalidInput:
        pass  # a draft: find out everything that can be known, below
    else:
        return Analysis([], validated.shapes, validated.params, validated.output_id)
    problems = ProblemCollector()
    if not isinstance(document, dict) or not isinstance(document.get("nodes"), list):
        problems.add([*LOC, "nodes"], "the graph needs a list of nodes")
        return Analysis(problems.problems)
    nodes, stand_ins = _parse_nodes(document["nodes"], problems)
    edges = _parse_edges(document.get("edges", []), problems)
    # check_structure reads only ids and types, so stand-ins keep the broken nodes in view.
    everything = GraphSpec.model_construct(nodes=[*nodes, *stand_ins], edges=edges)  # type: ignore[list-item]
    structure = ProblemCollector()
    check_structure(everything, structure)
    problems.problems.extend(_prefixed(structure.problems))
    parsed_ids = {node.id for node in nodes}
    usable = GraphSpec.model_construct(
        nodes=nodes, edges=[e for e in edges if {e.source, e.target} <= parsed_ids]
    )
    shape_problems = ProblemCollector()
    shapes = infer_shapes(usable, _tolerant_order(everything, parsed_ids), shape_problems)
    problems.problems.extend(_prefixed(shape_problems.problems))
    if not problems:  # what validate_graph rejects must never show as valid
        problems.add(list(LOC), "the model graph is not valid")
    return Analysis(problems.problems, shapes, count_params(usable, shapes), None)


def _parse_nodes(
    raw_nodes: list[Any], problems: ProblemCollector
) -> tuple[list[Any], list[SimpleNamespace]]:
    """Nodes that parse, and stand-ins (id and type only) for those that do not."""
    nodes: list[Any] = []
    stand_ins: list[SimpleNamespace] = []
    for index, raw in enumerate(raw_nodes):
        node_id = raw.get("id") if isinstance(raw, dict) else None
        name: str | int = node_id if isinstance(node_id, str) and node_id else index
        try:
            nodes.append(_NODE.validate_python(raw))
        except ValidationError as exc:
            for error in exc.errors():
                path = [p for p in error["loc"] if not _is_union_tag(p)]
                problems.add([*LOC, "nodes", name, *path], str(error["msg"]))
            if isinstance(name, str):
                stand_ins.append(SimpleNamespace(id=name, type=str(raw.get("type", "?"))))
    return nodes, stand_ins


def _parse_edges(raw_edges: Any, problems: ProblemCollector) -> list[Edge]:
    if not isinstance(raw_edges, list):
        problems.add([*LOC, "edges"], "edges must be a list")
        return []
    edges: list[Edge] = []
    for index, raw in enumerate(raw_edges):
        try:
            edges.append(Edge.model_validate(raw))
        except ValidationError as exc:
            for error in exc.errors():
                problems.add([*LOC, "edges", index, *error["loc"]], str(error["msg"]))
    return edges


def _tolerant_order(spec: GraphSpec, usable_ids: set[str]) -> list[str]:
    """Topological order of the parsed nodes, leaving out any node on or after a cycle."""
    incoming: dict[str, set[str]] = defaultdict(set)
    outgoing: dict[str, set[str]] = defaultdict(set)
    ids = list(dict.fromkeys(node.id for node in spec.nodes))
    for edge in spec.edges:
        outgoing[edge.source].add(edge.target)
        incoming[edge.target].add(edge.source)
    indegree = {node_id: len(incoming[node_id]) for node_id in ids}
    ready = deque(node_id for node_id in ids if indegree[node_id] == 0)
    order: list[str] = []
    while ready:
        node_id = ready.popleft()
        order.append(node_id)
        for target in outgoing[node_id]:
            indegree[target] = indegree.get(target, 1) - 1
            if indegree[target] == 0:
                ready.append(target)
    return [node_id for node_id in order if node_id in usable_ids]


def _prefixed(problems: list[Problem]) -> list[Problem]:
    return [Problem((*LOC, *problem.loc), problem.message) for problem in problems]


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part[:1].isupper()


def node_and_param(loc: tuple[str | int, ...]) -> tuple[str | None, str | None]:
    """("graph", "nodes", "dense_1", "params", "units") -> ("dense_1", "units")."""
    if len(loc) < 3 or loc[1] != "nodes" or not isinstance(loc[2], str):
        return None, None
    param = loc[4] if len(loc) > 4 and loc[3] == "params" else None
    return loc[2], str(param) if param is not None else None
