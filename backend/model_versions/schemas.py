from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from backend.model_versions.formats import Format

ExportStatus = Literal["ready", "building", "not_built", "failed"]


class ExportState(BaseModel):
    format: Format
    # "not_built": a download request starts the worker's export; "failed" says why.
    status: ExportStatus
    reason: str | None = None


class ModelInput(BaseModel):
    height: int
    width: int
    channels: int


class ModelVersionPublic(BaseModel):
    """A succeeded run with a stored model; its id is the run id."""

    id: int
    name: str
    graph_id: int
    graph_name: str
    graph_version: int
    graph_version_id: int
    graph_hash: str
    dataset_id: int
    dataset_name: str
    dataset_hash: str
    classes: list[str]
    input: ModelInput
    num_params: int | None
    test_metrics: dict[str, float]
    created_at: datetime
    formats: list[ExportState]


class ModelVersionsPublic(BaseModel):
    data: list[ModelVersionPublic]
    count: int


class ExportPending(BaseModel):
    format: Format
    status: Literal["building"]
    message: str
    details: dict[str, Any] = {}
