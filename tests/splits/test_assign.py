"""Split algorithms on plain items: counts, groups, stratification, seeds, warnings."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pytest
from pydantic import ValidationError

from backend.splits.assign import SplitItem
from backend.splits.schemas import PARTS, PartName, SplitSpec
from backend.splits.service import compute, default_spec
from worker.training.data import Example, stratified_split

CLASSES = ("anger", "neutral", "stress")


def balanced(per_class: int) -> list[SplitItem]:
    return [
        SplitItem(id=n * len(CLASSES) + k, label=label)
        for n in range(per_class)
        for k, label in enumerate(CLASSES)
    ]


def speakers(count: int, seed: int = 0) -> list[SplitItem]:
    """Speakers of unequal size and class mix, as real corpora are."""
    rng = random.Random(seed)
    items: list[SplitItem] = []
    for speaker in range(count):
        for _ in range(rng.randint(10, 40)):
            label = rng.choice(CLASSES)
            items.append(SplitItem(len(items) + 1, label, {"speaker": f"s{speaker:02d}"}))
    return items


def part_of(parts: Mapping[PartName, list[int]]) -> dict[int, str]:
    return {i: part for part, ids in parts.items() for i in ids}


def test_the_papers_3000_images_give_1800_600_600_in_every_class() -> None:
    items = balanced(1000)
    result = compute(items, SplitSpec(train=60, validation=20, test=20, seed=1))
    assert {p: len(result.parts[p]) for p in PARTS} == {
        "train": 1800, "validation": 600, "test": 600
    }  # fmt: skip
    labels = {i.id: i.label for i in items}
    expected: tuple[tuple[PartName, int], ...] = (
        ("train", 600),
        ("validation", 200),
        ("test", 200),
    )
    for part, share in expected:
        assert Counter(labels[i] for i in result.parts[part]) == dict.fromkeys(CLASSES, share)
    assert sorted(i for ids in result.parts.values() for i in ids) == sorted(labels)
    assert result.warnings == []


def test_the_same_seed_gives_the_same_split_and_another_seed_another() -> None:
    items = speakers(12)
    plain = SplitSpec(train=60, validation=20, test=20, seed=5)
    for spec in (plain, plain.model_copy(update={"group_by": "speaker"})):
        first = compute(items, spec).parts
        assert compute(list(reversed(items)), spec).parts == first  # input order does not matter
        assert compute(items, spec.model_copy(update={"seed": 6})).parts != first


@pytest.mark.parametrize("seed", range(6))
def test_a_grouped_split_never_puts_one_speaker_in_two_parts(seed: int) -> None:
    items = speakers(30, seed)
    spec = SplitSpec(train=60, validation=20, test=20, group_by="speaker", seed=seed)
    where = part_of(compute(items, spec).parts)
    by_speaker: dict[str, set[str]] = {}
    for item in items:
        by_speaker.setdefault(item.extra["speaker"], set()).add(where[item.id])
    assert all(len(parts) == 1 for parts in by_speaker.values())
    assert len(where) == len(items)


@pytest.mark.parametrize("seed", range(6))
def test_a_grouped_split_stays_near_its_targets_in_every_class(seed: int) -> None:
    items = speakers(40, seed)
    result = compute(items, SplitSpec(train=60, validation=20, test=20, group_by="speaker",
                                      seed=seed))  # fmt: skip
    where = part_of(result.parts)
    totals = Counter(i.label for i in items)
    for part, target in (("train", 0.6), ("validation", 0.2), ("test", 0.2)):
        counts = Counter(i.label for i in items if where[i.id] == part)
        for label, total in totals.items():
            assert abs(counts[label] / total - target) <= 0.08, (part, label, counts, totals)
    assert result.warnings == []


def test_a_class_spoken_by_one_speaker_only_is_a_warning_not_a_surprise() -> None:
    items = speakers(10) + [
        SplitItem(1000 + n, "whisper", {"speaker": "s99"}) for n in range(8)
    ]  # fmt: skip
    result = compute(items, SplitSpec(train=60, validation=20, test=20, group_by="speaker"))
    assert any("class 'whisper' has all its items in speaker 's99'" in w for w in result.warnings)
    assert any("has no 'whisper' items" in w for w in result.warnings)


def test_too_few_groups_for_the_parts_is_said() -> None:
    items = [SplitItem(n, CLASSES[n % 3], {"speaker": "only"}) for n in range(30)]
    result = compute(items, SplitSpec(train=60, validation=20, test=20, group_by="speaker"))
    assert "only 1 value(s) of 'speaker' for 3 parts" in result.warnings[0]
    assert len(result.parts["train"]) == 30


def test_without_a_split_the_worker_keeps_the_validation_set_it_always_had() -> None:
    items = speakers(8, seed=3)
    spec = default_spec(validation_fraction=0.25, seed=7)
    parts = compute(items, spec).parts
    index = {label: k for k, label in enumerate(sorted(CLASSES))}
    examples = [Example(Path(f"{i.id}.png"), f"{i.id}.png", index[i.label], i.id) for i in items]
    train, validation = stratified_split(examples, 0.25, 7)
    assert parts["validation"] == sorted(e.item_id for e in validation if e.item_id is not None)
    assert parts["train"] == sorted(e.item_id for e in train if e.item_id is not None)
    assert parts["test"] == []


def test_a_fixed_test_csv_is_the_test_part_and_the_rest_is_shared_out() -> None:
    items = [
        SplitItem(n, CLASSES[n % 3], {"split": "test" if n < 30 else "train"}) for n in range(150)
    ]
    result = compute(items, SplitSpec(method="fixed_test", train=60, validation=20, test=20))
    assert result.parts["test"] == list(range(30))
    # validation : train = 20 : 60 of the 120 others
    assert (len(result.parts["validation"]), len(result.parts["train"])) == (30, 90)


def test_unstratified_splits_count_items_not_classes() -> None:
    items = balanced(10)[:25]
    result = compute(items, SplitSpec(train=60, validation=20, test=20, stratify=False))
    assert [len(result.parts[p]) for p in PARTS] == [15, 5, 5]


@pytest.mark.parametrize(
    "fields", [{"train": 60, "validation": 20, "test": 30}, {"train": 50, "validation": 0}]
)
def test_percentages_must_sum_to_100(fields: dict[str, float]) -> None:
    with pytest.raises(ValidationError, match="must be 100"):
        SplitSpec(**fields)
