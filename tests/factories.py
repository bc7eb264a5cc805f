"""Plain factory functions for test inputs: dataset zips and model graphs."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from PIL import Image

# Distinguishable by colour, so a tiny model can learn them in a couple of epochs.
CLASS_COLOURS = {
    "anger": (220, 40, 40),
    "neutral": (40, 200, 60),
    "stress": (40, 60, 220),
}


def png_bytes(colour: tuple[int, int, int], size: int = 32, seed: int = 0) -> bytes:
    image = Image.new("RGB", (size, size), colour)
    # A little per-image texture so files (and hashes) differ.
    for offset in range(size):
        x, y = (offset * 7 + seed * 3) % size, (offset * 3 + seed) % size
        image.putpixel((x, y), tuple((c + 40 * (seed % 3)) % 256 for c in colour))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def image_zip(
    per_class: int = 6,
    classes: tuple[str, ...] = ("anger", "neutral", "stress"),
    size: int = 32,
    with_csv: bool = True,
    salt: int = 0,
    extra_rows: list[str] | None = None,
) -> bytes:
    """The paper's layout: ``emotion/<class>/*.png`` plus ``labels.csv`` of path,label."""
    buffer = io.BytesIO()
    rows = ["path,label"]
    with zipfile.ZipFile(buffer, "w") as archive:
        for label in classes:
            for index in range(per_class):
                name = f"emotion/{label}/{label}_{index:03d}.png"
                colour = CLASS_COLOURS.get(label, (128, 128, 128))
                archive.writestr(name, png_bytes(colour, size, seed=index + salt))
                rows.append(f"{name},{label}")
        if with_csv:
            archive.writestr("labels.csv", "\n".join(rows + (extra_rows or [])) + "\n")
    return buffer.getvalue()


def paper_graph(
    num_classes: int = 3,
    size: int = 32,
    architecture: str = "ResNet50",
    weights: str = "none",
    hidden: int = 512,
) -> dict[str, Any]:
    """The paper's model: Input, backbone, global max pooling, Dense 512, Dense N softmax."""
    return {
        "schema_version": 1,
        "nodes": [
            {
                "id": "input",
                "type": "Input",
                "params": {"height": size, "width": size, "channels": 3},
            },
            {
                "id": "backbone",
                "type": "Backbone",
                "params": {"architecture": architecture, "weights": weights, "trainable": "all"},
            },
            {"id": "pool", "type": "GlobalMaxPooling2D"},
            {"id": "dense", "type": "Dense", "params": {"units": hidden, "activation": "relu"}},
            {
                "id": "output",
                "type": "Dense",
                "params": {"units": num_classes, "activation": "softmax"},
            },
        ],
        "edges": [
            {"source": "input", "target": "backbone"},
            {"source": "backbone", "target": "pool"},
            {"source": "pool", "target": "dense"},
            {"source": "dense", "target": "output"},
        ],
    }


def paper_hyperparameters(epochs: int = 2, batch_size: int = 8, **optimizer: Any) -> dict[str, Any]:
    return {
        "epochs": epochs,
        "batch_size": batch_size,
        "optimizer": {
            "type": "adadelta",
            "learning_rate": 1.0,
            "rho": 0.95,
            "epsilon": 1e-8,
            **optimizer,
        },
        "validation_fraction": 0.25,
        "seed": 7,
    }
