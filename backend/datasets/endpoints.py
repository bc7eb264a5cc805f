from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from backend.datasets import repository, service
from backend.datasets.csv_table import ColumnChoice
from backend.datasets.schemas import DatasetItemPublic, DatasetPublic, DatasetsPublic
from backend.deps import CurrentProject, DbSession, SettingsDep

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
    """A zip of class folders, or of images plus a CSV of path,label (any column names)."""
    path, content_hash = await run_in_threadpool(service.receive_upload, file.file, settings)
    upload = service.Upload(
        path,
        content_hash,
        file.filename or "upload.zip",
        name,
        ColumnChoice(path_column or None, label_column or None),
    )
    try:
        dataset, created = await run_in_threadpool(
            service.ingest, session, project, upload, settings
        )
    finally:
        path.unlink(missing_ok=True)
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


@router.get("/{dataset_id}/items", response_model=list[DatasetItemPublic])
def list_items(
    dataset_id: int, session: DbSession, project: CurrentProject
) -> list[DatasetItemPublic]:
    dataset = service.get_or_404(session, project, dataset_id)
    return [DatasetItemPublic.model_validate(item) for item in dataset.items]
