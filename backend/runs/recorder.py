"""Writes a run's state changes and metrics: DB first (the truth), then Redis (the news).

Used by the API (the ``queued`` event) and by the worker (everything after).
A Redis outage never loses an event: SSE clients replay the table.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.db.base import utcnow
from backend.events import EpochEvent, LogEvent, StatusEvent, run_channel
from backend.models.run import Run, RunEvent, RunMetric, RunStatus

logger = logging.getLogger(__name__)


class RunRecorder:
    def __init__(self, session: Session, redis_client: redis.Redis | None) -> None:
        self.session = session
        self.redis = redis_client

    def status(self, run: Run, status: RunStatus, message: str | None = None) -> StatusEvent:
        now = utcnow()
        run.status = status.value
        if status is RunStatus.RUNNING:
            run.started_at = now
        if status.is_terminal:
            run.finished_at = now
        if status is RunStatus.FAILED:
            run.error_message = message
        event = StatusEvent(
            seq=self._next_seq(run.id), run_id=run.id, at=now, status=status, message=message
        )
        self._append(event)
        return event

    def epoch(self, run: Run, epoch: int, epochs: int, metrics: Mapping[str, float]) -> EpochEvent:
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

    def _next_seq(self, run_id: int) -> int:
        current = self.session.scalar(
            select(func.max(RunEvent.seq)).where(RunEvent.run_id == run_id)
        )
        return (current or 0) + 1

    def _append(self, event: StatusEvent | EpochEvent | LogEvent) -> None:
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

    def publish(self, event: StatusEvent | EpochEvent | LogEvent) -> None:
        if self.redis is None:
            return
        try:
            self.redis.publish(run_channel(event.run_id), event.model_dump_json())
        except redis.RedisError:
            logger.warning(
                "could not publish run %s event %s; SSE replays it from the DB",
                event.run_id,
                event.seq,
            )
