"""Tier 2: graph structure (one input, acyclic, connected, arity). All problems at once."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping

from backend.errors import ProblemCollector
from backend.graph.schema import GraphSpec

# Node types that join branches: two or more incoming edges, in edge order.
MERGE_TYPES: frozenset[str] = frozenset({"Add", "Concatenate"})


def check_structure(spec: GraphSpec, problems: ProblemCollector) -> list[str] | None:
    """Returns node ids in topological order, or None when the structure is broken."""
    ids = [node.id for node in spec.nodes]
    types = {node.id: node.type for node in spec.nodes}
    seen: set[str] = set()
    for node_id in ids:
        if node_id in seen:
            problems.add(["nodes", node_id], f"the id '{node_id}' is used by more than one node")
        seen.add(node_id)
    inputs = [node_id for node_id in ids if types[node_id] == "Input"]
    if len(inputs) != 1:
        problems.add(["nodes"], f"a model needs exactly one Input node; found {len(inputs)}")
    incoming: dict[str, list[str]] = defaultdict(list)
    outgoing: dict[str, list[str]] = defaultdict(list)
    for index, edge in enumerate(spec.edges):
        for end in (edge.source, edge.target):
            if end not in types:
                problems.add(["edges", index], f"connects to '{end}', which is not a node")
        if edge.source in types and edge.target in types:
            outgoing[edge.source].append(edge.target)
            incoming[edge.target].append(edge.source)
    _check_arity(ids, types, incoming, problems)
    order = _topological_order(ids, outgoing, incoming, problems)
    if order is not None and len(inputs) == 1:
        _check_connected(ids, inputs[0], outgoing, problems)
    return None if problems else order


def _check_arity(
    ids: list[str],
    types: Mapping[str, str],
    incoming: dict[str, list[str]],
    problems: ProblemCollector,
) -> None:
    for node_id in ids:
        count = len(incoming[node_id])
        if types[node_id] == "Input" and count:
            problems.add(["nodes", node_id], "the Input node cannot have incoming connections")
        elif types[node_id] in MERGE_TYPES and count < 2:
            problems.add(
                ["nodes", node_id],
                f"{types[node_id]} '{node_id}' joins branches and needs at least two inputs; "
                f"it has {count}. Connect another branch into it, or remove it",
            )
        elif types[node_id] not in MERGE_TYPES and types[node_id] != "Input" and count != 1:
            what = "is not connected to anything before it" if count == 0 else f"has {count} inputs"
            problems.add(["nodes", node_id], f"{types[node_id]} '{node_id}' {what}; it takes one")


def _topological_order(
    ids: list[str],
    outgoing: dict[str, list[str]],
    incoming: dict[str, list[str]],
    problems: ProblemCollector,
) -> list[str] | None:
    indegree = {node_id: len(set(incoming[node_id])) for node_id in ids}
    ready = deque(node_id for node_id in ids if indegree[node_id] == 0)
    order: list[str] = []
    while ready:
        node_id = ready.popleft()
        order.append(node_id)
        for target in set(outgoing[node_id]):
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    if len(order) < len(set(ids)):
        cyclic = [node_id for node_id in ids if indegree[node_id] > 0]
        problems.add(["edges"], f"the connections form a cycle through {', '.join(cyclic)}")
        return None
    return order


def _check_connected(
    ids: list[str], input_id: str, outgoing: dict[str, list[str]], problems: ProblemCollector
) -> None:
    reachable, stack = {input_id}, [input_id]
    while stack:
        for target in outgoing[stack.pop()]:
            if target not in reachable:
                reachable.add(target)
                stack.append(target)
    for node_id in ids:
        if node_id not in reachable:
            problems.add(["nodes", node_id], f"'{node_id}' cannot be reached from the Input")
    outputs = [node_id for node_id in ids if not outgoing[node_id]]
    if len(outputs) > 1:
        problems.add(
            ["nodes"], f"a model needs one output; these nodes end a branch: {', '.join(outputs)}"
        )
