from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class DatasetPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    name: str
    kind: str
    source_filename: str
    content_hash: str
    num_items: int
    classes: list[str]
    class_counts: dict[str, int]
    report: dict[str, Any]
    parent_id: int | None = None
    derivation: dict[str, Any] | None = None
    created_at: datetime


class DatasetsPublic(BaseModel):
    data: list[DatasetPublic]
    count: int


class DatasetFromUpload(BaseModel):
    upload_id: str
    name: str | None = Field(default=None, max_length=200)
    path_column: str | None = None
    label_column: str | None = None


class DatasetRelabel(BaseModel):
    """Old label -> new label (renames; two old labels to one new label merge) or null (drop)."""

    mapping: dict[str, str | None]
    name: str | None = Field(default=None, max_length=200)


class DatasetGroups(BaseModel):
    """Per metadata column: value -> class -> count."""

    columns: dict[str, dict[str, dict[str, int]]]


class DatasetItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    path: str
    label: str
    extra: dict[str, Any]


class DatasetItemsPublic(BaseModel):
    data: list[DatasetItemPublic]
    count: int
