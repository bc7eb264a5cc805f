"""Spectrogram-safe augmentation, active only in training.

A spectrogram image has frequency on its height and time on its width, so the
usual image augmentations (flips, rotations, crops that rescale) would change
what the sound is. These shift it in time or blank bands of time or frequency
(SpecAugment, Park et al. 2019). Written with ``keras.ops`` and ``keras.random``
only, so they run under every Keras backend, and registered so a saved model
loads with ``keras.saving.load_model`` wherever this module is imported.
"""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

Tensor = Any


class _Augmentation(keras.layers.Layer):  # type: ignore[misc]
    def __init__(self, max_fraction: float = 0.1, seed: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.max_fraction = max_fraction
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        if not training:
            return inputs
        return self.augment(inputs)

    def augment(self, inputs: Tensor) -> Tensor:
        raise NotImplementedError

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = super().get_config()
        config.update(max_fraction=self.max_fraction, seed=self.seed)
        return config

    def _uniform(self, shape: tuple[Any, ...]) -> Tensor:
        return keras.random.uniform(shape, seed=self.seed_generator)


@keras.saving.register_keras_serializable(package="dlstudio")
class RandomTimeShift(_Augmentation):
    """Shifts each example left or right by up to ``max_fraction`` of its width.

    ``mode="wrap"`` moves what leaves one edge in at the other; ``"pad"`` fills with 0.
    """

    def __init__(self, max_fraction: float = 0.1, mode: str = "wrap", **kwargs: Any):
        super().__init__(max_fraction, **kwargs)
        if mode not in ("wrap", "pad"):
            raise ValueError(f"mode must be 'wrap' or 'pad'. Received: mode={mode!r}")
        self.mode = mode

    def augment(self, inputs: Tensor) -> Tensor:
        width = int(inputs.shape[2])
        max_shift = int(self.max_fraction * width)
        if max_shift == 0:
            return inputs
        batch = ops.shape(inputs)[0]
        shift = ops.floor(self._uniform((batch, 1)) * (2 * max_shift + 1)) - max_shift
        # Output column w reads input column w - shift.
        source = ops.arange(width, dtype="float32")[None, :] - shift
        if self.mode == "wrap":
            source = ops.mod(source + width, width)
        inside = ops.logical_and(source >= 0, source < width)
        index = ops.cast(ops.clip(source, 0, width - 1), "int32")
        index = ops.broadcast_to(index[:, None, :, None], ops.shape(inputs))
        shifted = ops.take_along_axis(inputs, index, axis=2)
        return shifted * ops.cast(inside, inputs.dtype)[:, None, :, None]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(mode=self.mode)
        return config


class _Masking(_Augmentation):
    axis = 1

    def __init__(self, max_fraction: float = 0.1, count: int = 1, **kwargs: Any):
        super().__init__(max_fraction, **kwargs)
        self.count = count

    def augment(self, inputs: Tensor) -> Tensor:
        length = int(inputs.shape[self.axis])
        longest = int(self.max_fraction * length)
        if longest == 0:
            return inputs
        batch = ops.shape(inputs)[0]
        widths = ops.floor(self._uniform((batch, self.count)) * (longest + 1))
        starts = ops.floor(self._uniform((batch, self.count)) * (length - widths + 1))
        position = ops.arange(length, dtype="float32")[None, None, :]
        inside = ops.logical_and(
            position >= starts[:, :, None], position < (starts + widths)[:, :, None]
        )
        keep = 1.0 - ops.cast(ops.any(inside, axis=1), inputs.dtype)  # (batch, length)
        if self.axis == 1:
            return inputs * keep[:, :, None, None]
        return inputs * keep[:, None, :, None]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(count=self.count)
        return config


@keras.saving.register_keras_serializable(package="dlstudio")
class TimeMasking(_Masking):
    """Blanks ``count`` bands of time (columns), each up to ``max_fraction`` of the width."""

    axis = 2


@keras.saving.register_keras_serializable(package="dlstudio")
class FrequencyMasking(_Masking):
    """Blanks ``count`` bands of frequency (rows), each up to ``max_fraction`` of the height."""

    axis = 1
