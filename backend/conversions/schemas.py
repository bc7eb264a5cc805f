from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ConversionCreate(BaseModel):
    # Validated by backend.audio_recipe.load_recipe, which names each bad field.
    recipe: dict[str, Any] = Field(default_factory=dict)
    name: str | None = Field(default=None, max_length=200)


class ConversionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    source_dataset_id: int
    result_dataset_id: int | None
    recipe: dict[str, Any]
    status: str
    done: int
    total: int
    report: dict[str, Any]
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ConversionsPublic(BaseModel):
    data: list[ConversionPublic]
    count: int
