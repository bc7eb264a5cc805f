from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backend.models.graph import GraphVersion
from backend.models.run import Run, RunEvent, RunMetric, RunStatus


def get(session: Session, project_id: int, run_id: int) -> Run | None:
    run = session.get(Run, run_id)
    return run if run is not None and run.project_id == project_id else None


def list_for_project(session: Session, project_id: int, limit: int = 500) -> Sequence[Run]:
    return session.scalars(
        select(Run)
        .where(Run.project_id == project_id)
        .options(
            selectinload(Run.dataset),
            selectinload(Run.graph_version).selectinload(GraphVersion.graph),
        )
        .order_by(Run.id.desc())
        .limit(limit)
    ).all()


def events_after(session: Session, run_id: int, after_seq: int) -> Sequence[RunEvent]:
    return session.scalars(
        select(RunEvent)
        .where(RunEvent.run_id == run_id, RunEvent.seq > after_seq)
        .order_by(RunEvent.seq)
    ).all()


def metrics(session: Session, run_id: int) -> Sequence[RunMetric]:
    return session.scalars(
        select(RunMetric).where(RunMetric.run_id == run_id).order_by(RunMetric.step, RunMetric.key)
    ).all()


def queued_ids(session: Session) -> Sequence[int]:
    """Every project's queued runs in start order (the queue is first in, first out)."""
    return session.scalars(
        select(Run.id).where(Run.status == RunStatus.QUEUED.value).order_by(Run.id)
    ).all()


def with_status(session: Session, project_id: int, status: RunStatus) -> Sequence[Run]:
    return session.scalars(
        select(Run)
        .where(Run.project_id == project_id, Run.status == status.value)
        .options(
            selectinload(Run.dataset),
            selectinload(Run.graph_version).selectinload(GraphVersion.graph),
        )
        .order_by(Run.id)
    ).all()
