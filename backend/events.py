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


def progress_channel(run_id: int) -> str:
    """Batch progress apart from the logged events: the run channel carries exactly
    the event log, in order; this one only what is live."""
    return f"dlstudio:run:{run_id}:progress"


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
    # Wall time of the epoch (training + validation) and training images per second.
    seconds: float | None = None
    images_per_second: float | None = None


class LogEvent(BaseModel):
    type: Literal["log"] = "log"
    seq: int
    run_id: int
    at: datetime
    level: Literal["info", "warning", "error"] = "info"
    message: str


class PhaseEvent(BaseModel):
    """What the run is doing now, in words ("compiling the model", "training")."""

    type: Literal["phase"] = "phase"
    seq: int
    run_id: int
    at: datetime
    phase: str


class ResumedEvent(BaseModel):
    """A new attempt continues from the checkpoint of ``from_epoch``.

    Every epoch after ``from_epoch`` was dropped from the log and the metric
    table before this event, so a client drops its points after ``from_epoch``.
    """

    type: Literal["resumed"] = "resumed"
    seq: int
    run_id: int
    at: datetime
    from_epoch: int
    attempt: int


class ProgressEvent(BaseModel):
    """Batch progress, a few a second: live only (Redis), never in the event log.

    Its ``seq`` is that of the last logged event, for ordering only: SSE sends it
    without an id, so it never moves a client's Last-Event-ID. The latest one is
    also kept on the run row (``progress``). ``batch`` counts batches done in the
    epoch (1..batches); ``epoch`` counts from 1.
    """

    type: Literal["progress"] = "progress"
    seq: int
    run_id: int
    at: datetime
    epoch: int
    epochs: int
    batch: int
    batches: int
    eta_seconds: float | None = None


RunLogEvent = StatusEvent | EpochEvent | LogEvent | PhaseEvent | ResumedEvent
