"""Precise BatchNorm: the stored statistics match the training data before validation.

Reproduces the issue's failure at small scale: a CNN with BatchNormalization at
Keras's stock momentum (0.99), a few dozen steps on raw 0-255 pixels. Its stored
statistics are still near their initial 0/1, so in inference mode it predicts
nonsense on its own training images; the recompute closes the gap.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

from worker.training.batchnorm import (
    PreciseBatchNorm,
    accuracy_gap,
    gap_message,
    precise_batchnorm,
    recompute_statistics,
)
from worker.training.data import Example, ImageBatches, ImageShape

SIZE = 12


def bright_or_dark(folder: Path, count: int = 64) -> ImageBatches:
    """Two classes a model learns in a few steps: dark noise vs bright noise."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    examples = []
    for i in range(count):
        label = i % 2
        pixels = rng.normal(90 + 70 * label, 25, (SIZE, SIZE)).clip(0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(folder / f"{i}.png")
        examples.append(Example(folder / f"{i}.png", f"{i}.png", label))
    return ImageBatches(examples, 2, ImageShape(SIZE, SIZE, 1), 16, shuffle=True, seed=0,
                        cache=folder / "cache")


def small_cnn(frozen_backbone: bool = False) -> keras.Model:
    keras.utils.set_random_seed(1)
    inputs = keras.Input((SIZE, SIZE, 1))
    x = inputs
    if frozen_backbone:
        block_in = keras.Input((SIZE, SIZE, 1))
        block = keras.layers.BatchNormalization(name="frozen_bn")(block_in)
        backbone = keras.Model(block_in, block, name="backbone")
        backbone.trainable = False
        x = backbone(x)
    x = keras.layers.Conv2D(8, 3)(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.ReLU()(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(2, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_stock_momentum_leaves_a_gap_that_the_recompute_closes(tmp_path: Path) -> None:
    batches = bright_or_dark(tmp_path)
    model = small_cnn()
    model.fit(batches, epochs=6, verbose=0)
    training_mode, inference_mode = accuracy_gap(model, batches)
    assert training_mode >= 0.9
    assert inference_mode <= 0.7  # the failure: the stored statistics are stale
    assert gap_message(training_mode, inference_mode) is not None

    assert recompute_statistics(model, batches) == len(batches)
    after_training, after_inference = accuracy_gap(model, batches)
    assert after_training == training_mode  # the check itself moves no statistics
    assert after_inference >= training_mode - 0.05
    assert gap_message(after_training, after_inference) is None


def test_the_callback_recomputes_before_validation_and_warns_only_on_a_gap(
    tmp_path: Path,
) -> None:
    batches = bright_or_dark(tmp_path)
    model = small_cnn()
    warnings: list[str] = []
    callbacks = precise_batchnorm(model, batches, warnings.append)
    assert len(callbacks) == 1
    history = model.fit(batches, validation_data=batches, epochs=6, verbose=0,
                        callbacks=callbacks)
    # Validation on the training images, in inference mode, now agrees with training.
    assert history.history["val_accuracy"][-1] >= history.history["accuracy"][-1] - 0.1
    assert history.history["val_accuracy"][-1] >= 0.9
    assert warnings == []
    gap = callbacks[0].gap
    assert gap is not None and gap[1] >= gap[0] - 0.05


def test_a_remaining_gap_is_recorded_as_a_warning(tmp_path: Path) -> None:
    batches = bright_or_dark(tmp_path)
    model = small_cnn()
    model.fit(batches, epochs=6, verbose=0)  # trained without the recompute: a gap
    warnings: list[str] = []
    callback = PreciseBatchNorm(batches, warnings.append)
    callback.set_model(model)
    callback.on_train_end()
    assert callback.gap is not None and callback.gap[0] - callback.gap[1] > 0.1
    assert len(warnings) == 1 and "inference mode" in warnings[0]


def test_frozen_backbone_statistics_are_left_alone(tmp_path: Path) -> None:
    batches = bright_or_dark(tmp_path)
    model = small_cnn(frozen_backbone=True)
    frozen = model.get_layer("backbone").get_layer("frozen_bn")
    before = [np.array(v) for v in (frozen.moving_mean, frozen.moving_variance)]
    model.fit(batches, epochs=2, verbose=0, callbacks=precise_batchnorm(model, batches, print))
    recompute_statistics(model, batches)
    after = [np.array(v) for v in (frozen.moving_mean, frozen.moving_variance)]
    for old, new in zip(before, after, strict=True):
        np.testing.assert_array_equal(old, new)
    trained = [la for la in model.layers if isinstance(la, keras.layers.BatchNormalization)]
    assert float(np.abs(np.array(trained[0].moving_mean)).max()) > 1.0  # it did recompute


def test_a_model_without_batchnorm_gets_no_callback() -> None:
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    assert precise_batchnorm(model, None, print) == []


@pytest.mark.parametrize(("training", "inference", "warned"), [(0.93, 0.40, True),
                                                                (0.93, 0.85, False)])
def test_gap_message_threshold(training: float, inference: float, warned: bool) -> None:
    assert (gap_message(training, inference) is not None) is warned


def test_the_recomputed_statistics_are_the_average_of_the_batches(tmp_path: Path) -> None:
    batches = bright_or_dark(tmp_path, count=40)  # 2 full batches of 16 and a short one
    inputs = keras.Input((SIZE, SIZE, 1))
    norm = keras.layers.BatchNormalization(momentum=0.99)
    model = keras.Model(inputs, norm(inputs))
    assert recompute_statistics(model, batches) == 2  # the short batch is left out
    pixels = [batches[i][0] for i in range(2)]
    np.testing.assert_allclose(np.array(norm.moving_mean), [np.mean([p.mean() for p in pixels])],
                               rtol=1e-5)
    np.testing.assert_allclose(np.array(norm.moving_variance),
                               [np.mean([p.var() for p in pixels])], rtol=1e-4)
    assert norm.momentum == 0.99  # restored
