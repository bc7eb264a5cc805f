"""A person uploads a dataset zip in the browser and explores it, or reads why it was refused."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from playwright.sync_api import Page, Route, expect

from tests.conftest import Stack
from tests.factories import CLASS_COLOURS, image_zip, png_bytes

# Small chunks so a zip of a few tens of kB still goes up in many PATCH requests.
CHUNK = 2048

# Records every value the progress bar shows, from page load on: the page moves
# on to the dataset as soon as ingest answers, too fast to poll from Python.
PROGRESS_RECORDER = """
window.__progress = [];
new MutationObserver(() => {
  const bar = document.querySelector('[data-testid="upload-progress"]');
  if (!bar) return;
  const sample = {value: Number(bar.getAttribute('value')), max: Number(bar.getAttribute('max'))};
  const last = window.__progress[window.__progress.length - 1];
  const changed = !last || last.value !== sample.value || last.max !== sample.max;
  if (changed) window.__progress.push(sample);
}).observe(document, {subtree: true, childList: true, attributes: true});
"""

# A DataTransfer holding the zip, as the browser builds one for a real drop.
DATA_TRANSFER = """([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: 'application/zip'}));
  return transfer;
}"""


def write_zip(tmp_path: Path, name: str, payload: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(payload)
    return path


def speaker_zip(per_class: int, salt: int) -> bytes:
    """The paper's layout with a speaker column, which the page groups by."""
    buffer = io.BytesIO()
    rows = ["path,label,speaker"]
    with zipfile.ZipFile(buffer, "w") as archive:
        for label in ("anger", "neutral"):
            for index in range(per_class):
                name = f"emotion/{label}/{label}_{index:03d}.png"
                archive.writestr(name, png_bytes(CLASS_COLOURS[label], 24, seed=index + salt))
                rows.append(f"{name},{label},s{index % 2 + 1}")
        archive.writestr("labels.csv", "\n".join(rows) + "\n")
    return buffer.getvalue()


def assert_progress_reached_max(page: Page, size: int) -> None:
    samples = page.evaluate("window.__progress")
    assert samples, "the progress bar never showed"
    assert all(sample["max"] == size for sample in samples), samples
    assert samples[-1]["value"] == size, samples
    values = [sample["value"] for sample in samples]
    assert values == sorted(values), samples
    # Several chunks: the bar stopped at intermediate offsets on the way.
    assert len({v for v in values if 0 < v < size}) >= 2, samples


def assert_thumbnails_loaded(page: Page, label: str, expected: int) -> None:
    grid = page.get_by_test_id(f"thumbnails-{label}")
    grid.scroll_into_view_if_needed()
    images = grid.locator("img")
    expect(images).to_have_count(expected)
    page.wait_for_function(
        """(id) => [...document.querySelectorAll(`[data-testid="${id}"] img`)]
             .every((img) => img.complete && img.naturalWidth > 0)""",
        arg=f"thumbnails-{label}",
        timeout=15_000,
    )


def test_a_picked_zip_uploads_in_chunks_and_opens_its_dataset(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    per_class = 9
    payload = image_zip(per_class=per_class, size=32, salt=5100)
    assert len(payload) > 4 * CHUNK
    zip_path = write_zip(tmp_path, "picked.zip", payload)
    page.add_init_script(PROGRESS_RECORDER)
    page.goto(f"{stack.base_url}/datasets?chunk={CHUNK}")
    page.get_by_label("Name").fill("picked in the browser")
    page.get_by_test_id("upload-input").set_input_files(zip_path)

    page.wait_for_url(f"{stack.base_url}/datasets/*", timeout=30_000)
    assert_progress_reached_max(page, len(payload))
    expect(page.get_by_role("heading", name="picked in the browser")).to_be_visible()

    chart = page.get_by_test_id("class-chart")
    for label in ("anger", "neutral", "stress"):
        expect(chart.locator(f'[data-class="{label}"]')).to_have_attribute(
            "data-count", str(per_class)
        )
    for label in ("anger", "neutral", "stress"):
        assert_thumbnails_loaded(page, label, per_class)

    page.get_by_test_id("thumbnails-neutral").locator("img").first.click()
    dialog = page.get_by_test_id("item-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("emotion/neutral/neutral_000.png")
    page.wait_for_function(
        """() => { const img = document.querySelector('[data-testid="item-dialog"] img');
                   return img && img.complete && img.naturalWidth === 32 }"""
    )
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    page.get_by_role("link", name="Datasets", exact=True).click()
    expect(page.get_by_test_id("datasets-table")).to_contain_text("picked in the browser")


def test_a_dropped_zip_uploads_and_shows_its_groups(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    payload = speaker_zip(per_class=30, salt=5200)
    page.add_init_script(PROGRESS_RECORDER)
    page.goto(f"{stack.base_url}/datasets?chunk={CHUNK}")
    transfer = page.evaluate_handle(
        DATA_TRANSFER, ["dropped.zip", base64.b64encode(payload).decode()]
    )
    drop = page.get_by_test_id("upload-drop")
    for event in ("dragenter", "dragover", "drop"):
        drop.dispatch_event(event, {"dataTransfer": transfer})

    page.wait_for_url(f"{stack.base_url}/datasets/*", timeout=30_000)
    assert_progress_reached_max(page, len(payload))
    expect(page.get_by_role("heading", name="dropped")).to_be_visible()
    chart = page.get_by_test_id("class-chart")
    expect(chart.locator("[data-class]")).to_have_count(2)
    expect(chart.locator('[data-class="anger"]')).to_have_attribute("data-count", "30")

    speakers = page.get_by_test_id("group-table-speaker")
    expect(speakers.locator("tbody tr")).to_have_count(2)
    expect(speakers.locator('tr[data-value="s1"] td[data-class="anger"]')).to_have_text("15")
    expect(speakers.locator('tr[data-value="s2"] td[data-class="neutral"]')).to_have_text("15")

    # 30 per class: the first page of 24, then the rest on "show more".
    assert_thumbnails_loaded(page, "anger", 24)
    section = page.locator(".thumbnails-section", has=page.get_by_test_id("thumbnails-anger"))
    section.get_by_role("button", name="Show 6 more").click()
    assert_thumbnails_loaded(page, "anger", 30)


def test_a_broken_zip_shows_every_problem_with_its_csv_row(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    payload = image_zip(per_class=3, salt=5300, extra_rows=["emotion/anger/gone.png,anger"])
    zip_path = write_zip(tmp_path, "broken.zip", payload)
    page.goto(f"{stack.base_url}/datasets?chunk={CHUNK}")
    page.get_by_test_id("upload-input").set_input_files(zip_path)

    report = page.get_by_test_id("validation-report")
    expect(report).to_be_visible(timeout=30_000)
    problem = report.locator("li", has_text="gone.png")
    expect(problem).to_have_count(1)
    # The missing file's row: header is row 1, then 9 images, so the extra row is row 11.
    expect(problem).to_contain_text("labels.csv")
    expect(problem).to_contain_text("row 11")
    assert page.url == f"{stack.base_url}/datasets?chunk={CHUNK}"
    # A CSV problem offers the column inputs for another try on the kept upload.
    expect(page.get_by_label("Path column")).to_be_visible()


def test_an_upload_resumes_after_a_dropped_connection(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    per_class = 6
    payload = image_zip(per_class=per_class, salt=5400)
    zip_path = write_zip(tmp_path, "flaky.zip", payload)
    seen: list[str] = []

    def flaky(route: Route) -> None:
        request = route.request
        seen.append(request.method)
        # Drop the third chunk's connection once; the page must back off, ask the
        # server where it is (GET) and carry on from there.
        if request.method == "PATCH" and seen.count("PATCH") == 3:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/uploads/*", flaky)
    page.add_init_script(PROGRESS_RECORDER)
    page.goto(f"{stack.base_url}/datasets?chunk={CHUNK}")
    page.get_by_test_id("upload-input").set_input_files(zip_path)

    page.wait_for_url(f"{stack.base_url}/datasets/*", timeout=30_000)
    assert_progress_reached_max(page, len(payload))
    third = [i for i, method in enumerate(seen) if method == "PATCH"][2]
    assert "GET" in seen[third:], seen
    chart = page.get_by_test_id("class-chart")
    expect(chart.locator('[data-class="stress"]')).to_have_attribute("data-count", str(per_class))


def test_picking_the_same_file_after_a_reload_resumes_the_upload(
    page: Page, stack: Stack, tmp_path: Path
) -> None:
    payload = image_zip(per_class=6, salt=5500)
    zip_path = write_zip(tmp_path, "reloaded.zip", payload)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page mid-upload?"
    patches: list[str] = []

    def offline_after_three(route: Route) -> None:
        if route.request.method != "PATCH":
            route.continue_()
            return
        patches.append(route.request.headers["upload-offset"])
        if len(patches) <= 3:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.route("**/api/uploads/*", offline_after_three)
    page.goto(f"{stack.base_url}/datasets?chunk={CHUNK}")
    page.get_by_test_id("upload-input").set_input_files(zip_path)
    page.wait_for_function("() => document.body.textContent.includes('Retrying in')")
    page.unroute("**/api/uploads/*")

    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url}"))
    page.add_init_script(PROGRESS_RECORDER)
    page.reload()
    page.get_by_test_id("upload-input").set_input_files(zip_path)
    page.wait_for_url(f"{stack.base_url}/datasets/*", timeout=30_000)

    uploads = [r for r in requests if "/api/uploads" in r]
    assert f"POST {stack.base_url}/api/uploads" not in uploads, uploads
    assert uploads[0].startswith("GET "), uploads
    # The bar picks up where the three chunks that got through left it.
    samples = page.evaluate("window.__progress")
    assert next(s["value"] for s in samples if s["value"] > 0) == 3 * CHUNK, samples
    expect(page.get_by_test_id("class-chart").locator("[data-class]")).to_have_count(3)
