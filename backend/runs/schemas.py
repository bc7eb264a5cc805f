from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from backend.models.run import RunStatus
from backend.runs.hyperparameters import Hyperparameters
from backend.runs.hyperparameters.checks import HyperparameterWarning
from backend.splits.schemas import LeakageAudit, PartSummary, SplitSpec

MAX_TAGS = 20

_TAG_TEXT = re.compile(r"^[\w .:+\-/]+$")


def _tag_text(tag: str) -> str:
    # Our own message: the bare pattern would mean nothing to the person typing the tag.
    if not _TAG_TEXT.match(tag):
        raise ValueError(
            f"a tag holds letters, digits, spaces and . : + - / _ only; received {tag!r}"
        )
    return tag


# A tag, edges stripped: "baseline", "lr-sweep/2", "paper: table II".
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_tag_text),
]


def _unique(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(tags))  # first occurrence wins, order kept


TagList = Annotated[list[Tag], Field(max_length=MAX_TAGS), AfterValidator(_unique)]


class RunCreate(BaseModel):
    graph_version_id: int
    dataset_id: int
    name: str | None = Field(default=None, max_length=200)
    hyperparameters: Hyperparameters = Field(default_factory=Hyperparameters)
    # None: a stratified hold-out of hyperparameters.validation_fraction, as before splits
    # existed; its audit is recorded but does not block. A split given here must be clean,
    # or come with leakage_override: the reason to start anyway, recorded on the run.
    split: SplitSpec | None = None
    leakage_override: str | None = Field(default=None, max_length=2000)
    tags: TagList = Field(default_factory=list)


class RunTagsUpdate(BaseModel):
    """PATCH /api/runs/{run_id}/tags: the run's new tags, replacing the old ones."""

    tags: TagList


class RunPublic(BaseModel):
    id: int
    project_id: int
    name: str
    status: RunStatus
    graph_version_id: int
    graph_name: str
    graph_version: int
    dataset_id: int
    dataset_name: str
    hyperparameters: Hyperparameters
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error_message: str | None
    epochs_completed: int
    latest_metrics: dict[str, float]
    test_metrics: dict[str, float]
    num_params: int | None
    has_model: bool
    worker: str | None
    # Known pitfalls of these hyperparameters on this dataset; the run still runs.
    warnings: list[HyperparameterWarning] = Field(default_factory=list)
    # Runs created before splits existed have none of these.
    split: SplitSpec | None = None
    split_summary: dict[str, PartSummary] | None = None
    split_warnings: list[str] = Field(default_factory=list)
    leakage_report: LeakageAudit | None = None
    leakage_override: str | None = None
    # A fold of a cross-validation (GET /api/experiments/{experiment_id}), 1-based.
    experiment_id: int | None = None
    fold: int | None = None
    # Training robustness: what it is doing now, where, which attempt (0: first; N: the
    # Nth resume after a worker died), the last epoch with a saved checkpoint, the
    # latest batch progress, and whether a cancel was asked for.
    phase: str | None = None
    attempt: int = 0
    device: str | None = None
    checkpoint_epoch: int = 0
    cancel_requested: bool = False
    progress: RunProgress | None = None
    tags: list[str] = Field(default_factory=list)


class RunProgress(BaseModel):
    """The latest throttled batch progress (the live feed's ``progress`` event)."""

    epoch: int
    epochs: int
    batch: int
    batches: int
    eta_seconds: float | None = None
    at: datetime | None = None


class QueuedRun(BaseModel):
    position: int  # 1 = next to start, counted over every project's queued runs
    run: RunPublic


class RunQueuePublic(BaseModel):
    """GET /api/runs/queue: waiting runs in start order, and the ones training now."""

    queued: list[QueuedRun]
    running: list[RunPublic]
    queued_total: int  # all projects


class RunsPublic(BaseModel):
    data: list[RunPublic]
    count: int


class MetricPublic(BaseModel):
    key: str
    step: int
    value: float
    timestamp: datetime
