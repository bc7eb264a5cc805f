from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from backend.datasets import explore, repository, service, versions
from backend.datasets.csv_table import ColumnChoice
from backend.datasets.schemas import (
    DatasetFromUpload,
    DatasetGroups,
    DatasetItemPublic,
    DatasetItemsPublic,
    DatasetPublic,
    DatasetRelabel,
    DatasetsPublic,
)
from backend.deps import CurrentProject, DbSession, SettingsDep
from backend.models.dataset import Dataset, DatasetItem
from backend.models.project import Project
from backend.uploads import service as uploads

router = APIRouter(prefix="/api/datasets", tags=["datasets"])


@router.post("", response_model=DatasetPublic, status_code=status.HTTP_201_CREATED)
async def upload_dataset(
    response: Response,
    session: DbSession,
    project: CurrentProject,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A zip of class folders and/or a CSV")],
    name: Annotated[str | None, Form(max_length=200)] = None,
    path_column: Annotated[str | None, Form(description="CSV column of image paths")] = None,
    label_column: Annotated[str | None, Form(description="CSV column of labels")] = None,
) -> DatasetPublic:
    """One request with the whole zip (for scripts; the browser uses resumable uploads)."""
    path, content_hash = await run_in_threadpool(service.receive_upload, file.file, settings)
    columns = ColumnChoice(path_column or None, label_column or None)
    upload = service.Upload(path, content_hash, file.filename or "upload.zip", name, columns)
    try:
        dataset, created = await run_in_threadpool(
            service.ingest, session, project, upload, settings
        )
    finally:
        path.unlink(missing_ok=True)
    if not created:
        response.status_code = status.HTTP_200_OK
    return DatasetPublic.model_validate(dataset)


@router.post("/from-upload", response_model=DatasetPublic, status_code=status.HTTP_201_CREATED)
def dataset_from_upload(
    body: DatasetFromUpload,
    response: Response,
    session: DbSession,
    project: CurrentProject,
    settings: SettingsDep,
) -> DatasetPublic:
    """Stores a finished resumable upload. On problems the upload is kept for another try."""
    state = uploads.require_complete(settings, body.upload_id)
    upload = service.Upload(
        state.path,
        service.hash_file(state.path),
        state.filename,
        body.name,
        ColumnChoice(body.path_column or None, body.label_column or None),
    )
    dataset, created = service.ingest(session, project, upload, settings)
    uploads.delete(settings, body.upload_id)
    if not created:
        response.status_code = status.HTTP_200_OK
    return DatasetPublic.model_validate(dataset)


@router.post("/{dataset_id}/relabel", response_model=DatasetPublic, status_code=201)
def relabel_dataset(
    dataset_id: int,
    body: DatasetRelabel,
    response: Response,
    session: DbSession,
    project: CurrentProject,
) -> DatasetPublic:
    """A new version with classes renamed, merged or dropped; the original stays."""
    parent = service.get_or_404(session, project, dataset_id)
    dataset, created = versions.relabel(session, project, parent, body.mapping, body.name)
    if not created:
        response.status_code = status.HTTP_200_OK
    return DatasetPublic.model_validate(dataset)


@router.get("", response_model=DatasetsPublic)
def list_datasets(session: DbSession, project: CurrentProject) -> DatasetsPublic:
    datasets = repository.list_for_project(session, project.id)
    return DatasetsPublic(
        data=[DatasetPublic.model_validate(d) for d in datasets], count=len(datasets)
    )


@router.get("/{dataset_id}", response_model=DatasetPublic)
def get_dataset(dataset_id: int, session: DbSession, project: CurrentProject) -> DatasetPublic:
    return DatasetPublic.model_validate(service.get_or_404(session, project, dataset_id))


@router.get("/{dataset_id}/groups", response_model=DatasetGroups)
def get_groups(dataset_id: int, session: DbSession, project: CurrentProject) -> DatasetGroups:
    dataset = service.get_or_404(session, project, dataset_id)
    return DatasetGroups(columns=explore.groups(dataset))


@router.get("/{dataset_id}/items", response_model=DatasetItemsPublic)
def list_items(
    dataset_id: int,
    session: DbSession,
    project: CurrentProject,
    label: Annotated[str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> DatasetItemsPublic:
    dataset = service.get_or_404(session, project, dataset_id)
    items, total = explore.item_page(session, dataset, label, offset, limit)
    return DatasetItemsPublic(
        data=[DatasetItemPublic.model_validate(i) for i in items], count=total
    )


@router.get("/{dataset_id}/items/{item_id}/thumbnail", response_class=FileResponse)
def item_thumbnail(
    dataset_id: int,
    item_id: int,
    session: DbSession,
    project: CurrentProject,
    settings: SettingsDep,
) -> FileResponse:
    dataset, item = _dataset_item(session, project, dataset_id, item_id)
    path = explore.thumbnail_path(settings.resolved_storage_dir, dataset, item)
    return FileResponse(
        path,
        media_type="image/png",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


@router.get("/{dataset_id}/items/{item_id}/image", response_class=FileResponse)
def item_image(
    dataset_id: int,
    item_id: int,
    session: DbSession,
    project: CurrentProject,
    settings: SettingsDep,
) -> FileResponse:
    dataset, item = _dataset_item(session, project, dataset_id, item_id)
    return FileResponse(explore.image_path(settings.resolved_storage_dir, dataset, item))


def _dataset_item(
    session: Session, project: Project, dataset_id: int, item_id: int
) -> tuple[Dataset, DatasetItem]:
    dataset = service.get_or_404(session, project, dataset_id)
    return dataset, explore.get_item(session, dataset, item_id)


@router.get("/{dataset_id}/download", response_class=FileResponse)
def download_dataset(
    dataset_id: int, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> FileResponse:
    """The dataset as a zip of class folders plus labels.csv (every metadata column)."""
    dataset = service.get_or_404(session, project, dataset_id)
    path = explore.export_zip(settings.resolved_storage_dir, dataset)
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"{explore.safe_name(dataset.name)}.zip",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
