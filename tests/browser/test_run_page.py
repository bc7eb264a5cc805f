"""A person opens a run's page while it trains and watches the curves grow."""

from __future__ import annotations

import itertools

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import Stack
from tests.helpers import queue_paper_run

# Samples the chart's point count and the status badge every 10 ms from page load,
# so every epoch's update is seen even when React renders quickly.
RECORDER = """
window.__samples = [];
setInterval(() => {
  const chart = document.querySelector('[data-testid="loss-chart"]');
  const status = document.querySelector('[data-testid="run-status"]');
  if (!chart) return;
  const points = Number(chart.getAttribute('data-points'));
  const last = window.__samples[window.__samples.length - 1];
  if (!last || last.points !== points) {
    window.__samples.push({points, status: status ? status.textContent.trim() : null});
  }
}, 10);
"""


def test_the_run_page_gains_a_chart_point_per_epoch(
    page: Page, client: httpx.Client, stack: Stack
) -> None:
    epochs = 4
    run = queue_paper_run(client, epochs=epochs, per_class=8, size=48, salt=3000)
    page.add_init_script(RECORDER)
    page.goto(f"{stack.base_url}/runs/{run['id']}")
    expect(page.get_by_test_id("run-status")).to_have_text("succeeded", timeout=240_000)
    expect(page.get_by_test_id("loss-chart")).to_have_attribute("data-points", str(epochs))
    expect(page.get_by_test_id("accuracy-chart")).to_have_attribute("data-points", str(epochs))
    expect(page.locator('[data-testid="epoch-table"] tbody tr')).to_have_count(epochs)

    samples = page.evaluate("window.__samples")
    points = [sample["points"] for sample in samples]
    # One point per epoch: every change adds exactly one, up to the epoch count.
    assert points[-1] == epochs, samples
    assert all(b - a == 1 for a, b in itertools.pairwise(points)), samples
    grown_while_training = [s for s in samples if s["status"] == "running" and s["points"] >= 1]
    assert len(points) >= 3 and grown_while_training, samples


def test_the_runs_list_links_to_the_run_page(
    page: Page, client: httpx.Client, stack: Stack
) -> None:
    runs = client.get("/api/runs").json()["data"]
    if not runs:
        queue_paper_run(client, epochs=1, salt=3100)
        runs = client.get("/api/runs").json()["data"]
    page.goto(stack.base_url + "/")
    row = page.get_by_text(runs[0]["name"]).first
    expect(row).to_be_visible(timeout=15_000)
    row.click()
    expect(page).to_have_url(f"{stack.base_url}/runs/{runs[0]['id']}")
    expect(page.get_by_test_id("run-status")).to_have_text(runs[0]["status"])
