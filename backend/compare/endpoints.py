"""Compare runs, test two against each other, and the paper experiment with its report.

Registered before the runs router: /api/runs/compare would otherwise reach /api/runs/{run_id}.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from backend.compare import paper, report, service
from backend.compare.schemas import (
    ComparePublic,
    McNemarPublic,
    PaperExperimentCreate,
    PaperExperimentPublic,
    PaperExperimentSummary,
)
from backend.deps import CurrentProject, DbSession, SettingsDep

router = APIRouter(prefix="/api", tags=["compare"])


@router.get("/runs/compare", response_model=ComparePublic)
def compare_runs(
    session: DbSession, project: CurrentProject, settings: SettingsDep,
    ids: Annotated[str, Query(description="run ids separated by commas: 3,4,7")],
) -> ComparePublic:  # fmt: skip
    """A row of final numbers per run (in the order asked) and each run's curves."""
    runs = service.load_runs(session, project, service.parse_ids(ids))
    return service.compare(session, runs, settings.resolved_storage_dir)


@router.get("/runs/mcnemar", response_model=McNemarPublic)
def mcnemar(
    session: DbSession, project: CurrentProject, settings: SettingsDep,
    a: Annotated[int, Query(ge=1)], b: Annotated[int, Query(ge=1)],
) -> McNemarPublic:  # fmt: skip
    """McNemar's test on the two runs' test predictions; 422 unless both were scored on
    the same test items."""
    first, second = service.load_runs(session, project, [a, b]) if a != b else (
        service.load_runs(session, project, [a]) * 2)  # fmt: skip
    return service.mcnemar_test(first, second, settings.resolved_storage_dir)


@router.post(
    "/experiments/paper", response_model=PaperExperimentPublic,
    status_code=status.HTTP_201_CREATED,
)  # fmt: skip
def create_paper_experiment(
    body: PaperExperimentCreate, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> PaperExperimentPublic:
    """Four new graphs (the paper's models) and four queued runs on one split."""
    experiment = paper.create(session, project, body, settings.resolved_storage_dir)
    return paper.to_public(session, experiment, settings.resolved_storage_dir)


@router.get("/experiments/paper", response_model=list[PaperExperimentSummary])
def list_paper_experiments(
    session: DbSession, project: CurrentProject
) -> list[PaperExperimentSummary]:
    """Paper experiments, newest first, with their runs' statuses."""
    return paper.list_summaries(session, project)


@router.get("/experiments/{experiment_id}/comparison", response_model=PaperExperimentPublic)
def paper_comparison(
    experiment_id: int, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> PaperExperimentPublic:
    experiment = paper.get_or_404(session, project, experiment_id)
    return paper.to_public(session, experiment, settings.resolved_storage_dir)


@router.get("/experiments/{experiment_id}/report", response_class=Response)
def paper_report(
    experiment_id: int, session: DbSession, project: CurrentProject, settings: SettingsDep,
    format: Annotated[Literal["csv", "md", "html"], Query()] = "html",
) -> Response:  # fmt: skip
    """The comparison table as CSV, Markdown, or a printable HTML page with the curves."""
    experiment = paper.get_or_404(session, project, experiment_id)
    public = paper.to_public(session, experiment, settings.resolved_storage_dir)
    stem = f"dlstudio-experiment-{experiment_id}"
    if format == "html":
        return HTMLResponse(report.to_html(public))
    text, media = ((report.to_csv(public), "text/csv") if format == "csv"
                   else (report.to_markdown(public), "text/markdown"))  # fmt: skip
    return PlainTextResponse(text, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{stem}.{format}"'})  # fmt: skip
