from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class WeightsFilePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    sha256: str
    filename: str
    size: int
    format: str
    architecture: str | None
    created_at: datetime


class WeightsFilesPublic(BaseModel):
    data: list[WeightsFilePublic]
    count: int
