"""The trained model on the run's test part: the number a paper would report."""

from __future__ import annotations

from typing import Any

from backend.models.run import Run
from backend.runs.recorder import RunRecorder
from worker.training.data import ImageBatches


def record_test_metrics(recorder: RunRecorder, run: Run, model: Any, test: ImageBatches) -> None:
    results = model.evaluate(test, return_dict=True, verbose=0)
    run.test_metrics = {f"test_{key}": float(value) for key, value in results.items()}
    shown = ", ".join(f"{key} {value:.4g}" for key, value in sorted(run.test_metrics.items()))
    recorder.log(run, f"Test part ({len(test.examples)} images, never trained on): {shown}")
