from __future__ import annotations

from fastapi import APIRouter, status

from backend.conversions import service
from backend.conversions.schemas import ConversionCreate, ConversionPublic, ConversionsPublic
from backend.datasets import service as datasets
from backend.deps import CurrentProject, DbSession

router = APIRouter(prefix="/api", tags=["conversions"])


@router.post(
    "/datasets/{dataset_id}/spectrograms",
    response_model=ConversionPublic,
    status_code=status.HTTP_201_CREATED,
)
def convert_to_spectrograms(
    dataset_id: int, body: ConversionCreate, session: DbSession, project: CurrentProject
) -> ConversionPublic:
    """Queues the rendering of an audio dataset into a new spectrogram image dataset."""
    source = datasets.get_or_404(session, project, dataset_id)
    conversion = service.start(session, project, source, body.recipe, body.name)
    return ConversionPublic.model_validate(conversion)


@router.get("/conversions", response_model=ConversionsPublic)
def list_conversions(session: DbSession, project: CurrentProject) -> ConversionsPublic:
    rows = service.list_for_project(session, project)
    return ConversionsPublic(
        data=[ConversionPublic.model_validate(c) for c in rows], count=len(rows)
    )


@router.get("/conversions/{conversion_id}", response_model=ConversionPublic)
def get_conversion(
    conversion_id: int, session: DbSession, project: CurrentProject
) -> ConversionPublic:
    return ConversionPublic.model_validate(service.get_or_404(session, project, conversion_id))
