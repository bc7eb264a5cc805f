"""Cross-validation as one experiment: the request, and the folds read together."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.runs.hyperparameters import Hyperparameters
from backend.runs.schemas import RunPublic


class CrossValidationCreate(BaseModel):
    graph_version_id: int
    dataset_id: int
    name: str | None = Field(default=None, max_length=150)
    hyperparameters: Hyperparameters = Field(default_factory=Hyperparameters)
    # Each value of this column is tested in exactly one fold.
    group_by: str = Field(max_length=200)
    folds: int | Literal["leave_one_group_out"] = 5
    # Percent of each fold's training groups held out (by group) for validation curves.
    validation: float = Field(default=20.0, ge=0, lt=100)
    stratify: bool = True
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    leakage_override: str | None = Field(default=None, max_length=2000)


class MetricAggregate(BaseModel):
    mean: float
    # Sample standard deviation over the finished folds (n - 1); 0 for a single fold.
    std: float
    n: int
    values: list[float]  # per finished fold, in fold order


class ExperimentPublic(BaseModel):
    id: int
    name: str
    kind: str
    dataset_id: int
    graph_version_id: int
    spec: dict[str, Any]
    created_at: datetime
    folds: int
    finished: int  # folds that succeeded; aggregates cover these only
    failed: list[int]  # fold numbers that failed or were cancelled: shown, not averaged
    aggregate: dict[str, MetricAggregate]
    runs: list[RunPublic]
