"""Pure split algorithms: items in, item ids per part out, the same for the same seed.

Ungrouped and stratified, the counts per class follow the worker's own hold-out
(worker.training.data.stratified_split) exactly, draw for draw: a run created without a
split keeps the validation set it always had. Grouped, whole groups are placed greedily
(largest first) on the part whose per-class targets they fit best, so no group spans two
parts; what cannot be met is said in a warning, never silently bent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from backend.splits.schemas import PARTS, PartName

# A class whose share in a part is off its target by more than this gets a warning.
SHARE_TOLERANCE = 0.10
ALL = "*"  # the one stratum when stratify is off


class ItemLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def extra(self) -> dict[str, Any]: ...
    @property
    def path(self) -> str: ...


@dataclass(frozen=True)
class SplitItem:
    """A dataset item as the split sees it (DatasetItem rows fit the same protocol)."""

    id: int
    label: str
    extra: dict[str, Any] = field(default_factory=dict)
    path: str = ""


@dataclass
class Assignment:
    parts: dict[PartName, list[int]]
    warnings: list[str] = field(default_factory=list)


def empty_parts() -> dict[PartName, list[int]]:
    return {part: [] for part in PARTS}


def held_out_count(n: int, fraction: float, keep: int = 1) -> int:
    """Items of one stratum for a held-out part: at least one when asked for any and there
    are two or more, never so many that fewer than ``keep`` stay behind for training."""
    if fraction <= 0 or n < 1 + keep:
        return 0
    return min(n - keep, max(1, round(n * fraction)))


def split_ungrouped(
    items: Sequence[ItemLike], fractions: Mapping[PartName, float], stratify: bool, seed: int
) -> Assignment:
    strata: dict[str, list[ItemLike]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.id):
        strata[item.label if stratify else ALL].append(item)
    rng = np.random.default_rng(seed)
    parts = empty_parts()
    for key in sorted(strata):
        members = strata[key]
        order = [members[i] for i in rng.permutation(len(members))]
        n_val = held_out_count(len(members), fractions["validation"])
        n_test = held_out_count(len(members) - n_val, _share_of_rest(fractions, n_val, members))
        parts["validation"] += [i.id for i in order[:n_val]]
        parts["test"] += [i.id for i in order[n_val : n_val + n_test]]
        parts["train"] += [i.id for i in order[n_val + n_test :]]
    return Assignment(_sorted(parts), share_warnings(items, parts, fractions))


def _share_of_rest(
    fractions: Mapping[PartName, float], n_val: int, members: Sequence[ItemLike]
) -> float:
    # The test count is taken from what validation left, so scale its fraction to that rest.
    rest = len(members) - n_val
    return fractions["test"] * len(members) / rest if rest else 0.0


def split_grouped(
    items: Sequence[ItemLike],
    fractions: Mapping[PartName, float],
    stratify: bool,
    group_by: str,
    seed: int,
) -> Assignment:
    groups = group_members(items, group_by)
    warnings = _group_warnings(items, groups, group_by, fractions)
    order = largest_first(groups, seed)
    totals = Counter(_key(i, stratify) for i in items)
    targets = {p: {c: fractions[p] * n for c, n in totals.items()} for p in PARTS}
    current: dict[PartName, Counter[str]] = {p: Counter() for p in PARTS}
    placed: dict[PartName, list[str]] = {p: [] for p in PARTS}
    active = [p for p in PARTS if fractions[p] > 0]
    for name in order:
        mix = Counter(_key(i, stratify) for i in groups[name])
        best = min(active, key=lambda p: placement_cost(current[p], targets[p], mix))
        current[best].update(mix)
        placed[best].append(name)
    _fill_empty_parts(placed, active, groups)
    parts = empty_parts()
    for part, names in placed.items():
        parts[part] = [i.id for name in names for i in groups[name]]
    warnings += share_warnings(items, parts, fractions)
    return Assignment(_sorted(parts), warnings)


def group_members(items: Sequence[ItemLike], column: str) -> dict[str, list[ItemLike]]:
    """Items by the column's value; an item without one is a group of its own."""
    groups: dict[str, list[ItemLike]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.id):
        value = (item.extra or {}).get(column)
        groups[f"(no {column}: item {item.id})" if value in (None, "") else str(value)].append(item)
    return dict(groups)


def largest_first(groups: Mapping[str, Sequence[ItemLike]], seed: int) -> list[str]:
    names = sorted(groups)
    shuffled = [names[i] for i in np.random.default_rng(seed).permutation(len(names))]
    return sorted(shuffled, key=lambda name: -len(groups[name]))  # stable: ties stay shuffled


def placement_cost(current: Counter[str], target: Mapping[str, float], mix: Counter[str]) -> float:
    """How much adding this group raises the part's squared distance from its targets."""
    return sum(n * (2 * (current[c] - target.get(c, 0.0)) + n) for c, n in mix.items())


def _fill_empty_parts(
    placed: dict[PartName, list[str]], active: list[PartName], groups: Mapping[str, Sequence[Any]]
) -> None:
    # A part asked for but left empty takes the smallest group of the part holding most.
    for part in active:
        donor = max(active, key=lambda p: len(placed[p]))
        if placed[part] or len(placed[donor]) < 2:
            continue
        smallest = min(placed[donor], key=lambda name: (len(groups[name]), name))
        placed[donor].remove(smallest)
        placed[part].append(smallest)


def _group_warnings(
    items: Sequence[ItemLike],
    groups: Mapping[str, Sequence[ItemLike]],
    column: str,
    fractions: Mapping[PartName, float],
) -> list[str]:
    active = [p for p in PARTS if fractions[p] > 0]
    warnings: list[str] = []
    if len(groups) < len(active):
        warnings.append(
            f"only {len(groups)} value(s) of '{column}' for {len(active)} parts: "
            "some part stays empty"
        )
    missing = sum(1 for name in groups if name.startswith(f"(no {column}:"))
    if missing:
        warnings.append(f"{missing} item(s) have no '{column}'; each is its own group")
    by_class: dict[str, set[str]] = defaultdict(set)
    for name, members in groups.items():
        for item in members:
            by_class[item.label].add(name)
    for label, names in sorted(by_class.items()):
        if len(names) == 1 and len(active) > 1:
            warnings.append(
                f"class '{label}' has all its items in {column} '{next(iter(names))}', so it "
                "can only be in one part: the others never see it"
            )
    return warnings


def share_warnings(
    items: Sequence[ItemLike],
    parts: Mapping[PartName, list[int]],
    fractions: Mapping[PartName, float],
) -> list[str]:
    """Classes missing from a part that should hold them, or far off their target share."""
    label_of = {i.id: i.label for i in items}
    totals = Counter(label_of.values())
    warnings: list[str] = []
    for part in PARTS:
        if fractions[part] <= 0:
            continue
        counts = Counter(label_of[i] for i in parts[part])
        for label, total in sorted(totals.items()):
            share = counts[label] / total
            if counts[label] == 0:
                warnings.append(f"{part} has no '{label}' items (target {fractions[part]:.0%})")
            elif abs(share - fractions[part]) > SHARE_TOLERANCE:
                warnings.append(
                    f"{part} holds {share:.0%} of '{label}' ({counts[label]} of {total}), "
                    f"target {fractions[part]:.0%}"
                )
    return warnings


def _key(item: ItemLike, stratify: bool) -> str:
    return item.label if stratify else ALL


def _sorted(parts: dict[PartName, list[int]]) -> dict[PartName, list[int]]:
    return {part: sorted(ids) for part, ids in parts.items()}
