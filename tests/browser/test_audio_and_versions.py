"""A person turns an audio dataset into spectrograms, and makes a relabelled version, in the
browser: the EMO-DB copy (zipped here, never stored in the repo) and a factory image zip."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_datasets_page import assert_thumbnails_loaded
from tests.conftest import Stack
from tests.e2e.test_audio_datasets import DATA, corpus_zip
from tests.factories import image_zip
from tests.helpers import upload_dataset

# Every value the conversion's progress bar shows, from page load on: a short conversion
# can pass through its intermediate values faster than Python could poll them.
PROGRESS_RECORDER = """
window.__conversion = [];
new MutationObserver(() => {
  const bar = document.querySelector('[data-testid="conversion-progress"]');
  if (!bar) return;
  const sample = {value: Number(bar.getAttribute('value')), max: Number(bar.getAttribute('max'))};
  const last = window.__conversion[window.__conversion.length - 1];
  const changed = !last || last.value !== sample.value || last.max !== sample.max;
  if (changed) window.__conversion.push(sample);
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def test_an_audio_dataset_converts_to_spectrograms_in_the_browser(
    page: Page, stack: Stack, client: httpx.Client
) -> None:
    response = upload_dataset(
        client, corpus_zip(DATA / "emodb-dev", with_csv=True), filename="emodb.zip"
    )
    assert response.status_code in (200, 201), response.text
    audio = response.json()
    total = audio["num_items"]

    page.add_init_script(PROGRESS_RECORDER)
    page.goto(f"{stack.base_url}/datasets/{audio['id']}")
    expect(page.get_by_test_id("dataset-kind")).to_have_text("audio")
    expect(page.get_by_test_id("audio-summary")).to_contain_text("22050 Hz")
    speakers = page.get_by_test_id("group-table-speaker")
    expect(speakers.locator("tbody tr").first).to_be_visible()
    expect(page.get_by_test_id("recordings-anger").locator("audio").first).to_be_attached()
    expect(page.get_by_test_id("thumbnails-anger")).to_have_count(0)

    panel = page.get_by_test_id("convert-panel")
    # A refused recipe: the problem beside its field. Cross-field rules run only once every
    # field is valid on its own, so the fmax one comes on the second try.
    panel.locator("input[name=n_fft]").fill("8")
    panel.get_by_role("button", name="Start").click()
    expect(panel.locator("[data-field='stft.n_fft'] .field-problem")).to_contain_text("16")
    panel.locator("input[name=n_fft]").fill("512")
    panel.locator("input[name=fmax]").fill("20000")
    panel.get_by_role("button", name="Start").click()
    expect(panel.locator("[data-field=fmax] .field-problem")).to_contain_text("must not exceed")
    expect(panel.locator("[data-field='stft.n_fft'] .field-problem")).to_have_count(0)
    expect(panel.get_by_test_id("conversion-progress")).to_have_count(0)
    panel.get_by_role("button", name="Reset to defaults").click()

    panel.locator("[data-preset=small]").click()
    expect(panel.locator("input[name=width]")).to_have_value("128")
    panel.locator("input[name=whole_utterance]").check()
    expect(panel.locator("input[name=length_s]")).to_be_disabled()
    # Short voiced utterances would otherwise fall under the 0.5 s default and be dropped.
    panel.locator("input[name=min_length_s]").fill("0.1")
    panel.locator("input[name=conversion-name]").fill("emodb small")
    panel.get_by_role("button", name="Start").click()

    progress = panel.get_by_test_id("conversion-progress")
    expect(progress).to_have_attribute("max", str(total))
    result = panel.get_by_test_id("conversion-result")
    expect(result).to_be_visible(timeout=240_000)
    expect(progress).to_have_attribute("value", str(total))
    samples = page.evaluate("window.__conversion")
    values = [sample["value"] for sample in samples]
    assert values == sorted(values) and values[-1] == total, samples
    assert len(set(values)) >= 2, samples  # it moved rather than appearing full

    result.get_by_role("link").click()
    page.wait_for_url(re.compile(r".*/datasets/\d+$"))
    assert page.url != f"{stack.base_url}/datasets/{audio['id']}"
    expect(page.get_by_role("heading", name="emodb small")).to_be_visible()
    expect(page.get_by_test_id("dataset-kind")).to_have_text("image")
    derived = page.get_by_test_id("derived-from")
    expect(derived).to_contain_text("Derived from")
    expect(derived.get_by_role("link", name=audio["name"])).to_be_visible()
    expect(derived.get_by_test_id("derivation-recipe")).to_contain_text("128\u00d7128")
    assert_thumbnails_loaded(page, "neutral", min(24, audio["class_counts"]["neutral"]))

    # Back on the audio page, mounted afresh, the finished conversion is still listed.
    derived.get_by_role("link", name=audio["name"]).click()
    earlier = page.get_by_test_id("earlier-conversions")
    expect(earlier.locator("[data-testid=conversion]", has_text="emodb small")).to_have_attribute(
        "data-status", "succeeded"
    )


def test_a_relabelled_version_merges_classes_and_leaves_the_original(
    page: Page, stack: Stack, client: httpx.Client
) -> None:
    per_class = 4
    response = upload_dataset(client, image_zip(per_class=per_class, salt=7100), name="to relabel")
    assert response.status_code == 201, response.text
    original = response.json()

    page.goto(f"{stack.base_url}/datasets/{original['id']}")
    panel = page.get_by_test_id("relabel-panel")
    expect(panel.get_by_role("button", name="Create version")).to_be_disabled()
    panel.get_by_label("New name for anger").fill("aroused")
    panel.get_by_label("New name for stress").fill("aroused")
    expect(panel.get_by_test_id("relabel-merges")).to_contain_text(
        "anger + stress merge into aroused"
    )
    panel.locator("input[name=relabel-name]").fill("merged arousal")
    panel.get_by_role("button", name="Create version").click()

    page.wait_for_url(re.compile(r".*/datasets/\d+$"))
    expect(page.get_by_role("heading", name="merged arousal")).to_be_visible()
    new_id = int(page.url.rsplit("/", 1)[1])
    assert new_id != original["id"]
    chart = page.get_by_test_id("class-chart")
    expect(chart.locator("[data-class]")).to_have_count(2)
    expect(chart.locator('[data-class="aroused"]')).to_have_attribute(
        "data-count", str(2 * per_class)
    )
    expect(chart.locator('[data-class="neutral"]')).to_have_attribute("data-count", str(per_class))
    derived = page.get_by_test_id("derived-from")
    expect(derived.get_by_role("link", name="to relabel")).to_be_visible()
    expect(derived.locator('[data-from="anger"]')).to_have_attribute("data-to", "aroused")
    assert client.get(f"/api/datasets/{new_id}").json()["derivation"]["mapping"] == {
        "anger": "aroused",
        "stress": "aroused",
    }

    derived.get_by_role("link", name="to relabel").click()
    page.wait_for_url(f"{stack.base_url}/datasets/{original['id']}")
    chart = page.get_by_test_id("class-chart")
    expect(chart.locator("[data-class]")).to_have_count(3)
    for label in ("anger", "neutral", "stress"):
        expect(chart.locator(f'[data-class="{label}"]')).to_have_attribute(
            "data-count", str(per_class)
        )

    page.goto(f"{stack.base_url}/datasets")
    row = page.get_by_test_id("datasets-table").locator(f'tr[data-dataset-id="{new_id}"]')
    expect(row).to_have_attribute("data-parent-id", str(original["id"]))
    expect(row).to_contain_text("from to relabel")
