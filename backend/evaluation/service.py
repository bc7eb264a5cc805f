"""Reading a run's evaluation files for the API: filters, paging, image links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend.errors import InvalidInput, NotFound, Problem
from backend.evaluation.results import EVALUATION_FILE, PREDICTIONS_FILE
from backend.evaluation.schemas import EvaluationPublic, PredictionPublic, PredictionsPublic
from backend.models.run import Run, RunStatus


def evaluation(run: Run, storage_root: Path) -> EvaluationPublic:
    return EvaluationPublic.model_validate(_read(run, storage_root, EVALUATION_FILE))


def predictions(
    run: Run, storage_root: Path, true: str | None, predicted: str | None,
    offset: int, limit: int,
) -> PredictionsPublic:
    stored = _read(run, storage_root, PREDICTIONS_FILE)
    classes: list[str] = list(stored.get("classes", []))
    _check_classes(classes, {"true": true, "predicted": predicted})
    matching = [
        item for item in stored.get("items", [])
        if (true is None or item["true"] == true)
        and (predicted is None or item["predicted"] == predicted)
    ]  # fmt: skip
    page = matching[offset : offset + limit]
    return PredictionsPublic(
        count=len(matching), classes=classes, offset=offset, limit=limit,
        items=[_public(run, item) for item in page],
    )


def _check_classes(classes: list[str], filters: dict[str, str | None]) -> None:
    listed = ", ".join(classes)
    problems = [
        Problem(("query", name), f"'{value}' is not one of the run's classes ({listed})")
        for name, value in filters.items()
        if value is not None and value not in classes
    ]
    if problems:
        raise InvalidInput(f"Unknown class in the filter; the run's classes are {listed}",
                           problems)


def _public(run: Run, item: dict[str, Any]) -> PredictionPublic:
    item_id = item.get("item_id")
    base = f"/api/datasets/{run.dataset_id}/items/{item_id}" if item_id is not None else None
    return PredictionPublic(
        **item,
        image_url=f"{base}/image" if base else None,
        thumbnail_url=f"{base}/thumbnail" if base else None,
    )


def _read(run: Run, storage_root: Path, name: str) -> dict[str, Any]:
    path = storage_root / "runs" / str(run.id) / name
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise NotFound(_missing_message(run)) from None
    return data


def _missing_message(run: Run) -> str:
    status = RunStatus(run.status)
    if status in (RunStatus.QUEUED, RunStatus.RUNNING):
        return (f"Run {run.id} has no evaluation yet ({status.value}): it is written when "
                "training ends, on the test split with the best checkpoint")
    if status is RunStatus.SUCCEEDED:
        return (f"Run {run.id} has no evaluation: it finished before evaluations were "
                "recorded, or had neither a test nor a validation split")
    return f"Run {run.id} has no evaluation: it ended {status.value} before evaluating"
