"""How a dataset is cut into train / validation / test, and what the preview reports."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

PartName = Literal["train", "validation", "test"]
PARTS: tuple[PartName, ...] = ("train", "validation", "test")
LeakKind = Literal["group", "source_recording", "exact_duplicate", "near_duplicate"]


class SplitSpec(BaseModel):
    """Percentages of the items per part (the paper: 60 / 20 / 20 gives 1800 / 600 / 600 of
    3000), or ``fixed_test``: the dataset's own test.csv is the test part and the rest is
    shared between train and validation in the ratio ``train : validation``."""

    method: Literal["percentages", "fixed_test"] = "percentages"
    train: float = Field(default=80.0, gt=0, le=100)
    validation: float = Field(default=20.0, ge=0, lt=100)
    test: float = Field(default=0.0, ge=0, lt=100)
    stratify: bool = True
    # A metadata column (speaker, recording, session...): no value of it spans two parts.
    group_by: str | None = Field(default=None, max_length=200)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)

    @model_validator(mode="after")
    def _sums_to_100(self) -> SplitSpec:
        total = self.train + self.validation + self.test
        if abs(total - 100.0) > 1e-6:
            raise ValueError(
                f"train + validation + test must be 100; received {self.train} + "
                f"{self.validation} + {self.test} = {total:g}"
            )
        return self

    def fractions(self) -> dict[PartName, float]:
        return {"train": self.train / 100, "validation": self.validation / 100,
                "test": self.test / 100}  # fmt: skip


class SplitPreviewRequest(BaseModel):
    dataset_id: int
    split: SplitSpec = Field(default_factory=SplitSpec)


class PartSummary(BaseModel):
    count: int
    by_class: dict[str, int]
    # Items per value of the split's group column (empty when it groups by nothing).
    by_group: dict[str, int]


class Leak(BaseModel):
    kind: LeakKind
    # Groups, recordings or image pairs that cross parts.
    count: int
    examples: list[dict[str, Any]]
    column: str | None = None  # for kind "group": which metadata column


class LeakageAudit(BaseModel):
    leaks: list[Leak]
    clean: bool
    near_duplicate_threshold: int
    # What was checked, so "clean" can be read for what it covers.
    checked: list[str]


class SplitPreview(BaseModel):
    parts: dict[PartName, PartSummary]
    audit: LeakageAudit
    warnings: list[str]
    group_by: str | None = None
