"""What the compare page, the McNemar test and the paper experiment send and receive."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.models.run import RunStatus
from backend.runs.hyperparameters import Hyperparameters
from backend.runs.schemas import RunPublic
from backend.splits.schemas import SplitSpec

HyperValue = str | float | int | bool | None


class Estimate(BaseModel):
    value: float
    ci95: list[float] | None = None  # [low, high] from evaluation.json, when it exists


class CompareRow(BaseModel):
    run_id: int
    name: str
    status: RunStatus
    model: str  # graph name
    model_version: int
    graph_version_id: int
    dataset_id: int
    dataset: str
    epochs_completed: int
    # The last epoch's values (the paper's Table II reads the end of training).
    train_accuracy: float | None
    val_accuracy: float | None
    train_loss: float | None
    val_loss: float | None
    test_accuracy: Estimate | None
    balanced_accuracy: Estimate | None
    num_params: int | None
    seconds_per_epoch: float | None  # mean over recorded epochs
    # Flattened with dots: {"optimizer.type": "adadelta", "epochs": 10, ...}
    hyperparameters: dict[str, HyperValue]
    has_predictions: bool
    tags: list[str] = Field(default_factory=list)


class RunCurves(BaseModel):
    run_id: int
    epochs: list[int]
    # Metric key -> one value per entry of ``epochs`` (null where an epoch lacks it).
    metrics: dict[str, list[float | None]]


class ComparePublic(BaseModel):
    rows: list[CompareRow]
    curves: list[RunCurves]


class McNemarPublic(BaseModel):
    a: int
    b: int
    n: int = Field(description="test items both runs were scored on")
    b01: int = Field(description="items run a classified right and run b wrong")
    b10: int = Field(description="items run b classified right and run a wrong")
    statistic: float = Field(description="exact: min(b01, b10); else chi-square, corrected")
    p_value: float
    exact: bool = Field(description="exact binomial test (b01 + b10 < 25) or chi-square")
    a_accuracy: float
    b_accuracy: float


class PaperExperimentCreate(BaseModel):
    dataset_id: int
    name: str | None = Field(default=None, max_length=150)
    # One input size for all four models, so only the architecture differs.
    size: int = Field(default=224, ge=1, le=1024)
    weights: Literal["imagenet", "none"] = "imagenet"
    # None: the paper preset (Adadelta 1e-4 and the rest as published).
    hyperparameters: Hyperparameters | None = None
    # The paper's 60 / 20 / 20, stratified, seed 0 unless given.
    split: SplitSpec = Field(default_factory=lambda: SplitSpec(train=60, validation=20, test=20))
    leakage_override: str | None = Field(default=None, max_length=2000)


class PaperModel(BaseModel):
    label: str  # the paper's name: ResNet50, WideResNet, SqueezeNet, InceptionV3
    graph_id: int
    graph_version_id: int
    run_id: int


class ReportLinks(BaseModel):
    csv: str
    md: str
    html: str


class PaperExperimentPublic(BaseModel):
    id: int
    name: str
    kind: str
    dataset_id: int
    created_at: datetime
    spec: dict[str, Any]
    models: list[PaperModel]
    runs: list[RunPublic]
    comparison: ComparePublic
    reports: ReportLinks


class PaperExperimentSummary(BaseModel):
    id: int
    name: str
    dataset_id: int
    created_at: datetime
    size: int
    weights: str
    statuses: list[RunStatus]  # the four runs', in the paper's model order
