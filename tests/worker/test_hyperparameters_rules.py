"""The API's pure rules agree with what the worker does, and old runs still load."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from backend.runs.hyperparameters import CosineSchedule, Hyperparameters, StepSchedule
from backend.runs.hyperparameters.checks import training_count
from worker.training.data import Example, stratified_split
from worker.training.schedules import cosine_rate, step_rate


@pytest.mark.parametrize("counts", [[8, 8, 8], [1, 2, 3], [2, 50, 7], [5], [100, 3, 1]])
@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 0.5, 0.85])
def test_the_apis_training_count_matches_the_workers_split(
    counts: list[int], fraction: float
) -> None:
    """The batch-size warning counts training images without importing the worker."""
    examples = [Example(Path(f"{c}/{i}"), f"{c}/{i}", c)
                for c, n in enumerate(counts) for i in range(n)]
    train, _ = stratified_split(examples, fraction, seed=1)
    by_class = {str(c): n for c, n in enumerate(counts)}
    assert training_count(by_class, fraction) == len(train)
    assert Counter(e.label for e in train)  # every class keeps something to train on


def test_a_run_stored_before_the_new_fields_loads_with_the_old_behaviour() -> None:
    stored = {"epochs": 3, "batch_size": 8, "validation_fraction": 0.2, "seed": 1,
              "optimizer": {"type": "sgd", "learning_rate": 0.1, "momentum": 0.9,
                            "nesterov": True}}
    hp = Hyperparameters.model_validate(stored)
    assert hp.optimizer.decay == 0 and hp.optimizer.weight_decay is None
    assert hp.loss.type == "categorical_crossentropy" and hp.loss.label_smoothing == 0
    assert hp.schedule.type == "constant" and not hp.early_stopping.enabled
    assert hp.class_weights == "none" and not hp.mixed_precision
    assert Hyperparameters.model_validate(hp.model_dump(mode="json")) == hp


def test_schedule_formulas_at_their_edges() -> None:
    step = StepSchedule(every_epochs=3, factor=0.1)
    assert [step_rate(e, 1.0, step) for e in range(7)] == pytest.approx(
        [1, 1, 1, 0.1, 0.1, 0.1, 0.01])
    plain = CosineSchedule(min_fraction=0.0)
    assert [cosine_rate(e, 2.0, 3, plain) for e in range(3)] == pytest.approx([2.0, 1.0, 0.0])
    assert cosine_rate(0, 2.0, 1, plain) == 2.0  # a 1-epoch run trains at the full rate
    warm = CosineSchedule(min_fraction=0.5, warmup_epochs=3)
    assert [cosine_rate(e, 1.0, 4, warm) for e in range(4)] == pytest.approx(
        [0.25, 0.5, 0.75, 1.0])
