"""A person compares runs: ticks two on the runs list, sees their curves overlaid and
filters by a hyperparameter; and opens the paper experiment's printable report."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.api.test_compare import queue_cnn, tiny_dataset
from tests.api.test_compare_paper import LABELS
from tests.conftest import Stack
from tests.helpers import wait_for_run

pytestmark = pytest.mark.browser


def test_two_selected_runs_are_compared_with_overlaid_curves(
    page: Page, client: httpx.Client, stack: Stack
) -> None:
    dataset = tiny_dataset(client, salt=78_000)
    first = queue_cnn(client, dataset)
    second = queue_cnn(client, dataset, optimizer={"type": "adam", "learning_rate": 0.01})
    for run in (first, second):
        assert wait_for_run(client, run["id"])["status"] == "succeeded"

    page.goto(stack.base_url + "/runs")
    page.get_by_label(f"Select run {first['id']}").check()
    page.get_by_label(f"Select run {second['id']}").check()
    page.get_by_role("link", name="Compare selected (2)").click()
    expect(page).to_have_url(f"{stack.base_url}/compare?ids={first['id']},{second['id']}")
    rows = page.locator('[data-testid="compare-table"] tbody tr')
    expect(rows).to_have_count(2)
    for chart in ("compare-accuracy", "compare-loss"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-series", "2")
        # uPlot's legend: the epoch axis plus one entry per run
        expect(page.locator(f'[data-testid="{chart}"] .u-legend .u-series')).to_have_count(3)
    # The learning rate differs, so it is a column; filtering by it leaves one run.
    expect(page.get_by_role("button", name="optimizer.learning_rate")).to_be_visible()
    page.get_by_label("Filter hyperparameter").select_option("optimizer.learning_rate")
    page.get_by_label("Filter value").select_option("0.01")
    page.get_by_role("button", name="Add filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-run-id", str(second["id"]))
    expect(page.get_by_test_id("compare-loss")).to_have_attribute("data-series", "1")
    page.get_by_role("button", name="Remove filter optimizer.learning_rate").click()
    expect(rows).to_have_count(2)
    # Both were evaluated on the same test items (same dataset, split and seed).
    page.get_by_test_id("mcnemar").get_by_role("button", name="Test").click()
    result = page.get_by_test_id("mcnemar-result")
    expect(result).to_contain_text("test items")
    expect(result).to_contain_text("exact binomial test")


def test_the_paper_form_starts_four_runs_and_the_report_lists_them(
    page: Page, client: httpx.Client, stack: Stack
) -> None:
    dataset = tiny_dataset(client, salt=79_000)
    page.goto(stack.base_url + "/compare")
    form = page.get_by_test_id("paper-form")
    form.get_by_label("Dataset").select_option(str(dataset))
    form.get_by_label("Input size (px)").fill("75")
    form.get_by_label("Weights").select_option("none")
    form.get_by_label("Leakage override").fill("synthetic colour squares look alike by design")
    form.get_by_role("button", name="Start the four runs").click()
    expect(page).to_have_url(re.compile(r"/compare\?experiment=\d+$"))
    experiment = int(page.url.rsplit("=", 1)[1])
    body = client.get(f"/api/experiments/{experiment}/comparison").json()
    for run in body["runs"]:  # partial results are a report too; spare the CPU
        client.post(f"/api/runs/{run['id']}/cancel")
    assert {r["hyperparameters"]["optimizer"]["type"] for r in body["runs"]} == {"adadelta"}

    expect(page.locator('[data-testid="compare-table"] tbody tr')).to_have_count(4)
    expect(page.get_by_test_id("compare-loss")).to_have_attribute("data-series", "4")
    report = page.get_by_role("link", name="Printable report")
    expect(report).to_have_attribute("href", body["reports"]["html"])
    page.goto(stack.base_url + body["reports"]["html"])
    rows = page.locator('[data-testid="report-table"] tbody tr')
    expect(rows).to_have_count(4)
    expect(rows.locator("td:first-child")).to_have_text(LABELS)
    expect(page.locator("figure svg")).to_have_count(8)
    expect(page.get_by_role("heading", name="Training curves")).to_be_visible()

    page.goto(stack.base_url + "/compare")  # found again from the compare page
    expect(page.get_by_test_id("paper-experiments").get_by_role("link").first).to_have_attribute(
        "href", f"/compare?experiment={experiment}")
