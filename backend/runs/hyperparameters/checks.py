"""Rules across fields (problems: the run cannot start) and known pitfalls (warnings:
it can, but probably not as hoped). Pure Python: the API runs these, never Keras.

Each rule is a small function registered in a list, so adding one is one function.
Locations are relative to the hyperparameters object; callers prefix their own
(``["body", "hyperparameters"]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, Field

from backend.errors import Problem
from backend.runs.hyperparameters import AdadeltaConfig, Hyperparameters

ProblemRule = Callable[[Hyperparameters], list[Problem]]


class HyperparameterWarning(BaseModel):
    code: str
    message: str
    fix: dict[str, Any] = Field(
        default_factory=dict,
        description="Field paths (dotted, e.g. optimizer.learning_rate) and the values that fix it",
    )


def _needs_validation(hp: Hyperparameters) -> list[Problem]:
    if hp.validation_fraction > 0:
        return []
    problems = []
    if hp.early_stopping.enabled and hp.early_stopping.monitor.startswith("val_"):
        problems.append(Problem(("early_stopping", "monitor"), (
            f"early stopping monitors {hp.early_stopping.monitor} but validation_fraction is 0, "
            "so there is no validation set: monitor loss/accuracy or hold out a validation share"
        )))
    if hp.schedule.type == "reduce_on_plateau" and hp.schedule.monitor.startswith("val_"):
        problems.append(Problem(("schedule", "monitor"), (
            f"reduce_on_plateau monitors {hp.schedule.monitor} but validation_fraction is 0, "
            "so there is no validation set: monitor loss/accuracy or hold out a validation share"
        )))
    return problems


def _decay_or_schedule(hp: Hyperparameters) -> list[Problem]:
    if hp.optimizer.decay > 0 and hp.schedule.type != "constant":
        return [Problem(("optimizer", "decay"), (
            f"choose one: decay or a schedule (decay is {hp.optimizer.decay:g} and the schedule "
            f"is {hp.schedule.type}); both would set the same learning rate"
        ))]
    return []


def _one_clipping(hp: Hyperparameters) -> list[Problem]:
    opt = hp.optimizer
    chosen = [n for n in ("clipnorm", "clipvalue", "global_clipnorm") if getattr(opt, n)]
    if len(chosen) > 1:
        return [Problem(("optimizer", name), (
            f"set at most one of clipnorm, clipvalue and global_clipnorm (set: {', '.join(chosen)})"
        )) for name in chosen[1:]]
    return []


def _warmup_fits(hp: Hyperparameters) -> list[Problem]:
    if hp.schedule.type == "cosine" and hp.schedule.warmup_epochs >= hp.epochs:
        return [Problem(("schedule", "warmup_epochs"), (
            f"warm-up of {hp.schedule.warmup_epochs} epochs leaves none of the run's "
            f"{hp.epochs} epochs for the cosine: use fewer than {hp.epochs}"
        ))]
    return []


PROBLEM_RULES: list[ProblemRule] = [_needs_validation, _decay_or_schedule, _one_clipping,
                                    _warmup_fits]


def problems(hp: Hyperparameters) -> list[Problem]:
    return [problem for rule in PROBLEM_RULES for problem in rule(hp)]


def training_count(class_counts: Mapping[str, int], validation_fraction: float) -> int:
    """Items left to train on after the stratified hold-out.

    Mirrors worker.training.data.stratified_split (which the API cannot import:
    it pulls in Keras): each class with 2+ items gives round(n * f), at least 1,
    to validation and keeps at least 1.
    """
    total = 0
    for n in class_counts.values():
        held = 0
        if validation_fraction > 0 and n >= 2:
            held = min(n - 1, max(1, round(n * validation_fraction)))
        total += n - held
    return total


def warnings(
    hp: Hyperparameters, class_counts: Mapping[str, int] | None = None
) -> list[HyperparameterWarning]:
    found = [*_optimizer_warnings(hp), *_stopping_warnings(hp)]
    if class_counts is not None:
        found.extend(_dataset_warnings(hp, class_counts))
    return found


def _optimizer_warnings(hp: Hyperparameters) -> list[HyperparameterWarning]:
    opt = hp.optimizer
    found = []
    if isinstance(opt, AdadeltaConfig) and opt.learning_rate < 0.01:
        found.append(HyperparameterWarning(
            code="adadelta_low_learning_rate",
            message=(
                f"Adadelta is designed for learning rate 1.0; at {opt.learning_rate:g} the loss "
                "often stays flat for many epochs — measured here: flat for 5 epochs on an easy "
                "task (Adadelta 1.0 and Adam 1e-3 learned it). Set the learning rate to 1.0, "
                "or switch to Adam 1e-3."
            ),
            fix={"optimizer.learning_rate": 1.0},
        ))
    adaptive = {"adam", "adamw", "nadam", "rmsprop"}
    if opt.type in adaptive and opt.learning_rate >= 0.1:
        found.append(HyperparameterWarning(
            code="high_learning_rate",
            message=(
                f"{opt.type} at learning rate {opt.learning_rate:g} usually diverges (loss NaN); "
                "its usual range is 1e-4 to 1e-2"
            ),
            fix={"optimizer.learning_rate": 1e-3},
        ))
    return found


def _stopping_warnings(hp: Hyperparameters) -> list[HyperparameterWarning]:
    found = []
    stopping = hp.early_stopping
    if stopping.enabled and hp.epochs == 1:
        found.append(HyperparameterWarning(
            code="early_stopping_single_epoch",
            message="early stopping cannot act in a 1-epoch run",
            fix={"early_stopping.enabled": False},
        ))
    elif stopping.enabled and stopping.patience >= hp.epochs:
        found.append(HyperparameterWarning(
            code="early_stopping_never",
            message=(
                f"early stopping's patience ({stopping.patience}) is not shorter than the run "
                f"({hp.epochs} epochs), so it can never stop it"
            ),
            fix={"early_stopping.patience": max(1, hp.epochs // 4)},
        ))
    schedule = hp.schedule
    if schedule.type == "step" and schedule.every_epochs >= hp.epochs:
        found.append(HyperparameterWarning(
            code="step_schedule_never",
            message=(
                f"the step schedule changes the learning rate every {schedule.every_epochs} "
                f"epochs, but the run has {hp.epochs}: the rate never changes"
            ),
            fix={"schedule.every_epochs": max(1, hp.epochs // 3)},
        ))
    if schedule.type == "reduce_on_plateau" and schedule.patience >= hp.epochs:
        found.append(HyperparameterWarning(
            code="plateau_never",
            message=(
                f"reduce_on_plateau waits {schedule.patience} epochs but the run has "
                f"{hp.epochs}: the rate never changes"
            ),
            fix={"schedule.patience": max(1, hp.epochs // 4)},
        ))
    return found


def _dataset_warnings(
    hp: Hyperparameters, class_counts: Mapping[str, int]
) -> list[HyperparameterWarning]:
    found = []
    train = training_count(class_counts, hp.validation_fraction)
    if train and hp.batch_size > train:
        found.append(HyperparameterWarning(
            code="batch_larger_than_training_set",
            message=(
                f"batch size {hp.batch_size} is larger than the {train} training images, so "
                "every epoch is a single step"
            ),
            fix={"batch_size": train},
        ))
    counts = [n for n in class_counts.values() if n > 0]
    if hp.class_weights == "none" and counts and max(counts) >= 3 * min(counts):
        found.append(HyperparameterWarning(
            code="imbalanced_classes",
            message=(
                f"the classes are imbalanced ({min(counts)} to {max(counts)} images): a model "
                "can score well by predicting the big class; balanced class weights counter it"
            ),
            fix={"class_weights": "balanced"},
        ))
    return found
