"""Runs the validation tiers in order and reports every problem of the first failing tier.

Tier 1 structure (Pydantic) -> tier 2 graph checks -> tier 3 shapes and parameter
counts. The worker's real Keras build is tier 4. Locations use node ids, not list positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from backend.errors import ProblemCollector
from backend.graph.checks import check_structure
from backend.graph.params import ParamCount, count_params, total
from backend.graph.schema import GraphSpec
from backend.graph.shapes import Shape, infer_shapes


@dataclass(frozen=True)
class ValidatedGraph:
    spec: GraphSpec
    order: list[str]
    shapes: dict[str, Shape]
    params: dict[str, ParamCount]

    @property
    def output_id(self) -> str:
        return self.order[-1]

    @property
    def total_params(self) -> ParamCount:
        return total(self.params)


def validate_graph(document: Any, loc: tuple[str, ...] = ("graph",)) -> ValidatedGraph:
    problems = ProblemCollector()
    spec = _parse(document, loc, problems)
    problems.raise_if_any("The model graph is not valid")
    assert spec is not None
    order = check_structure(spec, problems)
    _prefix(problems, loc)
    problems.raise_if_any("The model graph is not valid")
    assert order is not None
    shapes = infer_shapes(spec, order, problems)
    _prefix(problems, loc)
    problems.raise_if_any("The model graph is not valid")
    params = count_params(spec, shapes)
    return ValidatedGraph(spec=spec, order=order, shapes=shapes, params=params)


def _prefix(problems: ProblemCollector, loc: tuple[str, ...]) -> None:
    problems.problems = [
        type(p)(loc + p.loc, p.message) if p.loc[: len(loc)] != loc else p
        for p in problems.problems
    ]


def _parse(document: Any, loc: tuple[str, ...], problems: ProblemCollector) -> GraphSpec | None:
    try:
        return GraphSpec.model_validate(document)
    except ValidationError as exc:
        for error in exc.errors():
            path = _node_ids_for_indexes(document, [p for p in error["loc"] if not _tag(p)])
            problems.add(list(loc) + path, str(error["msg"]))
        return None


def _tag(part: Any) -> bool:
    return isinstance(part, str) and part[:1].isupper()


def _node_ids_for_indexes(document: Any, path: list[Any]) -> list[str | int]:
    # ["nodes", 3, "params", "units"] -> ["nodes", "dense_1", "params", "units"]
    if len(path) >= 2 and path[0] == "nodes" and isinstance(path[1], int):
        try:
            node_id = document["nodes"][path[1]]["id"]
            if isinstance(node_id, str) and node_id:
                return ["nodes", node_id, *path[2:]]
        except (KeyError, IndexError, TypeError):
            pass
    return list(path)
