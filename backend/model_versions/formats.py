"""The download formats of a model version, shared by the API and the worker's export task."""

from __future__ import annotations

from typing import Literal

Format = Literal["keras", "savedmodel", "onnx"]
FORMATS: tuple[Format, ...] = ("keras", "savedmodel", "onnx")
# Built by the worker on first request; the .keras file exists from the end of training.
ON_DEMAND: tuple[Format, ...] = ("savedmodel", "onnx")
EXPORT_MODEL_TASK = "dlstudio.export_model"
