from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class DatasetPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    name: str
    source_filename: str
    content_hash: str
    num_items: int
    classes: list[str]
    class_counts: dict[str, int]
    report: dict[str, Any]
    created_at: datetime


class DatasetsPublic(BaseModel):
    data: list[DatasetPublic]
    count: int


class DatasetItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    path: str
    label: str
    extra: dict[str, Any]
