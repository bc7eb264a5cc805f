"""The paper experiment end to end on the live worker: ResNet50, WideResNet, SqueezeNet and
InceptionV3 without weights, trained for one epoch on 12 tiny images at 75 px (InceptionV3's
minimum, shared by all four so only the architecture differs), then the comparison table
as CSV, Markdown and the printable HTML report with server-drawn curves."""

from __future__ import annotations

import csv
import io
import time

import httpx
import pytest

from tests.api.test_compare import tiny_dataset
from tests.api.test_compare_paper import LABELS, paper
from tests.helpers import wait_for_run

pytestmark = pytest.mark.slow


def test_the_paper_in_one_action(client: httpx.Client) -> None:
    created = paper(client, tiny_dataset(client, salt=77_000))
    assert created.status_code == 201, created.text
    experiment = created.json()
    began = time.monotonic()
    finished = [wait_for_run(client, run["id"], timeout=400) for run in experiment["runs"]]
    took = time.monotonic() - began
    assert [r["status"] for r in finished] == ["succeeded"] * 4, [
        r["error_message"] for r in finished]
    print(f"four paper models, 1 epoch at 75 px on 12 images: {took:.0f} s")

    text = client.get(experiment["reports"]["csv"]).text
    print(text)  # the timing per model, for the README's cost note
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["Model"] for row in table] == LABELS
    for row in table:
        assert row["Status"] == "succeeded"
        for column in ("Train accuracy", "Val accuracy", "Train loss", "Val loss",
                       "Test accuracy", "Parameters", "Seconds per epoch"):
            assert row[column] != "", (row["Model"], column)
    params = [int(row["Parameters"]) for row in table]
    assert len(set(params)) == 4  # four different architectures, not one model four times

    markdown = client.get(experiment["reports"]["md"]).text
    assert markdown.count("\n| ") == 5 and "| ResNet50 | succeeded |" in markdown

    html = client.get(experiment["reports"]["html"])
    assert html.headers["content-type"].startswith("text/html")
    assert html.text.count("<tr data-run-id=") == 4
    assert html.text.count("<svg") == 8  # accuracy and loss for each model
    assert "<script" not in html.text  # prints without JavaScript
