"""A person opens a finished run and reads its evaluation: the confusion matrix, and the
test images behind one of its cells with the model's probabilities."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import Stack
from tests.helpers import train_split_cnn


def trained_run(client: httpx.Client) -> dict[str, Any]:
    return train_split_cnn(client, per_class=12, salt=67_000, name="evaluation page cnn",
                           seed=5, split_seed=2)  # fmt: skip


def test_clicking_a_confusion_cell_shows_its_images_with_probabilities(
    page: Page, client: httpx.Client, stack: Stack
) -> None:
    run = trained_run(client)
    evaluation = client.get(f"/api/runs/{run['id']}/evaluation").json()
    classes, counts = evaluation["classes"], evaluation["confusion"]["counts"]
    # The fullest cell, so there are images to see whatever the model learned.
    _, t, p = max((counts[t][p], t, p) for t in range(3) for p in range(3))

    page.goto(f"{stack.base_url}/runs/{run['id']}")
    matrix = page.get_by_test_id("confusion-matrix")
    expect(matrix).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("card-accuracy")).to_contain_text("95% CI")
    expect(page.get_by_test_id("card-checkpoint")).to_contain_text(
        f"epoch {evaluation['best_epoch']}")
    cell = page.get_by_test_id(f"cell-{classes[t]}-{classes[p]}")
    expect(cell).to_have_text(str(counts[t][p]))
    page.get_by_test_id("confusion-matrix-normalized").click()
    expect(cell).to_have_text(f"{evaluation['confusion']['normalized'][t][p]:.2f}")

    cell.click()
    panel = page.get_by_test_id("cell-items")
    expect(panel).to_be_visible()
    expect(panel.get_by_test_id("cell-item")).to_have_count(counts[t][p])
    first = panel.get_by_test_id("cell-item").first
    expect(first.get_by_test_id("probability")).to_have_count(3)
    expect(first.get_by_test_id("probability").first).to_contain_text("%")
    image = first.locator("img")
    expect(image).to_be_visible()
    # The thumbnail really loaded (a broken link has no natural width).
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    expect(page.get_by_test_id("per-class-table").locator("tbody tr")).to_have_count(3)
