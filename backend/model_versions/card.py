"""What a bundle says about its model: labels, input preprocessing, the audio recipe, and the
model card (metrics with intervals, hashes, hyperparameters, split, leakage audit, software)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.graph.schema import BackboneNode, GraphSpec
from backend.model_versions import service
from backend.models.conversion import Conversion
from backend.models.dataset import Dataset
from backend.models.run import Run

COLOUR_MODES = {1: "L (grey)", 2: "LA (grey + alpha)", 3: "RGB", 4: "RGBA"}


def preprocessing(run: Run) -> dict[str, Any]:
    """Exactly what worker/training/data.py does to an image before the model sees it."""
    shape = service.model_input(run)
    spec = GraphSpec.model_validate(run.graph_version.spec)
    backbones = [n.params.architecture for n in spec.nodes if isinstance(n, BackboneNode)]
    return {
        "input": {**shape.model_dump(), "layout": "NHWC (batch, height, width, channels)",
                  "dtype": "float32", "colour_mode": COLOUR_MODES[shape.channels]},
        "steps": [
            "open the image with Pillow",
            f"convert it to mode {COLOUR_MODES[shape.channels].split()[0]} if it is not already",
            f"resize it to {shape.width}x{shape.height} (width x height) with bilinear "
            "resampling (PIL.Image.Resampling.BILINEAR) if it is not already that size; the "
            "aspect ratio is not kept",
            "take the pixels as float32 values 0-255: no scaling, no mean subtraction",
        ],
        "resize": {"method": "bilinear", "library": "Pillow", "keep_aspect_ratio": False},
        "value_range": [0, 255],
        "in_model": "Any input scaling is a layer inside the model"
        + (f" (the {', '.join(backbones)} backbone's own ImageNet preprocessing)"
           if backbones else "") + ": feed raw 0-255 pixels.",
        "output": {"activation": "softmax", "labels": "labels.json, in output order"},
    }


def audio_recipe(session: Session, dataset: Dataset) -> dict[str, Any] | None:
    """The spectrogram recipe of the conversion that made this dataset (or the one it was
    derived from by relabelling); None for a dataset uploaded as images."""
    current: Dataset | None = dataset
    seen: set[int] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        conversion = session.scalars(
            select(Conversion).where(Conversion.result_dataset_id == current.id)
        ).first()
        if conversion is not None:
            return {"source_dataset_id": conversion.source_dataset_id,
                    "conversion_id": conversion.id, "recipe": conversion.recipe}
        current = session.get(Dataset, current.parent_id) if current.parent_id else None
    return None


def model_card(session: Session, run: Run, storage_root: Path) -> dict[str, Any]:
    evaluation = service.read_run_json(run, storage_root, "evaluation.json")
    environment = service.read_run_json(run, storage_root, "environment.json") or {}
    version, dataset = run.graph_version, run.dataset
    summary = run.split_summary or {}
    recipe = audio_recipe(session, dataset)
    return {
        "model": {"id": run.id, "name": run.name, "num_params": run.num_params,
                  "created": (run.finished_at or run.created_at).isoformat(),
                  "input": service.model_input(run).model_dump(), "classes": dataset.classes},
        "metrics": _metrics(run, evaluation),
        "graph": {"id": version.graph_id, "name": version.graph.name,
                  "version": version.version, "version_id": version.id,
                  "content_hash": version.content_hash},
        "dataset": {"id": dataset.id, "name": dataset.name, "content_hash": dataset.content_hash,
                    "num_items": dataset.num_items, "class_counts": dataset.class_counts,
                    "from_audio": recipe is not None},
        "hyperparameters": run.hyperparameters,
        "split": {"spec": run.split, "parts": summary.get("parts"),
                  "warnings": summary.get("warnings", []), "fold": run.fold,
                  "experiment_id": run.experiment_id},
        "leakage_audit": {"report": run.leakage_report, "override": run.leakage_override},
        "training": {"epochs_completed": run.epochs_completed, "device": run.device,
                     "worker": run.worker, "started": _iso(run.started_at),
                     "finished": _iso(run.finished_at)},
        "software": environment.get("software", {}),
    }


def _metrics(run: Run, evaluation: dict[str, Any] | None) -> dict[str, Any]:
    if evaluation is not None:
        keys = ("split", "checkpoint", "best_epoch", "n", "accuracy", "balanced_accuracy",
                "macro_f1", "per_class", "confusion", "recording_level")
        return {"source": "evaluation.json", **{k: evaluation.get(k) for k in keys}}
    return {"source": "test_metrics", "values": run.test_metrics or {},
            "note": "no evaluation.json: test-part numbers without confidence intervals"}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
