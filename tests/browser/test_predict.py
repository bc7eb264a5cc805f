"""A person drops an image on a trained model's Predict panel and reads its class probabilities;
a zip of images gets a table and a CSV download."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Stack
from tests.e2e.test_predict import train_tiny
from tests.factories import CLASS_COLOURS, image_zip, png_bytes
from tests.helpers import upload_dataset

# A DataTransfer holding the file, as the browser builds one for a real drop.
DATA_TRANSFER = """([name, b64, type]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type}));
  return transfer;
}"""


@pytest.fixture(scope="module")
def model(stack: Stack) -> dict[str, Any]:
    with httpx.Client(base_url=stack.base_url, timeout=30) as client:
        dataset = upload_dataset(client, image_zip(per_class=4, size=32, salt=907))
        assert dataset.status_code in (200, 201), dataset.text
        return train_tiny(client, dataset.json()["id"], 32, 3, "browser predict cnn")


def drop(page: Page, name: str, payload: bytes, mime: str) -> None:
    transfer = page.evaluate_handle(DATA_TRANSFER, [name, base64.b64encode(payload).decode(), mime])
    page.get_by_test_id("predict-drop").dispatch_event("drop", {"dataTransfer": transfer})


def test_dropping_an_image_shows_its_class_probabilities(
    page: Page, stack: Stack, model: dict[str, Any]
) -> None:
    page.goto(f"{stack.base_url}/runs/{model['id']}")
    expect(page.get_by_test_id("predict-panel")).to_be_visible(timeout=30_000)
    drop(page, "red.png", png_bytes(CLASS_COLOURS["anger"], 32, seed=5), "image/png")

    result = page.get_by_test_id("predict-result")
    expect(result).to_contain_text("red.png", timeout=60_000)
    bars = page.locator('[data-testid="probabilities"] li')
    expect(bars).to_have_count(3)
    classes = {bars.nth(i).get_attribute("data-class") for i in range(3)}
    assert classes == {"anger", "neutral", "stress"}
    predicted = page.get_by_test_id("predicted-class").inner_text()
    # The highlighted (first) bar is the predicted class, and its share is shown in percent.
    expect(bars.first).to_have_attribute("data-class", predicted)
    expect(bars.first).to_contain_text("%")

    # With Grad-CAM asked for, the overlay shows under the bars.
    page.get_by_label("Show a Grad-CAM overlay").check()
    drop(page, "red.png", png_bytes(CLASS_COLOURS["anger"], 32, seed=5), "image/png")
    expect(page.get_by_test_id("saliency")).to_contain_text(predicted, timeout=60_000)
    expect(page.get_by_test_id("saliency").locator("img")).to_have_js_property("complete", True)


def test_a_zip_gets_a_table_and_a_csv(page: Page, stack: Stack, model: dict[str, Any]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for label in ("anger", "neutral"):
            archive.writestr(f"{label}.png", png_bytes(CLASS_COLOURS[label], 32, seed=9))
    page.goto(f"{stack.base_url}/runs/{model['id']}")
    page.get_by_test_id("predict-input").set_input_files(
        files=[{"name": "batch.zip", "mimeType": "application/zip", "buffer": buffer.getvalue()}]
    )
    expect(page.locator(".batch-predictions tbody tr")).to_have_count(2, timeout=60_000)
    with page.expect_download() as info:
        page.get_by_test_id("predict-csv").click()
    download = info.value
    assert download.suggested_filename == f"predictions-model-{model['id']}.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("name,kind,predicted,p_anger")
    assert {line.split(",")[0] for line in text.splitlines()[1:]} == {"anger.png", "neutral.png"}
