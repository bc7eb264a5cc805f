from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, status
from fastapi.responses import FileResponse, StreamingResponse

from backend.deps import CurrentProject, DbSession, SettingsDep
from backend.errors import InvalidInput, Problem
from backend.runs import control, repository, service
from backend.runs.schemas import (
    MetricPublic,
    RunCreate,
    RunPublic,
    RunQueuePublic,
    RunsPublic,
    RunTagsUpdate,
)
from backend.runs.stream import RunEventStream

router = APIRouter(prefix="/api/runs", tags=["runs"])


@router.post("", response_model=RunPublic, status_code=status.HTTP_201_CREATED)
def create_run(body: RunCreate, session: DbSession, project: CurrentProject) -> RunPublic:
    return service.to_public(service.create_run(session, project, body))


@router.get("", response_model=RunsPublic)
def list_runs(session: DbSession, project: CurrentProject) -> RunsPublic:
    runs = repository.list_for_project(session, project.id)
    return RunsPublic(data=[service.to_public(r) for r in runs], count=len(runs))


@router.get("/queue", response_model=RunQueuePublic)
def run_queue(session: DbSession, project: CurrentProject) -> RunQueuePublic:
    """Waiting runs in start order with their position, and the runs training now."""
    return control.queue(session, project)


@router.post("/{run_id}/cancel", response_model=RunPublic, status_code=status.HTTP_202_ACCEPTED)
def cancel_run(run_id: int, session: DbSession, project: CurrentProject) -> RunPublic:
    """202: a queued run is cancelled now; a running one stops at its next batch
    (watch for the ``cancelled`` status event). 409 when the run already ended."""
    return service.to_public(control.cancel(session, project, run_id))


@router.patch("/{run_id}/tags", response_model=RunPublic)
def set_run_tags(
    run_id: int, body: RunTagsUpdate, session: DbSession, project: CurrentProject
) -> RunPublic:
    """Replaces the run's tags (at most 20; duplicates dropped). Tags are annotations for
    finding and filtering runs, not part of the immutable run definition, so any run,
    finished or not, may be retagged."""
    return service.to_public(service.set_tags(session, project, run_id, body))


@router.get("/{run_id}", response_model=RunPublic)
def get_run(run_id: int, session: DbSession, project: CurrentProject) -> RunPublic:
    return service.to_public(service.get_or_404(session, project, run_id))


@router.get("/{run_id}/metrics", response_model=list[MetricPublic])
def get_metrics(run_id: int, session: DbSession, project: CurrentProject) -> list[MetricPublic]:
    run = service.get_or_404(session, project, run_id)
    return [
        MetricPublic(key=m.key, step=m.step, value=m.value, timestamp=m.timestamp)
        for m in repository.metrics(session, run.id)
    ]


@router.get("/{run_id}/model", response_class=FileResponse)
def download_model(
    run_id: int, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> FileResponse:
    run = service.get_or_404(session, project, run_id)
    path = service.model_file(run, settings.resolved_storage_dir)
    return FileResponse(
        path, media_type="application/octet-stream", filename=f"dlstudio-run-{run.id}.keras"
    )


@router.get("/{run_id}/events", response_class=StreamingResponse)
def stream_events(
    run_id: int,
    session: DbSession,
    project: CurrentProject,
    settings: SettingsDep,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[int | None, Query(ge=0, description="Same as Last-Event-ID")] = None,
) -> StreamingResponse:
    """Status, phase, epoch, resumed and log events as server-sent events, history
    first, then live; plus live-only ``progress`` events (no id, never replayed)."""
    run = service.get_or_404(session, project, run_id)
    start = _parse_last_event_id(last_event_id) if last_event_id is not None else (after or 0)
    return StreamingResponse(
        aiter(RunEventStream(run.id, start, settings)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _parse_last_event_id(value: str) -> int:
    try:
        parsed = int(value)
    except ValueError:
        parsed = -1
    if parsed < 0:
        raise InvalidInput(
            "Last-Event-ID must be an event id from this stream",
            [Problem(("header", "Last-Event-ID"), f"'{value}' is not a non-negative integer")],
        )
    return parsed
