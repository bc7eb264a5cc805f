from __future__ import annotations

from fastapi import APIRouter, status

from backend.deps import CurrentProject, DbSession, SettingsDep
from backend.splits import experiments, service
from backend.splits.experiment_schemas import CrossValidationCreate, ExperimentPublic
from backend.splits.schemas import SplitPreview, SplitPreviewRequest

router = APIRouter(prefix="/api", tags=["splits"])


@router.post("/splits/preview", response_model=SplitPreview)
def preview_split(
    body: SplitPreviewRequest, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> SplitPreview:
    """Counts per class and group in each part, the leakage audit and any warnings;
    nothing is stored."""
    return service.preview(session, project, body, settings.resolved_storage_dir)


@router.post(
    "/experiments/cross-validation",
    response_model=ExperimentPublic,
    status_code=status.HTTP_201_CREATED,
)
def create_cross_validation(
    body: CrossValidationCreate, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> ExperimentPublic:
    """Grouped k-fold or leave-one-group-out: one queued run per fold."""
    experiment = experiments.create(session, project, body, settings.resolved_storage_dir)
    return experiments.to_public(session, experiment)


@router.get("/experiments/{experiment_id}", response_model=ExperimentPublic)
def get_experiment(
    experiment_id: int, session: DbSession, project: CurrentProject
) -> ExperimentPublic:
    """The folds with mean and standard deviation of each test metric over finished folds."""
    return experiments.to_public(session, experiments.get_or_404(session, project, experiment_id))
