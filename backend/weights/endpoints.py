from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from backend.deps import CurrentProject, DbSession, SettingsDep
from backend.weights import repository, service
from backend.weights.schemas import WeightsFilePublic, WeightsFilesPublic

router = APIRouter(prefix="/api/weights", tags=["weights"])


@router.post("", response_model=WeightsFilePublic, status_code=status.HTTP_201_CREATED)
async def upload_weights(
    response: Response,
    session: DbSession,
    project: CurrentProject,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description=service.KINDS_TEXT)],
    architecture: Annotated[
        str | None, Form(description="the backbone it is for (optional)")
    ] = None,
) -> WeightsFilePublic:
    """Stores a backbone weights file; use its sha256 as a Backbone's weights_file.

    201 for new bytes; 200 with the stored record when this project has them already.
    """
    filename = file.filename or ""
    kind = service.check_names(filename, architecture or None)
    received = await run_in_threadpool(service.receive, file.file, settings)
    try:
        service.check_content(received, filename, kind)
    except BaseException:
        received.path.unlink(missing_ok=True)
        raise
    row, created = await run_in_threadpool(
        service.store, session, project, received, filename, kind, architecture or None, settings
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return WeightsFilePublic.model_validate(row)


@router.get("", response_model=WeightsFilesPublic)
def list_weights(session: DbSession, project: CurrentProject) -> WeightsFilesPublic:
    rows = repository.list_for_project(session, project.id)
    return WeightsFilesPublic(
        data=[WeightsFilePublic.model_validate(r) for r in rows], count=len(rows)
    )


@router.get("/{weights_id}", response_model=WeightsFilePublic)
def get_weights(weights_id: int, session: DbSession, project: CurrentProject) -> WeightsFilePublic:
    return WeightsFilePublic.model_validate(service.get_or_404(session, project, weights_id))
