"""Splits of a stored dataset: check the request against the data, assign, summarise, audit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from backend.datasets import service as datasets
from backend.errors import InvalidInput, Loc, ProblemCollector
from backend.models.dataset import Dataset
from backend.models.project import Project
from backend.splits import assign, hashing
from backend.splits.assign import Assignment, ItemLike
from backend.splits.audit import audit
from backend.splits.schemas import (
    PARTS,
    PartName,
    PartSummary,
    SplitPreview,
    SplitPreviewRequest,
    SplitSpec,
)

# Metadata columns that name the recording an item was cut from, most precise first: a
# converted spectrogram dataset carries both (source: the audio file as listed).
SOURCE_COLUMNS = ("source", "recording")
SPEAKER_COLUMN = "speaker"
FIXED_SPLIT_COLUMN = "split"  # set by the upload from train.csv / test.csv


@dataclass(frozen=True)
class SplitPlan:
    assignment: Assignment
    preview: SplitPreview


def metadata_columns(items: Sequence[ItemLike]) -> list[str]:
    return sorted({key for item in items for key in (item.extra or {})})


def check(dataset: Dataset, spec: SplitSpec, loc: Loc = ("body", "split")) -> None:
    """Every way this split cannot apply to this dataset, named at once."""
    problems = ProblemCollector()
    columns = metadata_columns(dataset.items)
    if spec.group_by is not None and spec.group_by not in columns:
        available = ", ".join(columns) if columns else "none"
        problems.add(
            [*loc, "group_by"],
            f"'{spec.group_by}' is not a metadata column of dataset '{dataset.name}'; "
            f"its columns are: {available}",
        )
    if spec.method == "fixed_test" and not _fixed_test_ids(dataset.items):
        problems.add(
            [*loc, "method"],
            f"dataset '{dataset.name}' has no fixed test split (it was not uploaded with a "
            "train.csv and a test.csv); use method 'percentages'",
        )
    problems.raise_if_any(f"The split cannot be applied to dataset '{dataset.name}'", InvalidInput)


def compute(items: Sequence[ItemLike], spec: SplitSpec) -> Assignment:
    if spec.method == "fixed_test":
        return _with_fixed_test(items, spec)
    return _assign(items, spec.fractions(), spec)


def _assign(
    items: Sequence[ItemLike], fractions: Mapping[PartName, float], spec: SplitSpec
) -> Assignment:
    if spec.group_by is None:
        return assign.split_ungrouped(items, fractions, spec.stratify, spec.seed)
    return assign.split_grouped(items, fractions, spec.stratify, spec.group_by, spec.seed)


def _with_fixed_test(items: Sequence[ItemLike], spec: SplitSpec) -> Assignment:
    test = set(_fixed_test_ids(items))
    rest = [i for i in items if i.id not in test]
    validation = spec.validation / (spec.train + spec.validation)
    fractions: dict[PartName, float] = {"train": 1 - validation, "validation": validation,
                                        "test": 0.0}  # fmt: skip
    result = _assign(rest, fractions, spec)
    result.parts["test"] = sorted(test)
    return result


def _fixed_test_ids(items: Sequence[ItemLike]) -> list[int]:
    return [i.id for i in items if (i.extra or {}).get(FIXED_SPLIT_COLUMN) == "test"]


def summarize(
    items: Sequence[ItemLike], parts: Mapping[PartName, list[int]], group_by: str | None
) -> dict[PartName, PartSummary]:
    by_id = {i.id: i for i in items}
    summary: dict[PartName, PartSummary] = {}
    for part in PARTS:
        members = [by_id[i] for i in parts.get(part, []) if i in by_id]
        groups = (
            Counter(str((m.extra or {}).get(group_by, "")) for m in members) if group_by else {}
        )
        summary[part] = PartSummary(
            count=len(members),
            by_class=dict(sorted(Counter(m.label for m in members).items())),
            by_group=dict(sorted(groups.items())),
        )
    return summary


def plan(dataset: Dataset, spec: SplitSpec, storage_root: Path) -> SplitPlan:
    """Check, assign, summarise and audit: what the preview shows and a run stores."""
    check(dataset, spec)
    return audited(dataset, compute(list(dataset.items), spec), spec.group_by, storage_root)


def audited(
    dataset: Dataset, assignment: Assignment, group_by: str | None, storage_root: Path
) -> SplitPlan:
    """Summary and leakage audit of an assignment made by any method."""
    items = list(dataset.items)
    columns = metadata_columns(items)
    source = next((c for c in SOURCE_COLUMNS if c in columns), None)
    wanted = dict.fromkeys([group_by, SPEAKER_COLUMN])
    groups = [c for c in wanted if c is not None and c in columns and c != source]
    prints = _prints_by_id(dataset, items, storage_root) if dataset.kind == "image" else None
    report = audit(items, assignment.parts, groups, source, prints)
    preview = SplitPreview(
        parts=summarize(items, assignment.parts, group_by),
        audit=report,
        warnings=assignment.warnings,
        group_by=group_by,
    )
    return SplitPlan(assignment, preview)


def _prints_by_id(
    dataset: Dataset, items: Sequence[ItemLike], storage_root: Path
) -> dict[int, hashing.Fingerprint]:
    by_path = hashing.fingerprints(storage_root, dataset.storage_path, [i.path for i in items])
    return {i.id: by_path[i.path] for i in items if i.path in by_path}


def preview(
    session: Session, project: Project, body: SplitPreviewRequest, storage_root: Path
) -> SplitPreview:
    dataset = datasets.get_or_404(session, project, body.dataset_id)
    return plan(dataset, body.split, storage_root).preview


def default_spec(validation_fraction: float, seed: int) -> SplitSpec:
    """Today's behaviour as a split: a stratified hold-out, no test part, no groups."""
    validation = round(validation_fraction * 100, 6)
    return SplitSpec(train=100 - validation, validation=validation, test=0.0, seed=seed)
