"""evaluation.json and predictions.json built from probabilities (the results contract)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from backend.evaluation.results import HeldOut, evaluation, predictions, write_json_atomic

CLASSES = ["anger", "neutral"]


def held_out(with_source: bool) -> HeldOut:
    probabilities = np.array([[0.9, 0.1], [0.4, 0.6], [0.3, 0.7], [0.2, 0.8]])
    metadata = [
        {"speaker": "s1", **({"source": "r1.wav"} if with_source else {})},
        {"speaker": "s1", **({"source": "r1.wav"} if with_source else {})},
        {"speaker": "s2", **({"source": "r2.wav"} if with_source else {})},
        {"speaker": "s2", **({"source": "r2.wav"} if with_source else {})},
    ]
    return HeldOut(CLASSES, [0, 0, 1, 1], probabilities, [11, 12, 13, 14],
                   ["a/1.png", "a/2.png", "n/3.png", "n/4.png"], metadata)


def test_evaluation_has_every_contract_field() -> None:
    result = evaluation(held_out(False), "test", "best", 3, resamples=100)
    assert result["split"] == "test" and result["checkpoint"] == "best"
    assert result["best_epoch"] == 3 and result["classes"] == CLASSES and result["n"] == 4
    assert result["accuracy"]["value"] == pytest.approx(0.75)
    assert result["balanced_accuracy"]["value"] == pytest.approx(0.75)
    assert result["confusion"]["counts"] == [[1, 1], [0, 2]]
    assert result["per_group"]["speaker"]["s1"] == {"n": 2, "accuracy": 0.5,
                                                    "balanced_accuracy": 0.5}
    assert result["recording_level"] is None
    json.dumps(result, allow_nan=False)  # strict JSON: no NaN anywhere


def test_a_source_column_adds_recording_level_results_and_is_no_group() -> None:
    result = evaluation(held_out(True), "test", "best", 1, resamples=100)
    recording = result["recording_level"]
    assert recording["column"] == "source" and recording["n"] == 2
    # r1: mean [0.65, 0.35] -> anger (right); r2 -> neutral (right)
    assert recording["accuracy"]["value"] == 1.0
    assert recording["confusion"]["counts"] == [[1, 0], [0, 1]]
    assert "source" not in result["per_group"]


def test_predictions_match_the_confusion_counts() -> None:
    held = held_out(False)
    items = predictions(held)["items"]
    assert [i["item_id"] for i in items] == [11, 12, 13, 14]
    assert items[1] == {"item_id": 12, "path": "a/2.png", "true": "anger",
                        "predicted": "neutral", "probabilities": [0.4, 0.6],
                        "metadata": {"speaker": "s1"}}
    counts = evaluation(held, "test", "last", None, resamples=10)["confusion"]["counts"]
    for t, row in enumerate(counts):
        for p, n in enumerate(row):
            assert n == sum(1 for i in items
                            if i["true"] == CLASSES[t] and i["predicted"] == CLASSES[p])


def test_json_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "runs" / "1" / "evaluation.json"
    write_json_atomic(target, {"a": 1})
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in target.parent.iterdir()] == ["evaluation.json"]
