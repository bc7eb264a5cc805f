from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class GraphCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    # Validated by backend.graph.validate, which reports problems by node id.
    graph: dict[str, Any]
    message: str = Field(default="", max_length=2000)


class GraphVersionCreate(BaseModel):
    graph: dict[str, Any]
    message: str = Field(default="", max_length=2000)
    # The version the edit started from; default: the latest. Saving from an older
    # version keeps that lineage visible in the history.
    parent_version_id: int | None = None


class GraphRestore(BaseModel):
    version_id: int


class GraphFork(BaseModel):
    version_id: int
    name: str = Field(min_length=1, max_length=200)


class GraphValidate(BaseModel):
    graph: dict[str, Any]


class GraphVersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    graph_id: int
    version: int
    schema_version: int
    content_hash: str
    spec: dict[str, Any]
    parent_id: int | None
    message: str
    created_at: datetime


class GraphVersionsPublic(BaseModel):
    data: list[GraphVersionPublic]
    count: int


class GraphPublic(BaseModel):
    id: int
    project_id: int
    name: str
    created_at: datetime
    latest_version: GraphVersionPublic


class GraphsPublic(BaseModel):
    data: list[GraphPublic]
    count: int


class ParamCountPublic(BaseModel):
    trainable: int
    non_trainable: int


class GraphValidation(BaseModel):
    valid: bool
    # Node id -> output shape without the batch axis.
    shapes: dict[str, list[int]]
    output: str
    # Node id -> the weights that node adds (a backbone includes its preprocessing).
    params: dict[str, ParamCountPublic]
    totals: ParamCountPublic
