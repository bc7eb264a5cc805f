"""Grouped k-fold and leave-one-group-out as one experiment: k ordinary runs, each with its
own stored assignment (so the worker needs nothing new), read back as mean and spread."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import NotFound, Problem, ProblemCollector
from backend.models.dataset import Dataset
from backend.models.experiment import Experiment
from backend.models.project import Project
from backend.models.run import Run, RunStatus
from backend.runs import service as runs
from backend.runs.schemas import RunCreate
from backend.splits import service as splits
from backend.splits.assign import group_members
from backend.splits.experiment_schemas import (
    CrossValidationCreate,
    ExperimentPublic,
    MetricAggregate,
)
from backend.splits.folds import grouped_folds
from backend.splits.leaks import SplitLeaks, describe


def create(
    session: Session, project: Project, body: CrossValidationCreate, storage_root: Path
) -> Experiment:
    run_body = RunCreate(
        graph_version_id=body.graph_version_id, dataset_id=body.dataset_id,
        hyperparameters=body.hyperparameters, leakage_override=body.leakage_override,
    )  # fmt: skip
    dataset, version = runs.check_request(session, project, run_body)
    folds = None if body.folds == "leave_one_group_out" else body.folds
    _check(dataset, body, folds)
    assignments = grouped_folds(list(dataset.items), body.group_by, folds, body.validation / 100,
                                body.stratify, body.seed)  # fmt: skip
    plans = [splits.audited(dataset, a, body.group_by, storage_root) for a in assignments]
    override = (body.leakage_override or "").strip() or None
    _refuse_leaks(plans, override)
    kind = "leave_one_group_out" if folds is None else "grouped_k_fold"
    name = body.name or f"{version.graph.name} v{version.version} on {dataset.name}"
    spec = body.model_dump(mode="json", include={"group_by", "folds", "validation", "stratify",
                                                 "seed", "leakage_override"})  # fmt: skip
    experiment = Experiment(project_id=project.id, name=f"{name}: {kind} by {body.group_by}",
                            kind=kind, dataset_id=dataset.id, graph_version_id=version.id,
                            spec=spec)  # fmt: skip
    session.add(experiment)
    session.flush()
    for fold, plan in enumerate(plans, start=1):
        named = run_body.model_copy(update={"name": f"{name} (fold {fold} of {len(plans)})"})
        runs.insert_run(session, project, named, dataset, version, spec | {"kind": kind}, plan,
                        fold=fold, experiment_id=experiment.id)  # fmt: skip
    return experiment


def _check(dataset: Dataset, body: CrossValidationCreate, folds: int | None) -> None:
    problems = ProblemCollector()
    columns = splits.metadata_columns(dataset.items)
    if body.group_by not in columns:
        problems.add(["body", "group_by"],
                     f"'{body.group_by}' is not a metadata column of dataset '{dataset.name}'; "
                     f"its columns are: {', '.join(columns) or 'none'}")  # fmt: skip
        problems.raise_if_any("The cross-validation cannot be set up")
    groups = len(group_members(dataset.items, body.group_by))
    wanted = groups if folds is None else folds
    if wanted < 2 or wanted > groups:
        problems.add(["body", "folds"],
                     f"{wanted} folds need at least {max(wanted, 2)} values of '{body.group_by}'; "
                     f"dataset '{dataset.name}' has {groups}")  # fmt: skip
    problems.raise_if_any("The cross-validation cannot be set up")


def _refuse_leaks(plans: Sequence[splits.SplitPlan], override: str | None) -> None:
    problems = [
        Problem(("body", "folds", fold, leak.kind), describe(leak))
        for fold, plan in enumerate(plans, start=1)
        for leak in plan.preview.audit.leaks
    ]
    if problems and not override:
        raise SplitLeaks(
            f"{len({p.loc[2] for p in problems})} fold(s) leak. Group by the leaking column, "
            "or start anyway by sending leakage_override with your reason.",
            problems,
        )


def get_or_404(session: Session, project: Project, experiment_id: int) -> Experiment:
    experiment = session.get(Experiment, experiment_id)
    if experiment is None or experiment.project_id != project.id:
        raise NotFound(f"Experiment {experiment_id} does not exist")
    return experiment


def to_public(session: Session, experiment: Experiment) -> ExperimentPublic:
    rows = session.scalars(
        select(Run).where(Run.experiment_id == experiment.id).order_by(Run.fold)
    ).all()
    done = [r for r in rows if r.status == RunStatus.SUCCEEDED.value]
    ended = (RunStatus.FAILED.value, RunStatus.CANCELLED.value)
    return ExperimentPublic(
        id=experiment.id, name=experiment.name, kind=experiment.kind,
        dataset_id=experiment.dataset_id, graph_version_id=experiment.graph_version_id,
        spec=experiment.spec, created_at=experiment.created_at, folds=len(rows),
        finished=len(done), failed=[r.fold or 0 for r in rows if r.status in ended],
        aggregate=aggregate([r.test_metrics or {} for r in done]),
        runs=[runs.to_public(r) for r in rows],
    )  # fmt: skip


def aggregate(per_fold: Sequence[dict[str, float]]) -> dict[str, MetricAggregate]:
    keys = sorted({key for metrics in per_fold for key in metrics})
    result: dict[str, MetricAggregate] = {}
    for key in keys:
        values = [m[key] for m in per_fold if key in m]
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        result[key] = MetricAggregate(mean=statistics.fmean(values), std=spread,
                                      n=len(values), values=values)  # fmt: skip
    return result
