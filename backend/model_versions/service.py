"""Model versions: every succeeded run with a stored model, its id the run id (no new table).

The .keras file exists from the end of training; SavedModel and ONNX are built by the
worker's export task on the first download request, and their state lives in
``runs/<id>/exports/<format>.json`` (written "building" here, "ready"/"failed" by the worker).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from backend.errors import Conflict, InvalidInput, NotFound, Problem, ServiceUnavailable
from backend.graph.schema import GraphSpec, InputNode
from backend.model_versions.formats import EXPORT_MODEL_TASK, FORMATS, ON_DEMAND, Format
from backend.model_versions.schemas import ExportState, ModelInput, ModelVersionPublic
from backend.models.project import Project
from backend.models.run import Run, RunStatus
from backend.queue import celery_client
from backend.runs import repository as runs

logger = logging.getLogger(__name__)
EXPORTS_DIR = "exports"
# A "building" record older than this lost its worker (killed, restarted): build again.
STALE_BUILD_S = 15 * 60


def list_versions(session: Session, project: Project, storage_root: Path) -> list[Run]:
    return [run for run in runs.list_for_project(session, project.id)
            if has_model(run, storage_root)]


def has_model(run: Run, storage_root: Path) -> bool:
    return (run.status == RunStatus.SUCCEEDED.value and run.model_path is not None
            and (storage_root / run.model_path).is_file())


def get_or_error(session: Session, project: Project, run_id: int, storage_root: Path) -> Run:
    """404 for no such run; 409 for a run that exists but has not produced a model."""
    run = runs.get(session, project.id, run_id)
    if run is None:
        raise NotFound(f"Model {run_id} does not exist: no run has that id")
    if not has_model(run, storage_root):
        raise Conflict(
            f"Run {run_id} has no model yet (status: {run.status}); a model version exists "
            "once its run has succeeded",
            [Problem(("path", "id"), f"the run has no model yet (status: {run.status})")],
        )
    return run


def parse_format(value: str) -> Format:
    for fmt in FORMATS:
        if value == fmt:
            return fmt
    listed = ", ".join(FORMATS)
    raise InvalidInput(f"Unknown download format '{value}'; choose one of {listed}",
                       [Problem(("query", "format"), f"must be one of {listed}")])


def run_dir(run: Run, storage_root: Path) -> Path:
    assert run.model_path is not None
    return (storage_root / run.model_path).parent


def export_state(run: Run, storage_root: Path, fmt: Format) -> ExportState:
    if fmt not in ON_DEMAND:
        return ExportState(format=fmt, status="ready")
    record = _read_json(_status_file(run, storage_root, fmt)) or {}
    status = record.get("status")
    if status == "ready" and (run_dir(run, storage_root) / EXPORTS_DIR / record["path"]).exists():
        return ExportState(format=fmt, status="ready")
    if status == "failed":
        return ExportState(format=fmt, status="failed", reason=str(record.get("reason")))
    if status == "building" and not _stale(record):
        return ExportState(format=fmt, status="building")
    return ExportState(format=fmt, status="not_built")


def export_path(run: Run, storage_root: Path, fmt: Format) -> Path:
    """The ready export's file or folder (the caller checked it is ready)."""
    record = _read_json(_status_file(run, storage_root, fmt)) or {}
    return run_dir(run, storage_root) / EXPORTS_DIR / str(record["path"])


def request_export(run: Run, storage_root: Path, fmt: Format) -> None:
    """Marks the export as building, then hands it to the worker."""
    path = _status_file(run, storage_root, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"status": "building", "requested_at": datetime.now(UTC).isoformat()}
    path.write_text(json.dumps(record))
    try:
        celery_client().send_task(EXPORT_MODEL_TASK, args=[run.id, fmt])
    except Exception as exc:
        path.unlink(missing_ok=True)
        logger.exception("could not enqueue the %s export of run %s", fmt, run.id)
        raise ServiceUnavailable(
            f"The {fmt} export of model {run.id} could not be queued: the broker is unreachable"
        ) from exc


def to_public(run: Run, storage_root: Path) -> ModelVersionPublic:
    version = run.graph_version
    return ModelVersionPublic(
        id=run.id, name=run.name,
        graph_id=version.graph_id, graph_name=version.graph.name, graph_version=version.version,
        graph_version_id=version.id, graph_hash=version.content_hash,
        dataset_id=run.dataset_id, dataset_name=run.dataset.name,
        dataset_hash=run.dataset.content_hash, classes=list(run.dataset.classes),
        input=model_input(run), num_params=run.num_params,
        test_metrics=run.test_metrics or {},
        created_at=run.finished_at or run.created_at,
        formats=[export_state(run, storage_root, fmt) for fmt in FORMATS],
    )  # fmt: skip


def model_input(run: Run) -> ModelInput:
    spec = GraphSpec.model_validate(run.graph_version.spec)
    node = next(n for n in spec.nodes if isinstance(n, InputNode))
    return ModelInput(height=node.params.height, width=node.params.width,
                      channels=node.params.channels)


def read_run_json(run: Run, storage_root: Path, name: str) -> dict[str, Any] | None:
    """A JSON file the worker left beside the model (evaluation.json, environment.json)."""
    return _read_json(run_dir(run, storage_root) / name)


def _status_file(run: Run, storage_root: Path, fmt: Format) -> Path:
    return run_dir(run, storage_root) / EXPORTS_DIR / f"{fmt}.json"


def _stale(record: dict[str, Any]) -> bool:
    try:
        requested = datetime.fromisoformat(str(record["requested_at"]))
    except (KeyError, ValueError):
        return True
    return (datetime.now(UTC) - requested).total_seconds() > STALE_BUILD_S


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def public_list(runs_: Sequence[Run], storage_root: Path) -> list[ModelVersionPublic]:
    return [to_public(run, storage_root) for run in runs_]
