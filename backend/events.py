"""Run events: the schema shared by the worker (producer), the DB log and the SSE relay.

The worker appends each event to ``run_events`` (its ``seq`` is the SSE id) and
then publishes the same JSON on the run's Redis channel. The SSE endpoint
replays the table after ``Last-Event-ID`` and relays the channel, dropping any
``seq`` it already sent, so a client that reconnects sees no gap and no repeat.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from backend.models.run import RunStatus


def run_channel(run_id: int) -> str:
    return f"dlstudio:run:{run_id}"


class StatusEvent(BaseModel):
    type: Literal["status"] = "status"
    seq: int
    run_id: int
    at: datetime
    status: RunStatus
    message: str | None = None


class EpochEvent(BaseModel):
    """One finished epoch. ``epoch`` counts from 1, as users read curves."""

    type: Literal["epoch"] = "epoch"
    seq: int
    run_id: int
    at: datetime
    epoch: int
    epochs: int
    metrics: dict[str, float]


class LogEvent(BaseModel):
    type: Literal["log"] = "log"
    seq: int
    run_id: int
    at: datetime
    level: Literal["info", "warning", "error"] = "info"
    message: str
