"""Mixed precision where it helps (a GPU), float32 elsewhere, and always a float32 output.

On a CPU, float16 arithmetic is emulated or unsupported (slower under
TensorFlow; some torch CPU kernels lack Half), so a CPU worker trains in
float32 and says so in the run log rather than failing or crawling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras


def has_gpu() -> bool:
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    if backend == "torch":
        import torch

        return bool(torch.cuda.is_available())
    if backend == "jax":
        import jax

        return any(device.platform == "gpu" for device in jax.devices())
    return False


def set_precision(requested: bool, log: Callable[[str], Any]) -> bool:
    """Sets the global dtype policy for the layers built next; True when mixed.

    Always sets it, so a worker child that runs several jobs never inherits the
    previous job's policy."""
    mixed = requested and has_gpu()
    keras.mixed_precision.set_global_policy("mixed_float16" if mixed else "float32")
    if requested and not mixed:
        log("Mixed precision needs a GPU; this worker has none, so training runs in float32")
    elif mixed:
        log("Mixed precision: float16 compute, float32 weights and output")
    return mixed


def keep_output_float32(model: Any) -> None:
    """The last layer computes in float32: a float16 softmax rounds small
    probabilities to 0 (log(0) in the loss) and saturates near 1."""
    model.layers[-1].dtype_policy = "float32"
