"""The evaluation files as the API serves them (the results contract, issue #6)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class MetricWithCI(BaseModel):
    value: float
    # 95% percentile bootstrap interval (1000 resamples of the items, seeded).
    ci95: tuple[float, float]


class ClassScores(BaseModel):
    precision: float
    recall: float
    f1: float
    support: int


class Confusion(BaseModel):
    labels: list[str]
    counts: list[list[int]]  # rows: true class, columns: predicted class
    normalized: list[list[float]]  # each row divided by its total; an empty row stays 0


class GroupScores(BaseModel):
    n: int
    accuracy: float
    balanced_accuracy: float


class RecordingLevel(BaseModel):
    """Segment probabilities averaged per recording (the source column), then scored."""

    column: str
    n: int
    accuracy: MetricWithCI
    balanced_accuracy: MetricWithCI
    macro_f1: float
    per_class: dict[str, ClassScores] = Field(default_factory=dict)
    confusion: Confusion


class EvaluationPublic(BaseModel):
    split: Literal["test", "validation"]
    checkpoint: Literal["best", "last"]
    best_epoch: int | None
    classes: list[str]
    n: int
    accuracy: MetricWithCI
    balanced_accuracy: MetricWithCI
    macro_f1: float
    per_class: dict[str, ClassScores]
    confusion: Confusion
    per_group: dict[str, dict[str, GroupScores]]
    recording_level: RecordingLevel | None


class PredictionPublic(BaseModel):
    item_id: int | None
    path: str
    true: str
    predicted: str
    probabilities: list[float]  # in the order of ``classes``
    metadata: dict[str, Any]
    image_url: str | None  # the full image; None when the item has no id (old datasets)
    thumbnail_url: str | None


class PredictionsPublic(BaseModel):
    count: int  # items matching the filters, before paging
    classes: list[str]
    offset: int
    limit: int
    items: list[PredictionPublic]
