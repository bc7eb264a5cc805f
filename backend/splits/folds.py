"""Grouped k-fold and leave-one-group-out: one assignment per fold, each group tested once.

Groups are dealt into k folds largest first, each onto the fold whose per-class targets
(1/k of every class) it fits best, the same greedy rule as a grouped split. In each fold
the other folds' groups are split again, by group, into train and validation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from backend.splits.assign import (
    Assignment,
    ItemLike,
    group_members,
    largest_first,
    placement_cost,
    share_warnings,
    split_grouped,
)
from backend.splits.schemas import PartName


def fold_of_groups(
    groups: Mapping[str, Sequence[ItemLike]], folds: int | None, stratify: bool, seed: int
) -> dict[str, int]:
    """Group -> fold; ``folds`` None means leave one group out (a fold per group)."""
    if folds is None:
        return {name: index for index, name in enumerate(sorted(groups))}
    totals = Counter(_key(i, stratify) for members in groups.values() for i in members)
    target = {c: n / folds for c, n in totals.items()}
    current: list[Counter[str]] = [Counter() for _ in range(folds)]
    placed: dict[str, int] = {}
    for name in largest_first(groups, seed):
        mix = Counter(_key(i, stratify) for i in groups[name])
        empty = [f for f in range(folds) if not current[f]]
        best = empty[0] if empty else min(
            range(folds), key=lambda f: placement_cost(current[f], target, mix)
        )  # fmt: skip
        current[best].update(mix)
        placed[name] = best
    return placed


def grouped_folds(
    items: Sequence[ItemLike],
    group_by: str,
    folds: int | None,
    validation: float,
    stratify: bool,
    seed: int,
) -> list[Assignment]:
    """One assignment per fold: that fold's groups are the test part."""
    groups = group_members(items, group_by)
    fold_of = fold_of_groups(groups, folds, stratify, seed)
    inner: dict[PartName, float] = {"train": 1 - validation, "validation": validation, "test": 0}
    result: list[Assignment] = []
    for fold in range(max(fold_of.values()) + 1):
        tested = [i for name, members in groups.items() if fold_of[name] == fold for i in members]
        rest = [i for name, members in groups.items() if fold_of[name] != fold for i in members]
        if validation > 0:
            assignment = split_grouped(rest, inner, stratify, group_by, seed)
        else:
            assignment = Assignment({"train": sorted(i.id for i in rest), "validation": [],
                                     "test": []})  # fmt: skip
        assignment.parts["test"] = sorted(i.id for i in tested)
        share = 1 / (max(fold_of.values()) + 1)
        fractions: dict[PartName, float] = {"train": 0, "validation": 0, "test": share}
        missing = [w for w in share_warnings(items, assignment.parts, fractions) if "no '" in w]
        assignment.warnings = [f"fold {fold + 1}: {w}" for w in assignment.warnings + missing]
        result.append(assignment)
    return result


def _key(item: ItemLike, stratify: bool) -> str:
    return item.label if stratify else "*"
