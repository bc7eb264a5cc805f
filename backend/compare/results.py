"""Reading a run's stored results: evaluation.json and predictions.json, written by the
worker beside the model (see /work/notes/results-contract.md). Absent files are normal:
a run that has not finished, or one that predates evaluation, simply has none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend.errors import InvalidInput, Problem


def run_dir(storage_root: Path, run_id: int) -> Path:
    return storage_root / "runs" / str(run_id)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):  # missing, or being written: treat as not there yet
        return None
    return data if isinstance(data, dict) else None


def evaluation(storage_root: Path, run_id: int) -> dict[str, Any] | None:
    return _read(run_dir(storage_root, run_id) / "evaluation.json")


def has_predictions(storage_root: Path, run_id: int) -> bool:
    return (run_dir(storage_root, run_id) / "predictions.json").is_file()


def correct_by_item(storage_root: Path, run_id: int, loc: str) -> dict[int, bool]:
    """item id -> whether the run predicted its class; 422 when the run has none."""
    data = _read(run_dir(storage_root, run_id) / "predictions.json")
    items = data.get("items") if data else None
    if not isinstance(items, list):
        raise InvalidInput(
            "McNemar's test needs both runs' test predictions",
            [Problem(("query", loc), f"run {run_id} has no stored predictions (predictions.json"
                     " is written when a run finishes training and is evaluated)")],
        )  # fmt: skip
    return {int(item["item_id"]): item["true"] == item["predicted"] for item in items}
