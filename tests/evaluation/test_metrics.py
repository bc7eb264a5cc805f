"""The metric functions against values worked out by hand (no scikit-learn here)."""

from __future__ import annotations

import numpy as np
import pytest

from backend.evaluation import metrics

# 3 classes, 6 items: rows (true) [2,1,0], [0,1,1], [0,0,1].
TRUE = [0, 0, 0, 1, 1, 2]
PRED = [0, 0, 1, 1, 2, 2]


def test_confusion_counts_and_row_normalisation() -> None:
    counts = metrics.confusion_counts(TRUE, PRED, 3)
    assert counts.tolist() == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    normalized = metrics.row_normalized(counts)
    for row, want in zip(normalized.tolist(), [[2 / 3, 1 / 3, 0], [0, 0.5, 0.5], [0, 0, 1]],
                         strict=True):
        assert row == pytest.approx(want)


def test_a_class_with_no_examples_keeps_a_zero_row() -> None:
    counts = metrics.confusion_counts([0, 0, 1], [0, 1, 1], 3)
    assert metrics.row_normalized(counts)[2].tolist() == [0, 0, 0]


def test_accuracy_balanced_accuracy_and_macro_f1_by_hand() -> None:
    counts = metrics.confusion_counts(TRUE, PRED, 3)
    assert metrics.accuracy(counts) == pytest.approx(4 / 6)
    # recalls 2/3, 1/2, 1
    assert metrics.balanced_accuracy(counts) == pytest.approx((2 / 3 + 1 / 2 + 1) / 3)
    # precisions 1, 1/2, 1/2 -> F1 0.8, 0.5, 2/3
    table = metrics.per_class(counts)
    assert table["precision"].tolist() == pytest.approx([1, 0.5, 0.5])
    assert table["recall"].tolist() == pytest.approx([2 / 3, 0.5, 1])
    assert table["f1"].tolist() == pytest.approx([0.8, 0.5, 2 / 3])
    assert table["support"].tolist() == [3, 2, 1]
    assert metrics.macro_f1(counts) == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)


def test_binary_balanced_accuracy_is_the_mean_of_sensitivity_and_specificity() -> None:
    # 90 negatives (81 right), 10 positives (4 right): accuracy flatters, UAR does not.
    true = [0] * 90 + [1] * 10
    pred = [0] * 81 + [1] * 9 + [1] * 4 + [0] * 6
    counts = metrics.confusion_counts(true, pred, 2)
    assert metrics.accuracy(counts) == pytest.approx(0.85)
    assert metrics.balanced_accuracy(counts) == pytest.approx((0.9 + 0.4) / 2)


def test_always_predicting_the_majority_class_scores_chance_balanced_accuracy() -> None:
    true = [0] * 8 + [1] * 1 + [2] * 1
    counts = metrics.confusion_counts(true, [0] * 10, 3)
    assert metrics.accuracy(counts) == pytest.approx(0.8)
    assert metrics.balanced_accuracy(counts) == pytest.approx(1 / 3)
    # Precision of never-predicted classes is 0, not a division error.
    assert metrics.per_class(counts)["precision"].tolist() == pytest.approx([0.8, 0, 0])
    assert metrics.macro_f1(counts) == pytest.approx((2 * 0.8 / 1.8) / 3)


def test_absent_classes_are_left_out_of_the_averages() -> None:
    # Class 2 is neither true nor predicted anywhere: it does not dilute the means.
    counts = metrics.confusion_counts([0, 1], [0, 1], 3)
    assert metrics.balanced_accuracy(counts) == 1.0
    assert metrics.macro_f1(counts) == 1.0


def test_bootstrap_is_seeded_contains_the_value_and_narrows_with_more_items() -> None:
    rng = np.random.default_rng(1)
    true = rng.integers(0, 3, 400).tolist()
    pred = [t if rng.random() < 0.7 else (t + 1) % 3 for t in true]
    small = metrics.bootstrap_ci(true[:40], pred[:40], 3)
    large = metrics.bootstrap_ci(true, pred, 3)
    assert large == metrics.bootstrap_ci(true, pred, 3)  # same seed, same interval
    counts = metrics.confusion_counts(true, pred, 3)
    for key, value in (("accuracy", metrics.accuracy(counts)),
                       ("balanced_accuracy", metrics.balanced_accuracy(counts))):
        lo, hi = large[key]
        assert lo < value < hi
        assert hi - lo < small[key][1] - small[key][0]
    # ~0.7 +- 1.96 * sqrt(0.21 / 400) = +-0.045
    assert large["accuracy"][1] - large["accuracy"][0] == pytest.approx(0.09, abs=0.02)


def test_bootstrap_of_a_perfect_model_is_a_point() -> None:
    assert metrics.bootstrap_ci([0, 1, 2, 1], [0, 1, 2, 1], 3) == {
        "accuracy": (1.0, 1.0), "balanced_accuracy": (1.0, 1.0)}


def test_report_is_json_ready_with_class_names() -> None:
    result = metrics.report(TRUE, PRED, ["anger", "neutral", "stress"], resamples=200)
    assert result["n"] == 6
    assert result["accuracy"]["value"] == pytest.approx(4 / 6)
    assert len(result["accuracy"]["ci95"]) == 2
    assert result["per_class"]["neutral"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5,
                                              "support": 2}
    assert result["confusion"]["labels"] == ["anger", "neutral", "stress"]
    assert result["confusion"]["counts"][0] == [2, 1, 0]


def test_per_group_scores_each_value_and_skips_id_columns() -> None:
    columns: dict[str, list[str | None]] = {
        "speaker": ["a", "a", "b", "b", "b", None],
        "file": ["1", "2", "3", "4", "5", "6"],  # every value once: an id, not a group
    }
    groups = metrics.per_group(TRUE, PRED, 3, columns)
    assert set(groups) == {"speaker"}
    # speaker a: items 0,1 (true 0,0; pred 0,0); b: items 2,3,4 (true 0,1,1; pred 1,1,2)
    assert groups["speaker"]["a"] == {"n": 2, "accuracy": 1.0, "balanced_accuracy": 1.0}
    assert groups["speaker"]["b"]["n"] == 3
    assert groups["speaker"]["b"]["accuracy"] == pytest.approx(1 / 3)
    assert groups["speaker"]["b"]["balanced_accuracy"] == pytest.approx((0 + 0.5) / 2)


def test_recording_level_averages_segment_probabilities() -> None:
    probabilities = np.array([
        [0.9, 0.1], [0.2, 0.8], [0.3, 0.7],  # rec A (true 0): mean [0.467, 0.533] -> 1
        [0.1, 0.9], [0.4, 0.6],              # rec B (true 1): mean [0.25, 0.75] -> 1
    ])  # fmt: skip
    names, true, probs = metrics.aggregate_recordings(
        probabilities, [0, 0, 0, 1, 1], ["A", "A", "A", "B", "B"])
    assert names == ["A", "B"]
    assert true.tolist() == [0, 1]
    assert probs[0].tolist() == pytest.approx([1.4 / 3, 1.6 / 3])
    assert probs[1].tolist() == pytest.approx([0.25, 0.75])
    # Averaging is not voting: one confident segment outweighs two unsure ones.
    votes_a = metrics.aggregate_recordings(
        np.array([[0.99, 0.01], [0.4, 0.6], [0.45, 0.55]]), [0, 0, 0], ["A"] * 3)
    assert int(np.argmax(votes_a[2][0])) == 0
