"""A run's training settings as script code: compile, callbacks and fit, as the worker does.

Mirrors worker/training (optimizers.py, losses.py, schedules.py, loop.py). Takes the run's
hyperparameters as a dict (``Hyperparameters.model_dump()``) so the graph package stays
free of the runs package. tests/worker/test_codegen_training.py compares the objects the
script makes with the worker's.
"""

from __future__ import annotations

from typing import Any

from backend.graph.codegen_layers import literal

OPTIMIZERS = {
    "adadelta": "Adadelta", "adam": "Adam", "adamw": "AdamW", "nadam": "Nadam",
    "sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad",
}  # fmt: skip

COSINE = '''
def cosine_rate(epoch, base, epochs, warmup, low):
    # Linear warm-up to base, then half a cosine down to base * low at the last epoch.
    if epoch < warmup:
        return base * (epoch + 1) / (warmup + 1)
    span = epochs - warmup - 1
    progress = (epoch - warmup) / span if span > 0 else 0.0
    return float(base * (low + (1 - low) * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))))
'''

BALANCED = '''
def balanced_class_weights(labels, num_classes):
    # n / (classes present * n_class), from the training split's class indices.
    counts = collections.Counter(labels)
    return {c: len(labels) / (len(counts) * counts[c]) if counts[c] else 1.0
            for c in range(num_classes)}
'''


def _call(constructor: str, kwargs: dict[str, Any]) -> str:
    return f"{constructor}(" + ", ".join(f"{k}={literal(v)}" for k, v in kwargs.items()) + ")"


def optimizer(config: dict[str, Any]) -> str:
    kwargs = {k: v for k, v in config.items() if k not in ("type", "decay") and v is not None}
    line = _call(f"keras.optimizers.{OPTIMIZERS[config['type']]}", kwargs)
    if config.get("decay", 0) > 0:
        # Keras 2's decay: lr / (1 + decay * iterations), as the worker schedules it.
        schedule = _call("keras.optimizers.schedules.InverseTimeDecay", {
            "initial_learning_rate": config["learning_rate"], "decay_steps": 1,
            "decay_rate": config["decay"]})  # fmt: skip
        line = line.replace(f"learning_rate={literal(config['learning_rate'])}",
                            f"learning_rate={schedule}")  # fmt: skip
    return line


def loss(config: dict[str, Any], from_logits: bool) -> str:
    kind = config["type"]
    if kind == "sparse_categorical_crossentropy":
        return _call("keras.losses.SparseCategoricalCrossentropy", {"from_logits": from_logits})
    if kind == "focal":
        return _call("keras.losses.CategoricalFocalCrossentropy", {
            "alpha": config["alpha"], "gamma": config["gamma"], "from_logits": from_logits,
            "label_smoothing": config["label_smoothing"]})  # fmt: skip
    kwargs = {"from_logits": from_logits, "label_smoothing": config["label_smoothing"]}
    return _call("keras.losses.CategoricalCrossentropy", kwargs)


def _mode(monitor: str) -> str:
    return "max" if monitor.endswith("accuracy") else "min"


def callbacks(hp: dict[str, Any], needs: set[str]) -> list[str]:
    schedule, base, epochs = hp["schedule"], hp["optimizer"]["learning_rate"], hp["epochs"]
    result = []
    if schedule["type"] == "step":
        factor, every = literal(schedule["factor"]), schedule["every_epochs"]
        rate = f"{literal(base)} * {factor} ** (epoch // {every})"
        result.append(f"keras.callbacks.LearningRateScheduler(lambda epoch: {rate})")
    elif schedule["type"] == "cosine":
        needs.add("cosine")
        warmup, low = schedule["warmup_epochs"], literal(schedule["min_fraction"])
        rate = f"cosine_rate(epoch, {literal(base)}, {epochs}, {warmup}, {low})"
        result.append(f"keras.callbacks.LearningRateScheduler(lambda epoch: {rate})")
    elif schedule["type"] == "reduce_on_plateau":
        keys = ("monitor", "factor", "patience", "min_delta", "min_lr")
        kwargs = {k: schedule[k] for k in keys} | {"mode": _mode(schedule["monitor"])}
        result.append(_call("keras.callbacks.ReduceLROnPlateau", kwargs))
    stop = hp["early_stopping"]
    if stop["enabled"]:
        result.append(_call("keras.callbacks.EarlyStopping", {
            "monitor": stop["monitor"], "patience": stop["patience"],
            "min_delta": stop["min_delta"], "restore_best_weights": stop["restore_best"],
            "mode": _mode(stop["monitor"])}))  # fmt: skip
    return result


def training_section(run_id: int, hp: dict[str, Any], from_logits: bool) -> tuple[str, set[str]]:
    """The script's training part and the helpers it needs ("cosine", "balanced")."""
    needs: set[str] = set()
    listed = "".join(f"        {c},\n" for c in callbacks(hp, needs))
    sparse = hp["loss"]["type"] == "sparse_categorical_crossentropy"
    labels = "class indices (sparse loss)" if sparse else "one-hot rows"
    weights = "None"
    if hp["class_weights"] == "balanced":
        needs.add("balanced")
        weights = "balanced_class_weights(train_labels, num_classes)"
    precision = ""
    if hp["mixed_precision"]:
        precision = (
            "# dlstudio ran this with mixed_float16 on a GPU worker; to do the same, call\n"
            '# keras.mixed_precision.set_global_policy("mixed_float16") before build_model()\n'
        )
    rule = "# " + "-" * 87
    text = f'''{rule}
# TRAINING SETTINGS of dlstudio run {run_id}.
{rule}
EPOCHS = {hp["epochs"]}
BATCH_SIZE = {hp["batch_size"]}
SEED = {hp["seed"]}
# dlstudio held out this share of the training items for validation, stratified by class.
VALIDATION_FRACTION = {literal(hp["validation_fraction"])}
{precision}

def compile_model(model):
    model.compile(
        optimizer={optimizer(hp["optimizer"])},
        loss={loss(hp["loss"], from_logits)},
        metrics=["accuracy"],
    )
    return model


def training_callbacks():
    return [
{listed}    ]


def train(train_data, validation_data=None, train_labels=None, num_classes=None):
    """Trains as the run did. train_data / validation_data yield (images, labels) batches of
    BATCH_SIZE: 0-255 pixels at the Input's size, labels as {labels}."""
    keras.utils.set_random_seed(SEED)
    model = compile_model(build_model())
    model.fit(train_data, validation_data=validation_data, epochs=EPOCHS,
              callbacks=training_callbacks(), class_weight={weights})
    return model'''
    return text, needs
