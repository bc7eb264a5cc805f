"""Runs side by side: one row of final numbers per run and its curves, and McNemar's test
between two runs scored on the same test items."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backend.compare import results
from backend.compare.mcnemar import mcnemar
from backend.compare.schemas import (
    ComparePublic,
    CompareRow,
    Estimate,
    HyperValue,
    McNemarPublic,
    RunCurves,
)
from backend.errors import InvalidInput, NotFound, Problem
from backend.models.graph import GraphVersion
from backend.models.project import Project
from backend.models.run import Run, RunEvent, RunMetric, RunStatus

MAX_COMPARED = 50


def parse_ids(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    bad = [p for p in parts if not p.isdigit()]
    if bad or not parts:
        raise InvalidInput("ids must be run ids separated by commas, such as ids=3,4,7",
                           [Problem(("query", "ids"), f"received: ids={text!r}")])  # fmt: skip
    if len(parts) > MAX_COMPARED:
        raise InvalidInput(f"At most {MAX_COMPARED} runs can be compared at once",
                           [Problem(("query", "ids"), f"received {len(parts)} ids")])  # fmt: skip
    return list(dict.fromkeys(int(p) for p in parts))


def load_runs(session: Session, project: Project, ids: Sequence[int]) -> list[Run]:
    """The runs in the order asked; 404 naming every id that is not in this project."""
    found = {
        run.id: run
        for run in session.scalars(
            select(Run)
            .where(Run.project_id == project.id, Run.id.in_(ids))
            .options(selectinload(Run.dataset),
                     selectinload(Run.graph_version).selectinload(GraphVersion.graph))
        )
    }  # fmt: skip
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"Run(s) {', '.join(map(str, missing))} do not exist")
    return [found[i] for i in ids]


def compare(session: Session, runs: Sequence[Run], storage_root: Path) -> ComparePublic:
    ids = [run.id for run in runs]
    seconds = _epoch_seconds(session, ids)
    return ComparePublic(
        rows=[_row(run, seconds.get(run.id, []), storage_root) for run in runs],
        curves=_curves(session, ids),
    )


def flatten(value: Any, prefix: str = "") -> dict[str, HyperValue]:
    """Nested hyperparameters as dotted keys, so any of them can be a filter or column."""
    if isinstance(value, dict):
        flat: dict[str, HyperValue] = {}
        for key, inner in value.items():
            flat.update(flatten(inner, f"{prefix}{key}."))
        return flat
    if isinstance(value, list):
        return {prefix[:-1]: ", ".join(map(str, value))}
    return {prefix[:-1]: value}


def _estimate(
    evaluation: dict[str, Any] | None, key: str, fallback: float | None
) -> Estimate | None:
    block = (evaluation or {}).get(key)
    if isinstance(block, dict) and isinstance(block.get("value"), int | float):
        ci = block.get("ci95")
        return Estimate(value=float(block["value"]), ci95=list(ci) if ci else None)
    return Estimate(value=fallback) if fallback is not None else None


def _row(run: Run, seconds: list[float], storage_root: Path) -> CompareRow:
    latest, test = run.latest_metrics or {}, run.test_metrics or {}
    evaluation = results.evaluation(storage_root, run.id)
    return CompareRow(
        run_id=run.id, name=run.name, status=RunStatus(run.status),
        model=run.graph_version.graph.name, model_version=run.graph_version.version,
        graph_version_id=run.graph_version_id, dataset_id=run.dataset_id,
        dataset=run.dataset.name, epochs_completed=run.epochs_completed,
        train_accuracy=latest.get("accuracy"), val_accuracy=latest.get("val_accuracy"),
        train_loss=latest.get("loss"), val_loss=latest.get("val_loss"),
        test_accuracy=_estimate(evaluation, "accuracy", test.get("test_accuracy")),
        balanced_accuracy=_estimate(evaluation, "balanced_accuracy",
                                    test.get("test_balanced_accuracy")),
        num_params=run.num_params,
        seconds_per_epoch=statistics.fmean(seconds) if seconds else None,
        hyperparameters=flatten(run.hyperparameters or {}),
        has_predictions=results.has_predictions(storage_root, run.id),
        tags=list(run.tags or []),
    )  # fmt: skip


def _epoch_seconds(session: Session, ids: Sequence[int]) -> dict[int, list[float]]:
    # A resumed run may record an epoch twice; the last record of each epoch counts.
    by_run: dict[int, dict[int, float]] = {}
    events = session.scalars(
        select(RunEvent).where(RunEvent.run_id.in_(ids), RunEvent.kind == "epoch")
        .order_by(RunEvent.run_id, RunEvent.seq)
    )  # fmt: skip
    for event in events:
        seconds = event.payload.get("seconds")
        if isinstance(seconds, int | float):
            by_run.setdefault(event.run_id, {})[int(event.payload.get("epoch", 0))] = seconds
    return {run_id: list(epochs.values()) for run_id, epochs in by_run.items()}


def _curves(session: Session, ids: Sequence[int]) -> list[RunCurves]:
    values: dict[int, dict[str, dict[int, float]]] = {i: {} for i in ids}
    rows = session.scalars(
        select(RunMetric).where(RunMetric.run_id.in_(ids)).order_by(RunMetric.step)
    )
    for metric in rows:
        values[metric.run_id].setdefault(metric.key, {})[metric.step] = metric.value
    curves = []
    for run_id in ids:
        steps = sorted({step for series in values[run_id].values() for step in series})
        metrics = {key: [series.get(step) for step in steps]
                   for key, series in sorted(values[run_id].items())}  # fmt: skip
        curves.append(RunCurves(run_id=run_id, epochs=steps, metrics=metrics))
    return curves


def mcnemar_test(a: Run, b: Run, storage_root: Path) -> McNemarPublic:
    if a.id == b.id:
        raise InvalidInput("Compare two different runs",
                           [Problem(("query", "b"), f"a and b are both run {a.id}")])  # fmt: skip
    first = results.correct_by_item(storage_root, a.id, "a")
    second = results.correct_by_item(storage_root, b.id, "b")
    if first.keys() != second.keys():
        only_a, only_b = len(first.keys() - second.keys()), len(second.keys() - first.keys())
        raise InvalidInput(
            "McNemar's test needs both runs scored on the same test items; these test splits "
            "differ (start both runs with the same dataset, split and seed)",
            [Problem(("query", "b"), f"{only_a} test item(s) only in run {a.id}, {only_b} only "
                     f"in run {b.id}")],
        )  # fmt: skip
    order = sorted(first)
    result = mcnemar([first[i] for i in order], [second[i] for i in order])
    n = max(result.n, 1)
    return McNemarPublic(
        a=a.id, b=b.id, n=result.n, b01=result.b01, b10=result.b10, statistic=result.statistic,
        p_value=result.p_value, exact=result.exact,
        a_accuracy=sum(first.values()) / n, b_accuracy=sum(second.values()) / n,
    )  # fmt: skip
