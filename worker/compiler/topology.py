"""Graph structure checks and the build order, before any Keras call.

The API validates the same rules, but a stored graph may predate a rule, and a
loop here would hang a worker; so every structural problem is collected and
reported at once, with its location.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from backend.errors import ProblemCollector
from backend.graph.schema import GraphSpec, InputNode, Node
from worker.compiler.errors import CompileError
from worker.compiler.registry import builder_for


@dataclass(frozen=True)
class Plan:
    order: list[Node]  # every node after all of its inputs
    inbound: dict[str, list[str]]  # node id -> source node ids, in edge order
    input_id: str
    output_id: str


def plan(spec: GraphSpec) -> Plan:
    problems = ProblemCollector()
    nodes = _index_nodes(spec, problems)
    inbound: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    outbound: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for i, edge in enumerate(spec.edges):
        for end, node_id in (("source", edge.source), ("target", edge.target)):
            if node_id not in nodes:
                problems.add(("edges", i, end), f"Edge {i} refers to a missing node '{node_id}'")
        if edge.source in nodes and edge.target in nodes:
            inbound[edge.target].append(edge.source)
            outbound[edge.source].append(edge.target)
    _check_arity(nodes, inbound, problems)
    inputs = [n.id for n in nodes.values() if isinstance(n, InputNode)]
    if len(inputs) != 1:
        problems.add(("nodes",), f"The graph needs exactly one Input node; it has {len(inputs)}")
    outputs = [node_id for node_id, targets in outbound.items() if not targets]
    if len(outputs) != 1:
        problems.add(
            ("nodes",),
            "The graph must end in exactly one output node; these nodes have no outgoing "
            f"edge: {', '.join(repr(o) for o in outputs) or 'none'}",
        )
    order = _topological_order(nodes, inbound, outbound, problems)
    problems.raise_if_any("The model graph is not valid", CompileError)
    return Plan(order, inbound, inputs[0], outputs[0])


def _index_nodes(spec: GraphSpec, problems: ProblemCollector) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for i, node in enumerate(spec.nodes):
        if node.id in nodes:
            problems.add(("nodes", i, "id"), f"Node id '{node.id}' is used twice")
        nodes[node.id] = node
    return nodes


def _check_arity(
    nodes: dict[str, Node], inbound: dict[str, list[str]], problems: ProblemCollector
) -> None:
    for node_id, node in nodes.items():
        builder = builder_for(node)
        if builder is None:
            problems.add(("nodes", node_id, "type"), f"No builder for node type '{node.type}'")
            continue
        got = len(inbound[node_id])
        if not builder.accepts(got):
            wanted = f"at least {builder.arity}" if builder.variadic else str(builder.arity)
            problems.add(
                ("nodes", node_id),
                f"{node.type} '{node_id}' takes {wanted} incoming edge(s); it has {got}",
            )


def _topological_order(
    nodes: dict[str, Node],
    inbound: dict[str, list[str]],
    outbound: dict[str, list[str]],
    problems: ProblemCollector,
) -> list[Node]:
    # Kahn's algorithm in the spec's node order, so builds are reproducible.
    waiting = {node_id: len(sources) for node_id, sources in inbound.items()}
    ready = deque(node_id for node_id, count in waiting.items() if count == 0)
    order: list[Node] = []
    while ready:
        node_id = ready.popleft()
        order.append(nodes[node_id])
        for target in outbound[node_id]:
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    for node_id, count in waiting.items():
        if count > 0:
            problems.add(("nodes", node_id), f"Node '{node_id}' is part of a cycle")
    return order
