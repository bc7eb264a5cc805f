"""Model versions (succeeded runs with a model) and their download bundles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

from backend.deps import CurrentProject, DbSession, SettingsDep
from backend.errors import Conflict, Problem
from backend.model_versions import bundle, service
from backend.model_versions.schemas import ExportPending, ModelVersionPublic, ModelVersionsPublic

router = APIRouter(prefix="/api/models", tags=["models"])
RETRY_AFTER_S = 3


@router.get("", response_model=ModelVersionsPublic)
def list_models(
    session: DbSession, project: CurrentProject, settings: SettingsDep
) -> ModelVersionsPublic:
    root = settings.resolved_storage_dir
    versions = service.public_list(service.list_versions(session, project, root), root)
    return ModelVersionsPublic(data=versions, count=len(versions))


@router.get("/{model_id}", response_model=ModelVersionPublic)
def get_model(
    model_id: int, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> ModelVersionPublic:
    root = settings.resolved_storage_dir
    return service.to_public(service.get_or_error(session, project, model_id, root), root)


@router.get(
    "/{model_id}/download",
    response_class=FileResponse,
    response_model=None,
    responses={202: {"model": ExportPending, "description": "the export is being built"}},
)
def download_model(
    model_id: int, session: DbSession, project: CurrentProject, settings: SettingsDep,
    format: Annotated[str, Query(description="keras, savedmodel or onnx")] = "keras",
) -> FileResponse | JSONResponse:
    """A zip bundle: the model, labels.json, preprocessing.json, model_card.md/.json,
    predict.py (and recipe.json for audio-derived data). SavedModel and ONNX are built by
    the worker on the first request: 202 until then (retry), 409 when it cannot build them."""
    fmt = service.parse_format(format)
    root = settings.resolved_storage_dir
    run = service.get_or_error(session, project, model_id, root)
    state = service.export_state(run, root, fmt)
    if state.status == "failed":
        raise Conflict(state.reason or f"The {fmt} export failed",
                       [Problem(("query", "format"), f"{fmt} is not available for this model")])
    if state.status != "ready":
        if state.status == "not_built":
            service.request_export(run, root, fmt)
        pending = ExportPending(
            format=fmt, status="building",
            message=f"The {fmt} export of model {run.id} is being built; try again shortly",
        )
        return JSONResponse(pending.model_dump(), status_code=202,
                            headers={"Retry-After": str(RETRY_AFTER_S)})
    path = bundle.build_zip(session, run, root, fmt)
    return FileResponse(path, media_type="application/zip",
                        filename=f"{bundle.bundle_name(run, fmt)}.zip",
                        background=BackgroundTask(path.unlink, missing_ok=True))
