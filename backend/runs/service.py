"""Run rules: what may start, and the hand-over to the queue after the commit."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from backend.broker import get_redis
from backend.datasets import repository as datasets
from backend.errors import NotFound, ProblemCollector, ServiceUnavailable
from backend.graph.schema import DenseNode, GraphSpec
from backend.graphs import repository as graphs
from backend.models.dataset import Dataset
from backend.models.graph import GraphVersion
from backend.models.project import Project
from backend.models.run import Run, RunStatus
from backend.queue import enqueue_train_run
from backend.runs import repository
from backend.runs.hyperparameters import Hyperparameters
from backend.runs.hyperparameters import validate as hyperparameters
from backend.runs.recorder import RunRecorder
from backend.runs.schemas import RunCreate, RunProgress, RunPublic, RunTagsUpdate
from backend.settings import get_settings
from backend.splits import service as splits
from backend.splits.leaks import refuse_unless_overridden
from backend.splits.schemas import LeakageAudit, PartSummary, SplitSpec

logger = logging.getLogger(__name__)


def create_run(session: Session, project: Project, body: RunCreate) -> Run:
    dataset, version = check_request(session, project, body)
    spec = body.split or splits.default_spec(
        body.hyperparameters.validation_fraction, body.hyperparameters.seed
    )
    plan = splits.plan(dataset, spec, get_settings().resolved_storage_dir)
    override = (body.leakage_override or "").strip() or None
    if body.split is not None:  # clients that predate splits keep working, audited not blocked
        refuse_unless_overridden(plan.preview.audit, override)
    return insert_run(session, project, body, dataset, version, spec.model_dump(mode="json"), plan)


def check_request(
    session: Session, project: Project, body: RunCreate
) -> tuple[Dataset, GraphVersion]:
    """Every reason this dataset, graph version and hyperparameters cannot train, at once."""
    problems = ProblemCollector()
    dataset = datasets.get(session, project.id, body.dataset_id)
    version = graphs.get_version(session, project.id, body.graph_version_id)
    if dataset is None:
        problems.add(["body", "dataset_id"], f"dataset {body.dataset_id} does not exist")
    if version is None:
        problems.add(
            ["body", "graph_version_id"], f"graph version {body.graph_version_id} does not exist"
        )
    if dataset is not None and dataset.kind != "image":
        problems.add(["body", "dataset_id"],
                     f"dataset '{dataset.name}' holds {dataset.kind} recordings; convert it to "
                     "spectrogram images first (POST /api/datasets/{id}/spectrograms)")
    elif dataset is not None and version is not None:
        _check_output_matches_classes(version, dataset, problems)
    problems.problems.extend(hyperparameters.check(body.hyperparameters)[0])
    _check_validation_part(body, problems)
    problems.raise_if_any("The run cannot start")
    assert dataset is not None and version is not None
    return dataset, version


def insert_run(
    session: Session, project: Project, body: RunCreate, dataset: Dataset,
    version: GraphVersion, split: dict[str, Any], plan: splits.SplitPlan, fold: int | None = None,
    experiment_id: int | None = None,
) -> Run:
    """Stores a checked run with its split and audit, then queues it."""
    override = (body.leakage_override or "").strip() or None
    run = Run(
        project_id=project.id,
        graph_version_id=version.id,
        dataset_id=dataset.id,
        name=body.name or f"{version.graph.name} v{version.version} on {dataset.name}",
        status=RunStatus.QUEUED.value,
        hyperparameters=body.hyperparameters.model_dump(mode="json"),
        split=split,
        split_assignment=dict(plan.assignment.parts),
        split_summary={
            "parts": {k: v.model_dump(mode="json") for k, v in plan.preview.parts.items()},
            "warnings": plan.preview.warnings,
        },
        leakage_report=plan.preview.audit.model_dump(mode="json"),
        leakage_override=override,
        experiment_id=experiment_id,
        fold=fold,
        tags=list(body.tags),
    )
    session.add(run)
    session.flush()
    _recorder(session).status(run, RunStatus.QUEUED)  # commits
    _enqueue(session, run)
    return run


def _check_validation_part(body: RunCreate, problems: ProblemCollector) -> None:
    """A monitor of validation metrics needs a validation part to watch."""
    if body.split is None or body.split.validation > 0:
        return
    hp = body.hyperparameters
    monitors = {
        ("early_stopping", "monitor"): hp.early_stopping.monitor if hp.early_stopping.enabled
        else None,
        ("schedule", "monitor"): getattr(hp.schedule, "monitor", None),
    }  # fmt: skip
    for loc, monitor in monitors.items():
        if monitor is not None and monitor.startswith("val_"):
            problems.add(
                ["body", "hyperparameters", *loc],
                f"monitors {monitor} but the split has no validation part (validation 0)",
            )


def _check_output_matches_classes(
    version: GraphVersion, dataset: Dataset, problems: ProblemCollector
) -> None:
    spec = GraphSpec.model_validate(version.spec)
    targets = {edge.source for edge in spec.edges}
    outputs = [node for node in spec.nodes if node.id not in targets]
    output = outputs[0] if len(outputs) == 1 else None
    classes = len(dataset.classes)
    if not isinstance(output, DenseNode):
        problems.add(
            ["graph", "nodes", output.id if output else "?"],
            f"the model must end in a Dense layer with {classes} units and softmax",
        )
        return
    loc = ["graph", "nodes", output.id, "params"]
    if output.params.units != classes:
        problems.add(
            [*loc, "units"],
            f"the output Dense has {output.params.units} units but dataset "
            f"'{dataset.name}' has {classes} classes ({', '.join(dataset.classes)})",
        )
    if output.params.activation != "softmax":
        problems.add(
            [*loc, "activation"],
            f"the output Dense must use softmax (it uses {output.params.activation}) "
            "to give class probabilities",
        )


def _enqueue(session: Session, run: Run) -> None:
    # Only after the commit: a worker that picks the task up must find the row.
    recorder = _recorder(session)
    try:
        run.task_id = enqueue_train_run(run.id)
        session.commit()
    except Exception as exc:
        logger.exception("could not enqueue run %s", run.id)
        recorder.status(run, RunStatus.FAILED, "Could not queue the run: the broker is unreachable")
        raise ServiceUnavailable(
            f"Run {run.id} could not be queued: the broker is unreachable ({type(exc).__name__})"
        ) from exc


def _recorder(session: Session) -> RunRecorder:
    try:
        client = get_redis()
    except RuntimeError:  # no broker configured: the DB log still carries the event
        client = None
    return RunRecorder(session, client)


def get_or_404(session: Session, project: Project, run_id: int) -> Run:
    run = repository.get(session, project.id, run_id)
    if run is None:
        raise NotFound(f"Run {run_id} does not exist")
    return run


def set_tags(session: Session, project: Project, run_id: int, body: RunTagsUpdate) -> Run:
    """Replaces a run's tags. Tags are annotations, not part of what the run trained, so
    they may change on a finished run (everything else about a run stays as created)."""
    run = get_or_404(session, project, run_id)
    run.tags = list(body.tags)  # a new list: JSON columns do not track in-place changes
    session.commit()
    return run


def to_public(run: Run) -> RunPublic:
    hp = Hyperparameters.model_validate(run.hyperparameters)
    return RunPublic(
        id=run.id,
        project_id=run.project_id,
        name=run.name,
        status=RunStatus(run.status),
        graph_version_id=run.graph_version_id,
        graph_name=run.graph_version.graph.name,
        graph_version=run.graph_version.version,
        dataset_id=run.dataset_id,
        dataset_name=run.dataset.name,
        hyperparameters=hp,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error_message=run.error_message,
        epochs_completed=run.epochs_completed,
        latest_metrics=run.latest_metrics or {},
        test_metrics=run.test_metrics or {},
        num_params=run.num_params,
        has_model=run.model_path is not None,
        worker=run.worker,
        warnings=hyperparameters.check(hp, run.dataset.class_counts)[1],
        tags=list(run.tags or []),
        **_split_fields(run),
        **_training_fields(run),
    )


def _training_fields(run: Run) -> dict[str, Any]:
    return {
        "phase": run.phase,
        "attempt": run.attempt or 0,
        "device": run.device,
        "checkpoint_epoch": run.checkpoint_epoch or 0,
        "cancel_requested": run.cancel_requested_at is not None,
        "progress": RunProgress.model_validate(run.progress) if run.progress else None,
    }


def _split_fields(run: Run) -> dict[str, Any]:
    summary = run.split_summary or {}
    return {
        # A fold's split is its experiment's cross-validation spec, not a SplitSpec.
        "split": SplitSpec.model_validate(run.split) if run.split and not run.fold else None,
        "experiment_id": run.experiment_id,
        "fold": run.fold,
        "split_summary": {
            part: PartSummary.model_validate(value)
            for part, value in summary.get("parts", {}).items()
        } if summary else None,
        "split_warnings": summary.get("warnings", []),
        "leakage_report": LeakageAudit.model_validate(run.leakage_report)
        if run.leakage_report else None,
        "leakage_override": run.leakage_override,
    }  # fmt: skip


def model_file(run: Run, storage_root: Path) -> Path:
    path = storage_root / run.model_path if run.model_path else None
    if path is None or not path.is_file():
        raise NotFound(f"Run {run.id} has no trained model (status: {run.status})")
    return path
