"""Grad-CAM (Selvaraju et al. 2017) for one prediction: which parts of the input raised the
predicted class. For a spectrogram, the overlay comes with time (s) and frequency (Hz) axes
computed from the dataset's recipe.

The gradient is backend-specific; TensorFlow and torch are supported (the backends the worker
images ship). The heatmap is blended over the model's own input image and returned as a PNG.
"""

from __future__ import annotations

import base64
import io
import math
from typing import Any

import keras
import numpy as np
from PIL import Image

from backend.audio_recipe import load_recipe
from backend.errors import InvalidInput
from worker.audio.colormaps import colour_table
from worker.audio.spectrogram import hz_to_mel
from worker.predict.inputs import Prepared
from worker.predict.models import LoadedModel

MIN_WIDTH = 320  # shown pixelated but large enough to read
TIME_STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
HZ_TICKS = (0, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000, 64000)


def feature_layer(model: Any) -> Any:
    """The last top-level layer whose output is a feature map (batch, h, w, channels)."""
    for layer in reversed(model.layers):
        shape = getattr(layer, "output", None) is not None and layer.output.shape
        if shape and len(shape) == 4 and (shape[1] or 0) > 1:
            return layer
    raise InvalidInput("Grad-CAM needs a convolutional feature map; this model has none")


def heatmap(loaded: LoadedModel, pixels: np.ndarray, class_index: int) -> tuple[np.ndarray, str]:
    """(h, w) in [0, 1] at the feature map's resolution, and the layer's name."""
    layer = feature_layer(loaded.model)
    probe = keras.Model(loaded.model.inputs, [layer.output, loaded.model.output])
    features, grads = _gradients(probe, pixels[None], class_index)
    weights = grads.mean(axis=(0, 1))  # one weight per channel: the mean gradient
    cam = np.maximum((features * weights).sum(axis=-1), 0.0)
    peak = float(cam.max())
    return (cam / peak if peak > 0 else cam), str(layer.name)


def _gradients(probe: Any, batch: np.ndarray, class_index: int) -> tuple[np.ndarray, np.ndarray]:
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        inputs = tf.convert_to_tensor(batch)
        with tf.GradientTape() as tape:
            features, scores = probe(inputs, training=False)
            score = scores[:, class_index]
        grads = tape.gradient(score, features)
        return np.asarray(features[0]), np.asarray(grads[0])
    if backend == "torch":
        import torch

        features, scores = probe(torch.as_tensor(batch), training=False)
        features.retain_grad()
        scores[:, class_index].sum().backward()
        return features[0].detach().cpu().numpy(), features.grad[0].cpu().numpy()
    raise InvalidInput(f"Grad-CAM is not available on the {backend} backend (tensorflow, torch)")


def overlay(pixels: np.ndarray, cam: np.ndarray) -> Image.Image:
    """The input in gray with the heatmap (magma) blended over it, enlarged for reading."""
    height, width = pixels.shape[:2]
    gray = pixels.mean(axis=-1) if pixels.shape[-1] > 1 else pixels[..., 0]
    cam_image = Image.fromarray(np.round(cam * 255).astype(np.uint8), mode="L")
    cam_big = np.asarray(cam_image.resize((width, height), Image.Resampling.BILINEAR))
    heat = colour_table("magma")[cam_big].astype(np.float32)
    base = np.repeat(gray[..., None], 3, axis=-1)
    alpha = 0.35 + 0.5 * (cam_big[..., None] / 255.0)
    blended = np.clip((1 - alpha) * base + alpha * heat, 0, 255).astype(np.uint8)
    image = Image.fromarray(blended, mode="RGB")
    if width < MIN_WIDTH:
        scale = math.ceil(MIN_WIDTH / width)
        image = image.resize((width * scale, height * scale), Image.Resampling.NEAREST)
    return image


def time_axis(duration_s: float, start_s: float) -> dict[str, Any]:
    step = next((s for s in TIME_STEPS if duration_s / s <= 6), TIME_STEPS[-1])
    ticks = [i * step for i in range(int(duration_s / step + 1e-9) + 1)]
    return {
        "label": "Time (s)",
        "ticks": [round(start_s + t, 3) for t in ticks],
        "positions": [t / duration_s if duration_s > 0 else 0.0 for t in ticks],
    }


def frequency_axis(recipe_data: dict[str, Any]) -> dict[str, Any]:
    recipe = load_recipe(recipe_data)
    low, high = recipe.fmin, recipe.max_frequency
    if recipe.scale == "mel":
        mel_low, mel_high = float(hz_to_mel(low)), float(hz_to_mel(high))
        place = lambda hz: (float(hz_to_mel(hz)) - mel_low) / (mel_high - mel_low)  # noqa: E731
    else:
        place = lambda hz: (hz - low) / (high - low)  # noqa: E731
    ticks = [float(hz) for hz in HZ_TICKS if low <= hz <= high]
    return {
        "label": "Frequency (Hz)" + (", mel scale" if recipe.scale == "mel" else ""),
        "ticks": ticks,
        "positions": [round(place(hz), 4) for hz in ticks],
    }


def saliency_for(
    loaded: LoadedModel,
    prepared: Prepared,
    recipe: dict[str, Any] | None,
    classes: list[str],
    class_name: str,
) -> dict[str, Any]:
    """Grad-CAM for `class_name` on the image, or on the recording's segment that gave the class
    the highest probability."""
    from worker.predict.service import probabilities

    index = classes.index(class_name)
    segment = 0
    if prepared.kind == "audio":
        segment = int(np.argmax(probabilities(loaded, prepared.pixels)[:, index]))
    pixels = prepared.pixels[segment]
    cam, layer = heatmap(loaded, pixels, index)
    buffer = io.BytesIO()
    overlay(pixels, cam).save(buffer, format="PNG")
    result: dict[str, Any] = {
        "method": "grad-cam", "layer": layer, "class_name": class_name,
        "png_base64": base64.b64encode(buffer.getvalue()).decode("ascii"),
    }  # fmt: skip
    if prepared.kind == "audio" and recipe is not None:
        start_s, _ = prepared.spans[segment]
        result.update(
            segment=segment,
            time_axis=time_axis(prepared.durations[segment], start_s),
            frequency_axis=frequency_axis(recipe),
        )
    return result
