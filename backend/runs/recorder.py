"""Writes a run's state changes and metrics: DB first (the truth), then Redis (the news).

Used by the API (the ``queued`` event) and by the worker (everything after).
A Redis outage never loses an event: SSE clients replay the table.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import redis
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from backend.db.base import utcnow
from backend.events import (
    EpochEvent,
    LogEvent,
    PhaseEvent,
    ProgressEvent,
    ResumedEvent,
    RunLogEvent,
    StatusEvent,
    progress_channel,
    run_channel,
)
from backend.models.run import Run, RunEvent, RunMetric, RunStatus

logger = logging.getLogger(__name__)
PROGRESS_FIELDS = {"epoch", "epochs", "batch", "batches", "eta_seconds", "at"}


class RunRecorder:
    def __init__(self, session: Session, redis_client: redis.Redis | None) -> None:
        self.session = session
        self.redis = redis_client

    def status(self, run: Run, status: RunStatus, message: str | None = None) -> StatusEvent:
        now = utcnow()
        run.status = status.value
        if status is RunStatus.RUNNING and run.started_at is None:
            run.started_at = now  # a resumed attempt keeps the first start
        if status.is_terminal:
            run.finished_at = now
        if status is RunStatus.FAILED:
            run.error_message = message
        event = StatusEvent(
            seq=self._next_seq(run.id), run_id=run.id, at=now, status=status, message=message
        )
        self._append(event)
        return event

    def epoch(
        self, run: Run, epoch: int, epochs: int, metrics: Mapping[str, float],
        seconds: float | None = None, images_per_second: float | None = None,
    ) -> EpochEvent:
        now = utcnow()
        clean = {key: float(value) for key, value in metrics.items()}
        for key, value in clean.items():
            self.session.add(
                RunMetric(run_id=run.id, key=key, step=epoch, value=value, timestamp=now)
            )
        run.epochs_completed = epoch
        run.latest_metrics = clean
        event = EpochEvent(
            seq=self._next_seq(run.id),
            run_id=run.id,
            at=now,
            epoch=epoch,
            epochs=epochs,
            metrics=clean,
            seconds=seconds,
            images_per_second=images_per_second,
        )
        self._append(event)
        return event

    def log(self, run: Run, message: str, level: str = "info") -> LogEvent:
        event = LogEvent(
            seq=self._next_seq(run.id),
            run_id=run.id,
            at=utcnow(),
            level=level,  # type: ignore[arg-type,unused-ignore]
            message=message,
        )
        self._append(event)
        return event

    def phase(self, run: Run, phase: str) -> PhaseEvent | None:
        """Records what the run is doing now; a repeat of the current phase is no news."""
        if run.phase == phase:
            return None
        run.phase = phase
        event = PhaseEvent(seq=self._next_seq(run.id), run_id=run.id, at=utcnow(), phase=phase)
        self._append(event)
        return event

    def progress(
        self, run: Run, epoch: int, epochs: int, batch: int, batches: int,
        eta_seconds: float | None, store: bool,
    ) -> ProgressEvent:
        """Publishes batch progress; writes it to the run row only when ``store`` (the
        caller throttles both). Not in the event log: it is stale a second later."""
        event = ProgressEvent(
            seq=self._last_seq(run.id), run_id=run.id, at=utcnow(), epoch=epoch, epochs=epochs,
            batch=batch, batches=batches, eta_seconds=eta_seconds,
        )
        if store:
            run.progress = event.model_dump(mode="json", include=PROGRESS_FIELDS)
            self.session.commit()
        self.publish(event)
        return event

    def resumed(self, run: Run, from_epoch: int) -> ResumedEvent:
        """Starts a new attempt from the checkpoint of ``from_epoch``.

        Epochs after it may have been recorded before the old worker died (an epoch is
        recorded before its checkpoint is written): their metric rows and epoch events
        go, so the curves and a fresh SSE client see each epoch exactly once.
        """
        self.session.execute(
            delete(RunMetric).where(RunMetric.run_id == run.id, RunMetric.step > from_epoch)
        )
        stale = [
            row.id for row in self.session.scalars(
                select(RunEvent).where(RunEvent.run_id == run.id, RunEvent.kind == "epoch")
            ) if int(row.payload.get("epoch", 0)) > from_epoch
        ]
        if stale:
            self.session.execute(delete(RunEvent).where(RunEvent.id.in_(stale)))
        kept = self.session.scalars(
            select(RunMetric).where(RunMetric.run_id == run.id, RunMetric.step == from_epoch)
        ).all()
        run.epochs_completed = from_epoch
        run.latest_metrics = {m.key: m.value for m in kept}
        run.checkpoint_epoch = from_epoch
        run.progress = None
        event = ResumedEvent(
            seq=self._next_seq(run.id), run_id=run.id, at=utcnow(), from_epoch=from_epoch,
            attempt=run.attempt,
        )
        self._append(event)
        return event

    def _last_seq(self, run_id: int) -> int:
        return self._next_seq(run_id) - 1

    def _next_seq(self, run_id: int) -> int:
        current = self.session.scalar(
            select(func.max(RunEvent.seq)).where(RunEvent.run_id == run_id)
        )
        return (current or 0) + 1

    def _append(self, event: RunLogEvent) -> None:
        payload: dict[str, Any] = event.model_dump(mode="json")
        self.session.add(
            RunEvent(
                run_id=event.run_id,
                seq=event.seq,
                kind=event.type,
                payload=payload,
                created_at=event.at,
            )
        )
        # Commit before publishing: a subscriber that sees the news must be
        # able to read the row, and a failed commit must not be announced.
        self.session.commit()
        self.publish(event)

    def publish(self, event: RunLogEvent | ProgressEvent) -> None:
        if self.redis is None:
            return
        try:
            channel = (progress_channel if isinstance(event, ProgressEvent) else run_channel)
            self.redis.publish(channel(event.run_id), event.model_dump_json())
        except redis.RedisError:
            logger.warning(
                "could not publish run %s event %s; SSE replays it from the DB",
                event.run_id,
                event.seq,
            )
