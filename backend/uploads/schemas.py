from __future__ import annotations

from pydantic import BaseModel, Field


class UploadCreate(BaseModel):
    filename: str = Field(min_length=1, max_length=500)
    size: int = Field(gt=0)


class UploadPublic(BaseModel):
    id: str
    filename: str
    size: int
    offset: int
