"""Grouped k-fold and leave-one-group-out: every group tested exactly once, never trained on
in the fold that tests it."""

from __future__ import annotations

import pytest

from backend.splits.experiments import aggregate
from backend.splits.folds import grouped_folds
from tests.splits.test_assign import speakers


@pytest.mark.parametrize("folds", [2, 3, 5, None])
def test_each_speaker_is_tested_once_and_never_trained_on_in_its_fold(folds: int | None) -> None:
    items = speakers(10, seed=4)
    speaker = {i.id: i.extra["speaker"] for i in items}
    assignments = grouped_folds(items, "speaker", folds, 0.25, True, seed=2)
    assert len(assignments) == (10 if folds is None else folds)
    tested: list[str] = []
    for assignment in assignments:
        parts = {p: {speaker[i] for i in ids} for p, ids in assignment.parts.items()}
        assert parts["test"] and parts["train"] and parts["validation"]
        assert not parts["test"] & (parts["train"] | parts["validation"])
        assert not parts["train"] & parts["validation"]
        assert sum(len(ids) for ids in assignment.parts.values()) == len(items)
        tested += sorted(parts["test"])
    assert sorted(tested) == sorted(set(speaker.values()))


def test_folds_are_the_same_for_the_same_seed() -> None:
    items = speakers(9)
    first = [a.parts for a in grouped_folds(items, "speaker", 3, 0.2, True, seed=1)]
    assert [a.parts for a in grouped_folds(items, "speaker", 3, 0.2, True, seed=1)] == first
    assert [a.parts for a in grouped_folds(items, "speaker", 3, 0.2, True, seed=9)] != first


def test_aggregates_are_mean_and_sample_standard_deviation() -> None:
    result = aggregate([{"test_accuracy": 0.5}, {"test_accuracy": 0.7}, {"test_accuracy": 0.9}])
    summary = result["test_accuracy"]
    assert summary.mean == pytest.approx(0.7) and summary.std == pytest.approx(0.2)
    assert summary.n == 3 and summary.values == [0.5, 0.7, 0.9]
    assert aggregate([{"test_loss": 1.0}])["test_loss"].std == 0.0
