"""Classification metrics as plain numpy: the worker writes them, tests check them by hand.

No scikit-learn (not installed, and not worth 30 MB for a few sums). The definitions
follow the field's (and scikit-learn's) conventions so numbers compare with papers:

- balanced accuracy = unweighted average recall over the classes that occur in the
  true labels (a class with no examples has no recall to average);
- macro-F1 = mean F1 over the classes that occur in the true or predicted labels;
  precision of a class never predicted is 0, as is the F1 of a class with P = R = 0;
- confusion rows are true classes; a row with no examples normalises to zeros;
- 95% confidence intervals are percentile bootstraps over items, seeded so the same
  predictions always give the same interval.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

RESAMPLES = 1000
SEED = 0
BOOTSTRAP_CHUNK = 100  # resamples at a time: memory stays ~chunk x n, not 1000 x n
MAX_GROUP_VALUES = 50  # as the dataset explorer: more values than this is an id, not a group


def confusion_counts(true: Sequence[int], pred: Sequence[int], num_classes: int) -> IntArray:
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(true, dtype=np.int64), np.asarray(pred, dtype=np.int64)), 1)
    return counts


def row_normalized(counts: IntArray) -> FloatArray:
    totals = counts.sum(axis=1, keepdims=True)
    result: FloatArray = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    return result


def per_class(counts: IntArray) -> dict[str, FloatArray]:
    """Precision, recall, F1 and support per class; 0 where a ratio has no denominator."""
    hits = np.diag(counts).astype(np.float64)
    support = counts.sum(axis=1).astype(np.float64)
    predicted = counts.sum(axis=0).astype(np.float64)
    precision = _ratio(hits, predicted)
    recall = _ratio(hits, support)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support}


def accuracy(counts: IntArray) -> float:
    total = counts.sum()
    return float(np.trace(counts) / total) if total else 0.0


def balanced_accuracy(counts: IntArray) -> float:
    support = counts.sum(axis=1)
    present = support > 0
    if not present.any():
        return 0.0
    return float(np.mean(np.diag(counts)[present] / support[present]))


def macro_f1(counts: IntArray) -> float:
    seen = (counts.sum(axis=1) + counts.sum(axis=0)) > 0
    if not seen.any():
        return 0.0
    return float(np.mean(per_class(counts)["f1"][seen]))


def bootstrap_ci(
    true: Sequence[int], pred: Sequence[int], num_classes: int,
    resamples: int = RESAMPLES, seed: int = SEED,
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of accuracy and balanced accuracy, resampling items."""
    t = np.asarray(true, dtype=np.int64)
    correct = t == np.asarray(pred, dtype=np.int64)
    if t.size == 0:
        return {"accuracy": (0.0, 0.0), "balanced_accuracy": (0.0, 0.0)}
    rng = np.random.default_rng(seed)
    accs: list[FloatArray] = []
    bals: list[FloatArray] = []
    for start in range(0, resamples, BOOTSTRAP_CHUNK):
        idx = rng.integers(0, t.size, size=(min(BOOTSTRAP_CHUNK, resamples - start), t.size))
        sample_true, sample_correct = t[idx], correct[idx]
        accs.append(sample_correct.mean(axis=1))
        bals.append(_balanced_rows(sample_true, sample_correct, num_classes))
    return {"accuracy": _percentiles(np.concatenate(accs)),
            "balanced_accuracy": _percentiles(np.concatenate(bals))}  # fmt: skip


def _balanced_rows(true: IntArray, correct: NDArray[np.bool_], num_classes: int) -> FloatArray:
    recalls = np.full((true.shape[0], num_classes), np.nan)
    for c in range(num_classes):
        is_c = true == c
        support = is_c.sum(axis=1)
        hits = (is_c & correct).sum(axis=1)
        recalls[:, c] = np.where(support > 0, hits / np.maximum(support, 1), np.nan)
    # Every resample holds at least one item, so at least one class has a recall.
    means: FloatArray = np.nanmean(recalls, axis=1)
    return means


def _percentiles(values: FloatArray) -> tuple[float, float]:
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def report(
    true: Sequence[int], pred: Sequence[int], classes: Sequence[str],
    resamples: int = RESAMPLES, seed: int = SEED,
) -> dict[str, Any]:
    """The headline numbers, per-class table and confusion matrix, JSON-ready."""
    counts = confusion_counts(true, pred, len(classes))
    ci = bootstrap_ci(true, pred, len(classes), resamples, seed)
    table = per_class(counts)
    return {
        "n": int(counts.sum()),
        "accuracy": {"value": accuracy(counts), "ci95": list(ci["accuracy"])},
        "balanced_accuracy": {"value": balanced_accuracy(counts),
                              "ci95": list(ci["balanced_accuracy"])},
        "macro_f1": macro_f1(counts),
        "per_class": {
            name: {"precision": float(table["precision"][i]), "recall": float(table["recall"][i]),
                   "f1": float(table["f1"][i]), "support": int(table["support"][i])}
            for i, name in enumerate(classes)
        },
        "confusion": {"labels": list(classes), "counts": counts.tolist(),
                      "normalized": row_normalized(counts).tolist()},
    }  # fmt: skip


def per_group(
    true: Sequence[int], pred: Sequence[int], num_classes: int,
    columns: Mapping[str, Sequence[str | None]],
) -> dict[str, dict[str, dict[str, Any]]]:
    """n, accuracy and balanced accuracy per value of each column (items without a value
    are left out of that column). Columns of more than MAX_GROUP_VALUES values, or where
    no two items share a value, are ids rather than groups and are skipped."""
    t, p = np.asarray(true, dtype=np.int64), np.asarray(pred, dtype=np.int64)
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for column, values in sorted(columns.items()):
        present = [v for v in values if v is not None]
        distinct = sorted(set(present))
        if not distinct or len(distinct) > MAX_GROUP_VALUES or len(distinct) == len(present) > 1:
            continue
        groups: dict[str, dict[str, Any]] = {}
        for value in distinct:
            mask = np.array([v == value for v in values])
            counts = confusion_counts(t[mask], p[mask], num_classes)
            groups[value] = {"n": int(mask.sum()), "accuracy": accuracy(counts),
                             "balanced_accuracy": balanced_accuracy(counts)}
        result[column] = groups
    return result


def aggregate_recordings(
    probabilities: FloatArray, true: Sequence[int], recordings: Sequence[str],
) -> tuple[list[str], IntArray, FloatArray]:
    """Segment probabilities averaged per recording (a recording-level decision, as a
    listener would judge the whole utterance). A recording's true class is its segments'
    most common one (they normally agree). Recordings in first-seen order."""
    order: dict[str, list[int]] = {}
    for index, recording in enumerate(recordings):
        order.setdefault(recording, []).append(index)
    names = list(order)
    probs = np.stack([probabilities[rows].mean(axis=0) for rows in order.values()])
    labels = np.array([_most_common([true[i] for i in rows]) for rows in order.values()],
                      dtype=np.int64)
    return names, labels, probs


def _most_common(labels: list[int]) -> int:
    counts = Counter(labels)
    top = max(counts.values())
    return min(label for label, n in counts.items() if n == top)  # ties: first class


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    result: FloatArray = np.divide(numerator, denominator, out=np.zeros_like(numerator),
                                   where=denominator > 0)
    return result
