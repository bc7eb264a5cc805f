"""The leakage audit: what one part of a split already tells the model about another.

A group (speaker) or a source recording on two sides lets the model score by recognising
the voice or the recording rather than the emotion; an image on both sides, exactly or
nearly, is tested on what it trained on. Every leak is counted and shown with examples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from backend.splits.assign import ItemLike
from backend.splits.hashing import NEAR_DUPLICATE_BITS, Fingerprint, words
from backend.splits.schemas import PARTS, Leak, LeakageAudit, PartName

MAX_EXAMPLES = 5
CHUNK = 256  # rows of the near-duplicate distance matrix computed at once


def audit(
    items: Sequence[ItemLike],
    parts: Mapping[PartName, Sequence[int]],
    group_columns: Sequence[str],
    source_column: str | None,
    prints: Mapping[int, Fingerprint] | None,
) -> LeakageAudit:
    part_of = {item_id: part for part, ids in parts.items() for item_id in ids}
    placed = [i for i in items if i.id in part_of]
    leaks: list[Leak] = []
    checked: list[str] = []
    for column in group_columns:
        checked.append(f"group:{column}")
        leaks += _value_leaks(placed, part_of, column, "group")
    if source_column is not None:
        checked.append(f"source_recording:{source_column}")
        leaks += _value_leaks(placed, part_of, source_column, "source_recording")
    if prints is not None:
        checked += ["exact_duplicate", "near_duplicate"]
        leaks += _duplicate_leaks(placed, part_of, prints)
    return LeakageAudit(leaks=leaks, clean=not leaks, checked=checked,
                        near_duplicate_threshold=NEAR_DUPLICATE_BITS)  # fmt: skip


def _value_leaks(
    items: Sequence[ItemLike], part_of: Mapping[int, str], column: str, kind: str
) -> list[Leak]:
    spread: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in items:
        value = (item.extra or {}).get(column)
        if value not in (None, ""):
            spread[str(value)][part_of[item.id]] += 1
    crossing = sorted(v for v, where in spread.items() if len(where) > 1)
    if not crossing:
        return []
    examples: list[dict[str, Any]] = [
        {"value": value, "parts": {p: spread[value][p] for p in PARTS if p in spread[value]}}
        for value in crossing[:MAX_EXAMPLES]
    ]
    return [Leak(kind=kind, count=len(crossing), examples=examples, column=column)]


def _duplicate_leaks(
    items: Sequence[ItemLike], part_of: Mapping[int, str], prints: Mapping[int, Fingerprint]
) -> list[Leak]:
    known = [i for i in items if i.id in prints]
    exact = _exact_pairs(known, part_of, prints)
    near = _near_pairs(known, part_of, prints)
    leaks: list[Leak] = []
    path_of = {i.id: i.path for i in known}
    for kind, pairs in (("exact_duplicate", exact), ("near_duplicate", near)):
        if pairs:
            examples = [
                _pair_example(a, b, d, part_of, path_of) for a, b, d in pairs[:MAX_EXAMPLES]
            ]
            leaks.append(Leak(kind=kind, count=len(pairs), examples=examples))
    return leaks


def _exact_pairs(
    items: Sequence[ItemLike], part_of: Mapping[int, str], prints: Mapping[int, Fingerprint]
) -> list[tuple[int, int, int]]:
    by_digest: dict[str, list[int]] = defaultdict(list)
    for item in items:
        by_digest[prints[item.id].sha256].append(item.id)
    pairs = [
        (a, b, 0)
        for ids in by_digest.values()
        for a, b in combinations(sorted(ids), 2)
        if part_of[a] != part_of[b]
    ]
    return sorted(pairs)


def _near_pairs(
    items: Sequence[ItemLike], part_of: Mapping[int, str], prints: Mapping[int, Fingerprint]
) -> list[tuple[int, int, int]]:
    """Pairs in different parts within NEAR_DUPLICATE_BITS, exact duplicates excluded."""
    ids = {p: sorted(i.id for i in items if part_of[i.id] == p) for p in PARTS}
    pairs: list[tuple[int, int, int]] = []
    for first, second in combinations(PARTS, 2):
        left, right = ids[first], ids[second]
        if not left or not right:
            continue
        right_hashes = _matrix(prints, right)
        for start in range(0, len(left), CHUNK):
            chunk = left[start : start + CHUNK]
            hashes = _matrix(prints, chunk)
            xor = hashes[:, None, :] ^ right_hashes[None, :, :]
            distance = np.bitwise_count(xor).sum(axis=2)
            for row, column in zip(*np.nonzero(distance <= NEAR_DUPLICATE_BITS), strict=True):
                a, b = chunk[row], right[column]
                if prints[a].sha256 != prints[b].sha256:
                    pairs.append((min(a, b), max(a, b), int(distance[row, column])))
    return sorted(pairs, key=lambda p: (p[2], p[0], p[1]))


def _matrix(prints: Mapping[int, Fingerprint], ids: Sequence[int]) -> np.ndarray[Any, Any]:
    return np.array([words(prints[i].dhash) for i in ids], dtype=np.uint64)


def _pair_example(
    a: int, b: int, distance: int, part_of: Mapping[int, str], path_of: Mapping[int, str]
) -> dict[str, Any]:
    return {
        "items": [{"id": i, "path": path_of.get(i, ""), "part": part_of[i]} for i in (a, b)],
        "distance": distance,
    }
