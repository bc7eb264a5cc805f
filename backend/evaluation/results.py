"""evaluation.json and predictions.json from a model's probabilities (results contract):
pure numpy, so the worker writes them and tests check them without Keras."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from backend.evaluation import metrics
from backend.evaluation.metrics import FloatArray

EVALUATION_FILE = "evaluation.json"
PREDICTIONS_FILE = "predictions.json"
# Metadata columns that name the recording an item was cut from (as the split audit).
SOURCE_COLUMNS = ("source", "recording")
PROBABILITY_DIGITS = 6


@dataclass
class HeldOut:
    """The evaluated items in model order: who they are and what the model said."""

    classes: list[str]
    true: list[int]
    probabilities: FloatArray  # (n, classes), rows sum to 1
    item_ids: list[int | None]
    paths: list[str]
    metadata: list[dict[str, Any]] = field(default_factory=list)

    @property
    def predicted(self) -> list[int]:
        return [int(i) for i in np.argmax(self.probabilities, axis=1)]


def evaluation(
    held: HeldOut, split: str, checkpoint: str, best_epoch: int | None,
    resamples: int = metrics.RESAMPLES,
) -> dict[str, Any]:
    predicted = held.predicted
    metadata = held.metadata or [{} for _ in held.true]
    source = source_column(metadata)
    columns = {c: [_value(m, c) for m in metadata] for c in _columns(metadata) if c != source}
    return {
        "split": split,
        "checkpoint": checkpoint,
        "best_epoch": best_epoch,
        "classes": list(held.classes),
        **metrics.report(held.true, predicted, held.classes, resamples),
        "per_group": metrics.per_group(held.true, predicted, len(held.classes), columns),
        "recording_level": _recording_level(held, metadata, source, resamples),
    }


def predictions(held: HeldOut) -> dict[str, Any]:
    names = held.classes
    rows = np.round(held.probabilities.astype(np.float64), PROBABILITY_DIGITS).tolist()
    return {
        "classes": list(names),
        "items": [
            {"item_id": item_id, "path": path, "true": names[t], "predicted": names[p],
             "probabilities": probs, "metadata": meta}
            for item_id, path, t, p, probs, meta in zip(
                held.item_ids, held.paths, held.true, held.predicted, rows,
                held.metadata or [{} for _ in held.true], strict=True,
            )
        ],
    }  # fmt: skip


def source_column(metadata: Sequence[dict[str, Any]]) -> str | None:
    present = _columns(metadata)
    return next((c for c in SOURCE_COLUMNS if c in present), None)


def _recording_level(
    held: HeldOut, metadata: list[dict[str, Any]], source: str | None, resamples: int
) -> dict[str, Any] | None:
    if source is None:
        return None
    # A segment without a recording is its own recording: it still counts once.
    recordings = [_value(m, source) or f"item:{held.item_ids[i]}" for i, m in enumerate(metadata)]
    _, true, probs = metrics.aggregate_recordings(held.probabilities, held.true, recordings)
    predicted = [int(i) for i in np.argmax(probs, axis=1)]
    summary = metrics.report(true.tolist(), predicted, held.classes, resamples)
    keep = ("n", "accuracy", "balanced_accuracy", "macro_f1", "per_class", "confusion")
    return {"column": source, **{k: summary[k] for k in keep}}


def _columns(metadata: Sequence[dict[str, Any]]) -> list[str]:
    return sorted({key for m in metadata for key in m})


def _value(meta: dict[str, Any], column: str) -> str | None:
    value = meta.get(column)
    return None if value is None or value == "" else str(value)


def write_json_atomic(path: Path, payload: Any) -> None:
    """A reader (the API) never sees half a file: write beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    partial.write_text(json.dumps(payload, separators=(",", ":")))
    os.replace(partial, path)
