from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from sqlalchemy.orm import object_session

from backend.deps import CurrentProject, DbSession
from backend.graph.codegen import generate_script, script_filename
from backend.graph.diff import GraphDiff
from backend.graph.validate import validate_graph
from backend.graphs import repository, service
from backend.graphs.importer import import_keras_file
from backend.graphs.schemas import (
    GraphCreate,
    GraphFork,
    GraphPublic,
    GraphRestore,
    GraphsPublic,
    GraphValidate,
    GraphValidation,
    GraphVersionCreate,
    GraphVersionPublic,
    GraphVersionsPublic,
    ParamCountPublic,
)
from backend.graphs.templates import GraphTemplate, templates
from backend.models.graph import Graph, GraphVersion
from backend.runs import service as runs_service
from backend.runs.hyperparameters import Hyperparameters

router = APIRouter(prefix="/api", tags=["graphs"])


def _public(graph: Graph, latest: GraphVersion | None = None) -> GraphPublic:
    # One query for the latest version: graph.versions would load every stored spec.
    return GraphPublic(
        id=graph.id,
        project_id=graph.project_id,
        name=graph.name,
        created_at=graph.created_at,
        latest_version=GraphVersionPublic.model_validate(latest or _latest(graph)),
    )


def _latest(graph: Graph) -> GraphVersion:
    session = object_session(graph)
    latest = repository.latest_version(session, graph.id) if session else None
    assert latest is not None, "a graph always has a first version"
    return latest


@router.post("/graphs", response_model=GraphPublic, status_code=status.HTTP_201_CREATED)
def create_graph(body: GraphCreate, session: DbSession, project: CurrentProject) -> GraphPublic:
    return _public(service.create_graph(session, project, body.name, body.graph, body.message))


@router.post("/graphs/import", response_model=GraphPublic, status_code=status.HTTP_201_CREATED)
def import_graph(
    session: DbSession,
    project: CurrentProject,
    file: Annotated[UploadFile, File(description="A .keras file (model.save)")],
    name: Annotated[str | None, Form(max_length=200, description="default: the file name")] = None,
) -> GraphPublic:
    """A saved Keras model's architecture as a new graph. Weights are not imported."""
    filename = file.filename or "model.keras"
    return _public(import_keras_file(session, project, file.file, filename, name))


@router.get("/graphs", response_model=GraphsPublic)
def list_graphs(session: DbSession, project: CurrentProject) -> GraphsPublic:
    graphs = repository.list_for_project(session, project.id)
    return GraphsPublic(data=[_public(g) for g in graphs], count=len(graphs))


@router.get("/graphs/{graph_id}", response_model=GraphPublic)
def get_graph(graph_id: int, session: DbSession, project: CurrentProject) -> GraphPublic:
    return _public(service.get_or_404(session, project, graph_id))


@router.post(
    "/graphs/{graph_id}/versions",
    response_model=GraphVersionPublic,
    status_code=status.HTTP_201_CREATED,
)
def add_version(
    graph_id: int, body: GraphVersionCreate, session: DbSession, project: CurrentProject
) -> GraphVersionPublic:
    version = service.add_version(
        session, project, graph_id, body.graph, body.message, body.parent_version_id
    )
    return GraphVersionPublic.model_validate(version)


@router.get("/graphs/{graph_id}/versions", response_model=GraphVersionsPublic)
def list_versions(
    graph_id: int, session: DbSession, project: CurrentProject
) -> GraphVersionsPublic:
    """The history, newest first."""
    versions = list(reversed(service.get_or_404(session, project, graph_id).versions))
    return GraphVersionsPublic(
        data=[GraphVersionPublic.model_validate(v) for v in versions], count=len(versions)
    )


@router.get("/graphs/{graph_id}/diff", response_model=GraphDiff)
def diff_versions(
    graph_id: int,
    session: DbSession,
    project: CurrentProject,
    from_version: Annotated[int, Query(alias="from", description="a version id")],
    to_version: Annotated[int, Query(alias="to", description="a version id")],
) -> GraphDiff:
    """Nodes added, removed and changed (with each parameter before and after), and edges."""
    return service.diff(session, project, graph_id, from_version, to_version)


@router.post(
    "/graphs/{graph_id}/restore",
    response_model=GraphVersionPublic,
    status_code=status.HTTP_201_CREATED,
)
def restore_version(
    graph_id: int, body: GraphRestore, session: DbSession, project: CurrentProject
) -> GraphVersionPublic:
    """An older version's content saved again as the newest version."""
    return GraphVersionPublic.model_validate(
        service.restore(session, project, graph_id, body.version_id)
    )


@router.post("/graphs/{graph_id}/fork", response_model=GraphPublic, status_code=201)
def fork_graph(
    graph_id: int, body: GraphFork, session: DbSession, project: CurrentProject
) -> GraphPublic:
    """A new graph whose first version is a copy of the given version."""
    return _public(service.fork(session, project, graph_id, body.version_id, body.name))


@router.get("/graph-templates", response_model=list[GraphTemplate])
def list_templates(
    classes: Annotated[int, Query(ge=2, le=100_000, description="output classes")] = 3,
) -> list[GraphTemplate]:
    """Starting points: the paper's topologies and a small CNN, for N classes."""
    return templates(classes)


@router.get("/graph-versions/{version_id}", response_model=GraphVersionPublic)
def get_version(version_id: int, session: DbSession, project: CurrentProject) -> GraphVersionPublic:
    return GraphVersionPublic.model_validate(
        service.get_version_or_404(session, project, version_id)
    )


@router.get(
    "/graph-versions/{version_id}/code",
    response_class=Response,
    responses={200: {"content": {"text/x-python": {}}, "description": "A Python script"}},
)
def get_version_code(version_id: int, session: DbSession, project: CurrentProject) -> Response:
    """The version as a runnable Keras 3 script that builds the same model (View code)."""
    return _script(service.get_version_or_404(session, project, version_id))


@router.get(
    "/runs/{run_id}/code",
    response_class=Response,
    responses={200: {"content": {"text/x-python": {}}, "description": "A Python script"}},
)
def get_run_code(run_id: int, session: DbSession, project: CurrentProject) -> Response:
    """The run's model plus its training settings (compile, callbacks, fit) as a script."""
    run = runs_service.get_or_404(session, project, run_id)
    version = service.get_version_or_404(session, project, run.graph_version_id)
    hyperparameters = Hyperparameters.model_validate(run.hyperparameters).model_dump(mode="json")
    return _script(version, (run.id, hyperparameters))


def _script(version: GraphVersion, run: tuple[int, dict[str, Any]] | None = None) -> Response:
    name = version.graph.name
    title = f"{name} (version {version.version}" + (f", run {run[0]})" if run else ")")
    script = generate_script(version.spec, title=title, run=run)
    filename = script_filename(name, version.version, run[0] if run else None)
    return Response(
        script,
        media_type="text/x-python",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.post("/graphs/validate", response_model=GraphValidation)
def validate(body: GraphValidate) -> GraphValidation:
    """Checks a graph without storing it (the canvas calls this as the user edits)."""
    validated = validate_graph(body.graph)
    totals = validated.total_params
    return GraphValidation(
        valid=True,
        shapes={node_id: list(shape) for node_id, shape in validated.shapes.items()},
        output=validated.output_id,
        params={
            node_id: ParamCountPublic(trainable=c.trainable, non_trainable=c.non_trainable)
            for node_id, c in validated.params.items()
        },
        totals=ParamCountPublic(trainable=totals.trainable, non_trainable=totals.non_trainable),
    )
