"""What a model version needs beyond its .keras file: the software that made it, and the
SavedModel and ONNX exports, built on demand (a ResNet50's ONNX conversion takes ~30 s on
two cores, too much to pay at the end of every run that nobody downloads as ONNX).

Each export leaves ``exports/<format>.json`` beside the model: {"status": "ready", ...} or
{"status": "failed", "reason": "..."}; the API reads it and never imports Keras.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ENVIRONMENT_FILE = "environment.json"
EXPORTS_DIR = "exports"
EXPORT_TARGETS = {"savedmodel": "savedmodel", "onnx": "model.onnx"}
PACKAGES = ("dlstudio", "keras", "tensorflow", "tensorflow-cpu", "torch", "jax", "numpy",
            "onnx", "onnxruntime", "tf2onnx")
SUBPROCESS_TIMEOUT_S = 900


class ExportUnavailable(Exception):
    """This worker cannot build the format; the message says why, for the user."""


def software_versions() -> dict[str, Any]:
    """Versions from package metadata: no framework import, so it is cheap and honest
    about what is installed even where the backend does not use it."""
    versions: dict[str, Any] = {"python": platform.python_version(),
                                "keras_backend": os.environ.get("KERAS_BACKEND", "tensorflow")}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    if "tensorflow-cpu" in versions:
        versions.setdefault("tensorflow", versions.pop("tensorflow-cpu"))
    return versions


def write_environment(run_dir: Path) -> None:
    record = {"saved_at": datetime.now(UTC).isoformat(), "software": software_versions()}
    (run_dir / ENVIRONMENT_FILE).write_text(json.dumps(record, indent=2))


def status_path(run_dir: Path, fmt: str) -> Path:
    return run_dir / EXPORTS_DIR / f"{fmt}.json"


def build_export(run_dir: Path, fmt: str) -> dict[str, Any]:
    """Builds one export of ``run_dir/model.keras`` and records the outcome; never raises
    for a format this worker cannot build (the record says why instead)."""
    from worker.training.artifacts import MODEL_FILE

    if fmt not in EXPORT_TARGETS:
        raise ValueError(f"unknown export format {fmt!r}")
    exports = run_dir / EXPORTS_DIR
    exports.mkdir(parents=True, exist_ok=True)
    target = exports / EXPORT_TARGETS[fmt]
    partial = exports / f"partial-{os.getpid()}-{EXPORT_TARGETS[fmt]}"
    try:
        _export(run_dir / MODEL_FILE, partial, fmt)
        _replace(partial, target)
        record: dict[str, Any] = {"status": "ready", "path": target.name,
                                  "software": software_versions()}
    except ExportUnavailable as exc:
        record = {"status": "failed", "reason": str(exc)}
    except Exception as exc:  # a converter bug is the user's 409, not a stuck "building"
        record = {"status": "failed",
                  "reason": f"{fmt} export failed: {type(exc).__name__}: {str(exc)[:300]}"}
    finally:
        _remove(partial)
    record["finished_at"] = datetime.now(UTC).isoformat()
    status_path(run_dir, fmt).write_text(json.dumps(record, indent=2))
    return record


def run_export(run_id: int, fmt: str) -> dict[str, Any]:
    """The Celery task's body: one export of a stored run's model."""
    from backend.settings import get_settings
    from worker.training.artifacts import run_dir

    return build_export(run_dir(get_settings().resolved_storage_dir, run_id), fmt)


def _export(model_path: Path, out: Path, fmt: str) -> None:
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if fmt == "savedmodel" and backend != "tensorflow":
        # The .keras file is backend-neutral: TensorFlow, where installed, exports it.
        if importlib.util.find_spec("tensorflow") is None:
            raise ExportUnavailable(
                f"SavedModel export needs TensorFlow; this worker runs Keras on {backend} "
                "and TensorFlow is not installed. Download the .keras or ONNX bundle instead."
            )
        _export_in_subprocess(model_path, out, fmt, "tensorflow")
        return
    if fmt == "onnx":
        _check_onnx_converter(backend)
    _export_here(model_path, out, fmt)


def _check_onnx_converter(backend: str) -> None:
    needed = {"tensorflow": "tf2onnx", "torch": "torch", "jax": "jax2onnx"}.get(backend)
    if needed is None or importlib.util.find_spec(needed) is None:
        raise ExportUnavailable(
            f"ONNX export under the {backend} backend needs the '{needed}' package, which this "
            "worker lacks (pip install 'dlstudio[worker]'). Download the .keras bundle instead."
        )


def _export_here(model_path: Path, out: Path, fmt: str) -> None:
    import keras
    import numpy as np

    model = keras.saving.load_model(model_path, compile=False)
    # The torch exporter traces a model that has run once; a loaded one has not.
    model(np.zeros((1, *model.input_shape[1:]), dtype="float32"))
    keras_format = "tf_saved_model" if fmt == "savedmodel" else "onnx"
    model.export(str(out), format=keras_format, verbose=False)


def _export_in_subprocess(model_path: Path, out: Path, fmt: str, backend: str) -> None:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-m", "worker.training.bundles", fmt, str(model_path), str(out)],
        env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S, check=False,
    )
    if result.returncode != 0:
        tail = " ".join(result.stderr.strip().splitlines()[-3:])[:300]
        raise RuntimeError(f"the {backend} exporter exited with {result.returncode}: {tail}")


def _replace(partial: Path, target: Path) -> None:
    _remove(target)
    os.replace(partial, target)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


if __name__ == "__main__":  # the subprocess of _export_in_subprocess
    _export_here(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[1])
