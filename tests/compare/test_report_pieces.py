"""The report's pure parts: hyperparameters flattened for filtering, and the server-side SVG."""

from __future__ import annotations

from backend.compare.service import flatten
from backend.compare.svg import Series, line_chart


def test_hyperparameters_flatten_to_dotted_keys() -> None:
    flat = flatten({"epochs": 3, "optimizer": {"type": "adam", "learning_rate": 0.001},
                    "early_stopping": {"enabled": False}, "tags": ["a", "b"]})  # fmt: skip
    assert flat == {"epochs": 3, "optimizer.type": "adam", "optimizer.learning_rate": 0.001,
                    "early_stopping.enabled": False, "tags": "a, b"}  # fmt: skip


def test_svg_draws_one_line_per_series_and_escapes_labels() -> None:
    svg = line_chart("Loss <all>", [
        Series("train", "#000", [(1, 1.0), (2, 0.5), (3, 0.25)]),
        Series("val & more", "#f00", [(1, 1.2), (2, None), (3, 0.9)], dashed=True),
        Series("one point", "#0f0", [(1, 0.7)]),
    ])  # fmt: skip
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 1
    assert 'data-series="3"' in svg and "stroke-dasharray" in svg
    assert "Loss &lt;all&gt;" in svg and "val &amp; more" in svg


def test_svg_of_no_data_is_still_a_chart() -> None:
    svg = line_chart("Accuracy", [Series("train", "#000", [])], (0.0, 1.0))
    assert "<polyline" not in svg and "Accuracy" in svg
