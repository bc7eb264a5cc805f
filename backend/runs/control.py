"""Run control after creation: cancelling, and the queue as users see it."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.db.base import utcnow
from backend.errors import Conflict
from backend.models.project import Project
from backend.models.run import Run, RunStatus
from backend.runs import repository, service
from backend.runs.schemas import QueuedRun, RunQueuePublic

CANCELLED_BEFORE_START = "cancelled before it started"


def cancel(session: Session, project: Project, run_id: int) -> Run:
    """A queued run is cancelled at once and never starts; a running one is asked to
    stop: its worker stops at the next batch boundary, keeps a checkpoint, and
    records ``cancelled`` itself (within about a second of training time)."""
    run = service.get_or_404(session, project, run_id)
    _refuse_if_ended(run)
    now = utcnow()
    # Conditional on the status, like the worker's claim: exactly one of the two wins.
    stopped = session.execute(
        update(Run)
        .where(Run.id == run.id, Run.status == RunStatus.QUEUED.value)
        .values(status=RunStatus.CANCELLED.value, cancel_requested_at=now,
                phase=CANCELLED_BEFORE_START)
    )
    session.commit()
    session.refresh(run)
    recorder = service._recorder(session)
    if stopped.rowcount == 1:  # type: ignore[attr-defined]
        recorder.status(run, RunStatus.CANCELLED, "Cancelled before it started")
        return run
    asked = session.execute(
        update(Run)
        .where(Run.id == run.id, Run.status == RunStatus.RUNNING.value,
               Run.cancel_requested_at.is_(None))
        .values(cancel_requested_at=now)
    )
    session.commit()
    session.refresh(run)
    if asked.rowcount == 1:  # type: ignore[attr-defined]
        recorder.log(run, "Cancel requested: stopping at the next batch and keeping a checkpoint")
    else:
        _refuse_if_ended(run)  # it ended meanwhile; a repeated cancel is simply accepted
    return run


def _refuse_if_ended(run: Run) -> None:
    status = RunStatus(run.status)
    if status.is_terminal:
        raise Conflict(
            f"Run {run.id} has already {'been ' if status is RunStatus.CANCELLED else ''}"
            f"{status.value}; only a queued or running run can be cancelled"
        )


def queue(session: Session, project: Project) -> RunQueuePublic:
    order = repository.queued_ids(session)
    position = {run_id: index + 1 for index, run_id in enumerate(order)}
    waiting = repository.with_status(session, project.id, RunStatus.QUEUED)
    running = repository.with_status(session, project.id, RunStatus.RUNNING)
    return RunQueuePublic(
        queued=[QueuedRun(position=position.get(run.id, len(order)), run=service.to_public(run))
                for run in sorted(waiting, key=lambda r: position.get(r.id, 0))],
        running=[service.to_public(run) for run in running],
        queued_total=len(order),
    )
