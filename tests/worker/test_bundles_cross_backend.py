"""A model trained and saved under torch loads under TensorFlow (compile=False) with the same
predictions, and the worker's SavedModel and ONNX exports of it predict the same too.

Each step runs in its own process, because Keras fixes its backend on first import.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]

# Trains a few steps under torch with a compiled Adadelta (the optimizer that fails to
# deserialize elsewhere), then saves through the worker's own save_model.
TRAIN_UNDER_TORCH = """
import json, sys
from pathlib import Path
import numpy as np
import worker  # noqa: F401
import keras
from backend.models.run import Run
from worker.training.artifacts import save_model
assert keras.backend.backend() == "torch"
keras.utils.set_random_seed(3)
inputs = keras.Input((16, 16, 3), name="image")
x = keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)
x = keras.layers.Conv2D(4, 3, activation="relu")(x)
x = keras.layers.BatchNormalization()(x)
x = keras.layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))
model.compile(optimizer=keras.optimizers.Adadelta(1.0), loss="categorical_crossentropy")
rng = np.random.default_rng(0)
images = rng.uniform(0, 255, (12, 16, 16, 3)).astype("float32")
model.fit(images, np.eye(3)[rng.integers(0, 3, 12)], epochs=1, verbose=0)
storage = Path(sys.argv[1])
save_model(model, Run(id=5), storage)
np.save(storage / "images.npy", images)
print(json.dumps(np.asarray(model.predict(images, verbose=0)).tolist()))
"""

LOAD = """
import json, sys
import numpy as np
import keras
model = keras.saving.load_model(sys.argv[1], compile=False)
print(keras.backend.backend())
print(json.dumps(np.asarray(model.predict(np.load(sys.argv[2]), verbose=0)).tolist()))
"""

EXPORT = """
import json, sys
from pathlib import Path
import worker  # noqa: F401
from worker.training.bundles import build_export
print(json.dumps(build_export(Path(sys.argv[1]), sys.argv[2])))
"""

SAVEDMODEL = """
import json, sys
import numpy as np
import tensorflow as tf
model = tf.saved_model.load(sys.argv[1])
print(json.dumps(model.serve(tf.constant(np.load(sys.argv[2]))).numpy().tolist()))
"""


def _python(script: str, *args: str, backend: str) -> list[str]:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                            text=True, env=env, timeout=300, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch")
def test_a_torch_trained_model_loads_and_exports_under_other_runtimes(tmp_path: Path) -> None:
    torch_probs = np.array(json.loads(_python(TRAIN_UNDER_TORCH, str(tmp_path),
                                              backend="torch")[-1]))
    run_dir = tmp_path / "runs" / "5"
    model, images = run_dir / "model.keras", tmp_path / "images.npy"
    environment = json.loads((run_dir / "environment.json").read_text())
    assert environment["software"]["keras_backend"] == "torch"
    assert {"python", "keras", "torch"} <= set(environment["software"])

    lines = _python(LOAD, str(model), str(images), backend="tensorflow")
    assert lines[-2] == "tensorflow"
    np.testing.assert_allclose(np.array(json.loads(lines[-1])), torch_probs, atol=1e-5)

    # The worker on torch: SavedModel through a TensorFlow subprocess, ONNX through torch.
    for fmt in ("savedmodel", "onnx"):
        record = json.loads(_python(EXPORT, str(run_dir), fmt, backend="torch")[-1])
        assert record["status"] == "ready", record
        assert json.loads((run_dir / "exports" / f"{fmt}.json").read_text()) == record
    saved = _python(SAVEDMODEL, str(run_dir / "exports" / "savedmodel"), str(images),
                    backend="tensorflow")
    np.testing.assert_allclose(np.array(json.loads(saved[-1])), torch_probs, atol=1e-5)

    onnxruntime = pytest.importorskip("onnxruntime")
    session = onnxruntime.InferenceSession(str(run_dir / "exports" / "model.onnx"))
    onnx_probs = session.run(None, {session.get_inputs()[0].name: np.load(images)})[0]
    np.testing.assert_allclose(onnx_probs, torch_probs, atol=1e-5)
    assert list(onnx_probs.argmax(axis=1)) == list(torch_probs.argmax(axis=1))


def test_an_unknown_export_format_is_refused(tmp_path: Path) -> None:
    from worker.training.bundles import build_export

    with pytest.raises(ValueError, match="unknown export format"):
        build_export(tmp_path, "pickle")
