"""A person tags a run on its page, then keeps only the runs with a tag by clicking the
tag's chip in the compare table."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.api.test_run_tags import cancelled_tagged_run
from tests.conftest import Stack

pytestmark = pytest.mark.browser


def test_a_tag_added_on_the_run_page_filters_the_compare_table(
    page: Page, client: httpx.Client, stack: Stack
) -> None:
    tagged = cancelled_tagged_run(client, ["baseline"])
    other = cancelled_tagged_run(client, [])

    page.goto(f"{stack.base_url}/runs/{other['id']}")
    box = page.get_by_label("Add a tag")
    box.fill("no!")
    box.press("Enter")
    expect(page.get_by_test_id("run-tags").get_by_role("alert")).to_contain_text("received 'no!'")
    box.fill("sweep 2")
    box.press("Enter")
    expect(page.get_by_test_id("run-tag")).to_have_text([re.compile(r"^sweep 2")])
    assert client.get(f"/api/runs/{other['id']}").json()["tags"] == ["sweep 2"]

    page.goto(f"{stack.base_url}/compare?ids={tagged['id']},{other['id']}")
    rows = page.locator('[data-testid="compare-table"] tbody tr')
    expect(rows).to_have_count(2)
    page.get_by_test_id("row-tag").filter(has_text="sweep 2").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-run-id", str(other["id"]))
    page.get_by_role("button", name="Remove filter tag sweep 2").click()
    expect(rows).to_have_count(2)
