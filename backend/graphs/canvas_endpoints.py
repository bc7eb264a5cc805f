"""What the canvas asks while the user edits: the layer catalogue and a live draft analysis.

Neither stores anything: a draft is not kept until the user saves a version.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from backend.deps import CurrentProject, DbSession
from backend.errors import InvalidInput
from backend.graph.analyze import analyze_graph, node_and_param
from backend.graph.catalogue import graph_schema
from backend.graph.schema import GraphSpec
from backend.graphs.schemas import GraphValidate, ParamCountPublic
from backend.graphs.service import check_weights_files

router = APIRouter(prefix="/api", tags=["canvas"])


class DraftProblem(BaseModel):
    loc: list[str | int]
    message: str
    node_id: str | None
    param: str | None


class DraftAnalysis(BaseModel):
    valid: bool
    problems: list[DraftProblem]
    # Node id -> output shape without the batch axis, wherever it can be known.
    shapes: dict[str, list[int]]
    params: dict[str, ParamCountPublic]
    totals: ParamCountPublic
    output: str | None


@router.get("/graph-schema")
def get_graph_schema() -> dict[str, Any]:
    """Every layer kind with the JSON Schema of its parameters, and the palette's entries."""
    return graph_schema()


@router.post("/graphs/analyze", response_model=DraftAnalysis)
def analyze(body: GraphValidate, session: DbSession, project: CurrentProject) -> DraftAnalysis:
    """Problems, shapes and parameter counts of a draft, complete or not (always 200)."""
    analysis = analyze_graph(body.graph)
    if analysis.valid:  # what only the database knows: uploaded weights files
        try:
            check_weights_files(session, project, GraphSpec.model_validate(body.graph))
        except InvalidInput as exc:
            analysis.problems.extend(exc.problems)
    problems = []
    for problem in analysis.problems:
        node_id, param = node_and_param(problem.loc)
        problems.append(DraftProblem(loc=list(problem.loc), message=problem.message,
                                     node_id=node_id, param=param))
    totals = analysis.totals
    return DraftAnalysis(
        valid=analysis.valid,
        problems=problems,
        shapes={node_id: list(shape) for node_id, shape in analysis.shapes.items()},
        params={
            node_id: ParamCountPublic(trainable=c.trainable, non_trainable=c.non_trainable)
            for node_id, c in analysis.params.items()
        },
        totals=ParamCountPublic(trainable=totals.trainable, non_trainable=totals.non_trainable),
        output=analysis.output_id,
    )
