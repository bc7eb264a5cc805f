"""A run's code: the script's compile and callbacks make what the worker's training makes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from backend.graph.codegen import generate_script
from backend.graph.schema import GraphSpec
from backend.runs.hyperparameters import Hyperparameters
from tests.worker.graphs import chain_dict, image_input, node, softmax
from tests.worker.model_facts import training_facts
from worker.compiler import compile_graph
from worker.compiler.compile import output_is_logits
from worker.training.losses import make_loss
from worker.training.optimizers import make_optimizer
from worker.training.schedules import training_callbacks

RUNNER = """
import json, runpy, sys
import keras, numpy as np
sys.path.insert(0, sys.argv[1])
from model_facts import training_facts
scripts = [runpy.run_path(path) for path in sys.argv[2:]]
out = [training_facts(s["compile_model"](s["build_model"]()), s["training_callbacks"](),
                      s["EPOCHS"]) for s in scripts]


class Batches(keras.utils.PyDataset):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        images = np.random.default_rng(index).uniform(0, 255, (4, 8, 8, 3)).astype("float32")
        return images, np.eye(3, dtype="float32")[np.arange(4) % 3]


# One run of train() (the balanced class weights case): the fit call itself works.
scripts[4]["train"](Batches(), train_labels=[0, 1, 2, 0, 1, 2, 0, 1], num_classes=3)
print("FACTS" + json.dumps(out))
"""
CASES: list[dict[str, Any]] = [
    {},
    {"optimizer": {"type": "adam", "learning_rate": 3e-4, "amsgrad": True, "clipnorm": 1.0},
     "loss": {"type": "focal", "gamma": 1.5, "alpha": 0.5, "label_smoothing": 0.1},
     "schedule": {"type": "cosine", "warmup_epochs": 2, "min_fraction": 0.1},
     "early_stopping": {"enabled": True, "monitor": "val_accuracy", "patience": 2}},
    {"optimizer": {"type": "sgd", "learning_rate": 0.05, "momentum": 0.9, "nesterov": True,
                   "decay": 1e-3},
     "loss": {"type": "sparse_categorical_crossentropy"}},
    {"optimizer": {"type": "adamw", "weight_decay": 0.01, "use_ema": True},
     "schedule": {"type": "step", "every_epochs": 3, "factor": 0.5}},
    {"optimizer": {"type": "rmsprop", "centered": True}, "class_weights": "balanced",
     "schedule": {"type": "reduce_on_plateau", "monitor": "val_loss", "patience": 1},
     "mixed_precision": True, "loss": {"type": "categorical_crossentropy",
                                       "label_smoothing": 0.2}},
    {"optimizer": {"type": "nadam"}}, {"optimizer": {"type": "adagrad"}},
]  # fmt: skip


def test_run_scripts_compile_and_schedule_as_the_worker(tmp_path: Path) -> None:
    graph = chain_dict(image_input(8), node("flat", "Flatten"), softmax(3))
    paths, expected = [], []
    for index, case in enumerate(CASES):
        hp = Hyperparameters.model_validate({"epochs": 6, **case})
        path = tmp_path / f"run_{index}.py"
        path.write_text(generate_script(graph, run=(index, hp.model_dump(mode="json"))))
        paths.append(path)
        model = compile_graph(GraphSpec.model_validate(graph))
        loss = make_loss(hp.loss, from_logits=False)
        model.compile(optimizer=make_optimizer(hp.optimizer), loss=loss, metrics=["accuracy"])
        expected.append(json.loads(json.dumps(training_facts(model, training_callbacks(hp), 6))))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(Path(__file__).parent), *map(str, paths)],
        cwd=tmp_path, env=env | {"TF_CPP_MIN_LOG_LEVEL": "3"}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [x for x in result.stdout.splitlines() if x.startswith("FACTS")]
    for case, got, wanted in zip(CASES, json.loads(line[5:]), expected, strict=True):
        assert got == wanted, case


def test_a_linear_output_is_compiled_as_logits() -> None:
    graph = chain_dict(image_input(8), node("flat", "Flatten"),
                       node("output", "Dense", units=3, activation="linear"))  # fmt: skip
    hp = Hyperparameters().model_dump(mode="json")
    script = generate_script(graph, run=(5, hp))
    assert "CategoricalCrossentropy(from_logits=True" in script
    assert output_is_logits(GraphSpec.model_validate(graph))
    assert "TRAINING SETTINGS of dlstudio run 5" in script
