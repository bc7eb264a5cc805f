"""One prediction request, as the API staged it: load (or reuse) the model, predict, reply.

The API has already checked the model, the file kinds and the recipe; this side only computes.
A recording's answer is the mean of its segments' probabilities (the recording-level answer the
evaluation reports too), with every segment's own probabilities alongside.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import keras
import numpy as np

from backend.errors import DLStudioError, InvalidInput, Problem
from backend.settings import get_settings
from worker.audio.errors import AudioError
from worker.predict.inputs import Prepared, extract_members, prepare
from worker.predict.models import CACHE, LoadedModel
from worker.training.data import ImageShape

BATCH = 32


def predict_request(payload: dict[str, Any]) -> dict[str, Any]:
    storage = get_settings().resolved_storage_dir
    loaded, cached = CACHE.get(storage / payload["model_path"])
    classes: list[str] = payload["classes"]
    staged = storage / payload["file"]
    shape = ImageShape(*loaded.shape)
    recipe = payload.get("recipe")
    if payload["kind"] != "zip":
        prepared = _prepare_one(staged, payload["name"], shape, recipe)
        skipped: list[dict[str, str]] = []
        predictions = [_predict(loaded, prepared, classes)]
    else:
        predictions, skipped = _predict_zip(loaded, staged, shape, recipe, classes)
    reply: dict[str, Any] = {
        "model_id": payload["run_id"], "classes": classes, "cached": cached,
        "predictions": predictions, "skipped": skipped,
    }  # fmt: skip
    if payload.get("saliency") and payload["kind"] != "zip":
        from worker.predict.gradcam import saliency_for

        predicted = predictions[0]["predicted"]
        reply["saliency"] = saliency_for(loaded, prepared, recipe, classes, predicted)
    return reply


def _prepare_one(path: Path, name: str, shape: ImageShape, recipe: Any) -> Prepared:
    try:
        prepared = prepare(path, name, shape, recipe)
    except AudioError as exc:
        # The message names the staged path; the user knows the upload's name.
        reason = str(exc).replace(str(path), name)
        raise InvalidInput(
            f"Could not read '{name}': {reason}", [Problem(("file", name), reason)]
        ) from None
    if not prepared.pixels:
        reason = "no voiced segment long enough for the dataset's recipe"
        raise InvalidInput(f"'{name}': {reason}", [Problem(("file", name), reason)])
    return prepared


def _predict_zip(
    loaded: LoadedModel, staged: Path, shape: ImageShape, recipe: Any, classes: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    predictions: list[dict[str, Any]] = []
    folder = Path(tempfile.mkdtemp(prefix="members-", dir=staged.parent))
    try:
        members, ignored = extract_members(staged, folder)
        skipped = [{"name": name, "reason": "not an image or a recording"} for name in ignored]
        for path, name in members:
            try:
                prepared = _prepare_one(path, name, shape, recipe)
            except DLStudioError as exc:
                skipped.append({"name": name, "reason": exc.problems[0].message if exc.problems
                                else exc.message})  # fmt: skip
                continue
            finally:
                path.unlink(missing_ok=True)
            predictions.append(_predict(loaded, prepared, classes))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not predictions:
        problems = [Problem(("file", s["name"]), s["reason"]) for s in skipped]
        raise InvalidInput("No image or recording in the zip could be predicted", problems)
    return predictions, skipped


def probabilities(loaded: LoadedModel, pixels: list[Any]) -> np.ndarray:
    """(n, classes) float64 probabilities, in batches."""
    out = []
    for start in range(0, len(pixels), BATCH):
        batch = np.stack(pixels[start : start + BATCH])
        scores = keras.ops.convert_to_numpy(loaded.model(batch, training=False))
        out.append(np.asarray(scores, dtype=np.float64))
    result = np.concatenate(out)
    if loaded.logits:
        shifted = np.exp(result - result.max(axis=1, keepdims=True))
        result = shifted / shifted.sum(axis=1, keepdims=True)
    return result


def _entry(classes: list[str], probs: np.ndarray) -> dict[str, Any]:
    return {
        "probabilities": {c: float(p) for c, p in zip(classes, probs, strict=True)},
        "predicted": classes[int(np.argmax(probs))],
    }


def _predict(loaded: LoadedModel, prepared: Prepared, classes: list[str]) -> dict[str, Any]:
    per_item = probabilities(loaded, prepared.pixels)
    result = {"name": prepared.name, "kind": prepared.kind, **_entry(classes, per_item.mean(0))}
    if prepared.kind == "audio":
        result["segments"] = len(prepared.pixels)
        result["per_segment"] = [
            {"index": i, "start_s": round(a, 4), "end_s": round(b, 4), **_entry(classes, p)}
            for i, ((a, b), p) in enumerate(zip(prepared.spans, per_item, strict=True))
        ]
    return result
