"""GET a run's evaluation (test split, best checkpoint) and its per-item predictions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.deps import CurrentProject, DbSession, SettingsDep
from backend.evaluation import service
from backend.evaluation.schemas import EvaluationPublic, PredictionsPublic
from backend.runs.service import get_or_404

router = APIRouter(prefix="/api/runs", tags=["evaluation"])


@router.get("/{run_id}/evaluation", response_model=EvaluationPublic)
def get_evaluation(
    run_id: int, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> EvaluationPublic:
    """Accuracy and balanced accuracy with 95% CIs, macro-F1, per-class scores, the
    confusion matrix, per-group and (with a source column) recording-level results.
    404 until the run's training has ended and written them."""
    run = get_or_404(session, project, run_id)
    return service.evaluation(run, settings.resolved_storage_dir)


@router.get("/{run_id}/predictions", response_model=PredictionsPublic)
def get_predictions(
    run_id: int,
    session: DbSession,
    project: CurrentProject,
    settings: SettingsDep,
    true: Annotated[str | None, Query(description="Only items of this true class")] = None,
    predicted: Annotated[str | None, Query(description="Only items predicted as this")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PredictionsPublic:
    """The evaluated items with their predicted probabilities: a confusion-matrix cell is
    ``?true=<row class>&predicted=<column class>``. 422 names an unknown class."""
    run = get_or_404(session, project, run_id)
    return service.predictions(run, settings.resolved_storage_dir, true, predicted,
                               offset, limit)
