"""Hyperparameters reach Keras as configured: optimizers, decay, losses, weights, precision."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import pytest

import worker  # noqa: F401  (fixes KERAS_BACKEND before keras is used)
from backend.runs.hyperparameters import Hyperparameters
from worker.training.losses import balanced_class_weights, make_loss
from worker.training.optimizers import make_optimizer
from worker.training.precision import has_gpu, keep_output_float32, set_precision

OPTIMIZERS: dict[str, dict[str, Any]] = {
    "adadelta": {"learning_rate": 0.5, "rho": 0.9, "epsilon": 1e-6, "weight_decay": 0.01,
                 "clipnorm": 1.0},
    "adam": {"learning_rate": 0.002, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-6,
             "amsgrad": True, "clipvalue": 0.5},
    "adamw": {"learning_rate": 0.003, "weight_decay": 0.01, "beta_1": 0.85, "amsgrad": True,
              "global_clipnorm": 2.0},
    "nadam": {"learning_rate": 0.004, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-5,
              "use_ema": True, "ema_momentum": 0.9},
    "sgd": {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True},
    "rmsprop": {"learning_rate": 0.001, "rho": 0.8, "momentum": 0.5, "epsilon": 1e-6,
                "centered": True},
    "adagrad": {"learning_rate": 0.02, "initial_accumulator_value": 0.2, "epsilon": 1e-6},
}
KERAS_NAMES = {"adadelta": "Adadelta", "adam": "Adam", "adamw": "AdamW", "nadam": "Nadam",
               "sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad"}


def tiny_model(classes: int = 3) -> Any:
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(classes, activation="softmax")])


def one_step(optimizer: Any) -> tuple[Any, list[np.ndarray[Any, Any]]]:
    model = tiny_model()
    model.compile(optimizer=optimizer, loss="categorical_crossentropy")
    before = [w.copy() for w in model.get_weights()]
    x = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
    model.train_on_batch(x, np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2]])
    return model, before


@pytest.mark.parametrize("kind", sorted(OPTIMIZERS))
def test_every_optimizer_builds_takes_a_step_and_keeps_its_parameters(kind: str) -> None:
    params = OPTIMIZERS[kind]
    hp = Hyperparameters.model_validate({"optimizer": {"type": kind, **params}})
    optimizer = make_optimizer(hp.optimizer)
    assert type(optimizer).__name__ == KERAS_NAMES[kind]
    model, before = one_step(optimizer)
    assert int(keras.ops.convert_to_numpy(optimizer.iterations)) == 1
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    config = optimizer.get_config()
    for name, value in params.items():
        assert config[name] == pytest.approx(value, rel=1e-6), name


def test_keras2_decay_becomes_a_per_step_inverse_time_decay() -> None:
    hp = Hyperparameters.model_validate(
        {"optimizer": {"type": "adadelta", "learning_rate": 1.0, "decay": 0.01}}
    )
    optimizer = make_optimizer(hp.optimizer)
    schedule = optimizer._learning_rate  # the schedule object, as the optimizer holds it
    assert isinstance(schedule, keras.optimizers.schedules.InverseTimeDecay)
    assert schedule.get_config() == {
        "initial_learning_rate": 1.0, "decay_steps": 1, "decay_rate": 0.01, "staircase": False,
        "name": "InverseTimeDecay",
    }
    model = tiny_model()
    model.compile(optimizer=optimizer, loss="categorical_crossentropy")
    x = np.ones((2, 4), dtype="float32")
    for _ in range(3):
        model.train_on_batch(x, np.eye(3, dtype="float32")[[0, 1]])
    # Keras 2: lr / (1 + decay * iterations)
    rate = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    assert rate == pytest.approx(1.0 / (1 + 0.01 * 3), rel=1e-6)


def test_no_decay_keeps_a_plain_learning_rate() -> None:
    optimizer = make_optimizer(Hyperparameters().optimizer)  # the paper's Adadelta
    assert optimizer.get_config()["learning_rate"] == pytest.approx(1e-4)
    assert optimizer.get_config()["rho"] == pytest.approx(0.95)
    assert optimizer.get_config()["epsilon"] == pytest.approx(1e-8)


def test_losses_carry_their_parameters() -> None:
    smoothing = Hyperparameters.model_validate(
        {"loss": {"type": "categorical_crossentropy", "label_smoothing": 0.1}}).loss
    loss = make_loss(smoothing, from_logits=False)
    assert isinstance(loss, keras.losses.CategoricalCrossentropy)
    assert loss.get_config()["label_smoothing"] == pytest.approx(0.1)

    focal = Hyperparameters.model_validate(
        {"loss": {"type": "focal", "gamma": 3.0, "alpha": 0.5}}).loss
    loss = make_loss(focal, from_logits=True)
    assert isinstance(loss, keras.losses.CategoricalFocalCrossentropy)
    config = loss.get_config()
    assert (config["gamma"], config["alpha"], config["from_logits"]) == (3.0, 0.5, True)
    sparse = Hyperparameters.model_validate(
        {"loss": {"type": "sparse_categorical_crossentropy"}}).loss
    assert isinstance(make_loss(sparse, False), keras.losses.SparseCategoricalCrossentropy)


def test_focal_loss_weighs_confident_right_answers_less_than_cross_entropy() -> None:
    y_true = np.eye(3, dtype="float32")[[0, 1]]
    y_pred = np.array([[0.9, 0.05, 0.05], [0.3, 0.4, 0.3]], dtype="float32")
    focal = make_loss(Hyperparameters.model_validate({"loss": {"type": "focal"}}).loss, False)
    plain = make_loss(Hyperparameters().loss, False)
    ratio = float(keras.ops.convert_to_numpy(focal(y_true[:1], y_pred[:1]))) / float(
        keras.ops.convert_to_numpy(plain(y_true[:1], y_pred[:1])))
    hard = float(keras.ops.convert_to_numpy(focal(y_true[1:], y_pred[1:]))) / float(
        keras.ops.convert_to_numpy(plain(y_true[1:], y_pred[1:])))
    assert ratio < hard  # (1 - p)^gamma: the confident one is discounted far more


def test_balanced_class_weights_for_an_imbalanced_training_split() -> None:
    labels = [0] * 2 + [1] * 6 + [2] * 6
    weights = balanced_class_weights(labels, 3)
    assert weights == pytest.approx({0: 14 / 6, 1: 14 / 18, 2: 14 / 18})
    # Each class then carries the same total weight.
    assert {round(weights[c] * labels.count(c), 9) for c in range(3)} == {round(14 / 3, 9)}
    assert balanced_class_weights([0, 0, 1], 3)[2] == 1.0  # absent class: harmless 1


def test_mixed_precision_only_with_a_gpu_and_the_output_stays_float32() -> None:
    notes: list[str] = []
    try:
        mixed = set_precision(True, notes.append)
        assert mixed == has_gpu()
        if not mixed:
            assert notes == [
                "Mixed precision needs a GPU; this worker has none, so training runs in float32"
            ]
            assert keras.mixed_precision.global_policy().name == "float32"
        keras.mixed_precision.set_global_policy("mixed_float16")
        model = tiny_model()
        keep_output_float32(model)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert model.layers[-1].dtype_policy.name == "float32"
    out = model.predict(np.ones((2, 4), dtype="float32"), verbose=0)
    assert out.dtype == np.float32
    assert not set_precision(False, notes.append)


def test_adadelta_at_the_papers_rate_barely_moves_the_loss_where_1_0_learns() -> None:
    """The measured claim behind the paper preset's warning, on a toy problem."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 8)).astype("float32")
    y = np.eye(3, dtype="float32")[(x[:, 0] > 0).astype(int) + (x[:, 1] > 0).astype(int)]

    def loss_drop(rate: float) -> float:
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(3, activation="softmax")])
        model.compile(keras.optimizers.Adadelta(learning_rate=rate, rho=0.95, epsilon=1e-8),
                      "categorical_crossentropy")
        history = model.fit(x, y, batch_size=8, epochs=10, verbose=0, shuffle=False)
        return float(history.history["loss"][0] - history.history["loss"][-1])

    # Seen: 1e-4 moved the loss by ~1e-4 in 120 steps, 1.0 by ~0.15 (Adadelta ramps up
    # from sqrt(epsilon)-sized steps, so even 1.0 starts slowly).
    paper, designed = loss_drop(1e-4), loss_drop(1.0)
    assert abs(paper) < 0.002
    assert designed > 0.08 and designed > 40 * abs(paper)
