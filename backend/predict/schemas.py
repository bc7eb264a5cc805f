from __future__ import annotations

from pydantic import BaseModel


class SegmentPrediction(BaseModel):
    index: int
    start_s: float
    end_s: float
    probabilities: dict[str, float]
    predicted: str


class FilePrediction(BaseModel):
    name: str
    kind: str  # "image" or "audio"
    probabilities: dict[str, float]  # a recording's: the mean over its segments
    predicted: str
    segments: int | None = None
    per_segment: list[SegmentPrediction] | None = None


class Skipped(BaseModel):
    name: str
    reason: str


class Axis(BaseModel):
    label: str
    ticks: list[float]  # values at the tick positions
    positions: list[float]  # 0..1 along the image (time left to right, frequency bottom up)


class Saliency(BaseModel):
    method: str
    layer: str
    class_name: str
    png_base64: str  # the input image with the Grad-CAM heatmap blended over it
    segment: int | None = None
    time_axis: Axis | None = None
    frequency_axis: Axis | None = None


class PredictionsPublic(BaseModel):
    model_id: int
    classes: list[str]
    cached: bool  # the model was already loaded in the predict worker
    predictions: list[FilePrediction]
    skipped: list[Skipped] = []
    saliency: Saliency | None = None
