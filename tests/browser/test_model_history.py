"""A person reads a model's history in the browser, compares two versions and restores one."""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from typing import Any

import httpx
from playwright.sync_api import Dialog, FilePayload, Locator, Page, expect

from tests.conftest import Stack


def paper_graph(base_url: str) -> dict[str, Any]:
    """The paper's ResNet50 template without ImageNet weights (this machine is offline)."""
    templates = httpx.get(f"{base_url}/api/graph-templates", timeout=30).raise_for_status().json()
    template = next(t for t in templates if t["id"] == "paper-resnet50")
    graph: dict[str, Any] = copy.deepcopy(template["graph"])
    for node in graph["nodes"]:
        if node["type"] == "Backbone":
            node["params"]["weights"] = "none"
    return graph


def model_with_two_versions(base_url: str) -> tuple[int, list[dict[str, Any]]]:
    graph = paper_graph(base_url)
    body = {"name": "Paper ResNet50 head", "graph": graph, "message": "paper topology"}
    created = httpx.post(f"{base_url}/api/graphs", json=body, timeout=30).raise_for_status().json()
    narrower = copy.deepcopy(graph)
    dense = next(node for node in narrower["nodes"] if node["id"] == "dense")
    assert dense["params"]["units"] == 512
    dense["params"]["units"] = 256
    second = (
        httpx.post(
            f"{base_url}/api/graphs/{created['id']}/versions",
            json={"graph": narrower, "message": "narrower head"},
            timeout=30,
        )
        .raise_for_status()
        .json()
    )
    return created["id"], [created["latest_version"], second]


def latest_units(base_url: str, graph_id: int) -> int:
    graph = httpx.get(f"{base_url}/api/graphs/{graph_id}", timeout=30).raise_for_status().json()
    dense = next(n for n in graph["latest_version"]["spec"]["nodes"] if n["id"] == "dense")
    return int(dense["params"]["units"])


def open_app(page: Page, base_url: str, path: str) -> None:
    """A deep link, as a bookmark or a reload opens it (the server renders the shell)."""
    page.goto(f"{base_url}{path}")


def dense_shape(page: Page) -> Locator:
    """The output shape the canvas shows under the head's Dense node."""
    return page.get_by_test_id("node-dense").get_by_test_id("node-shape")


def test_history_compares_two_versions_and_restores_the_first(page: Page, stack: Stack) -> None:
    graph_id, (first, second) = model_with_two_versions(stack.base_url)
    open_app(page, stack.base_url, f"/models/{graph_id}")
    expect(page.get_by_test_id("model-name")).to_have_text("Paper ResNet50 head")
    expect(page.get_by_test_id("version-badge")).to_have_text("v2")
    # The canvas opens the latest version: the head is 256 wide.
    expect(dense_shape(page)).to_have_text("(None, 256)")

    page.get_by_role("button", name="History").click()
    history = page.get_by_test_id("history-panel")
    rows = history.locator("[data-testid^='version-']")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-testid", "version-2")  # newest first
    expect(history.get_by_test_id("version-2")).to_contain_text("narrower head")
    expect(history.get_by_test_id("version-2")).to_contain_text("current")
    expect(history.get_by_test_id("version-2")).to_contain_text(second["content_hash"][:8])
    expect(history.get_by_test_id("version-1")).to_contain_text("paper topology")

    history.get_by_test_id("version-2").get_by_role("button", name="Compare").click()
    history.get_by_test_id("version-1").get_by_role("button", name="Compare").click()
    diff = page.get_by_test_id("diff-view")
    expect(diff).to_contain_text("v1 → v2")
    change = diff.locator("[data-field='params.units']")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("params.units 512 → 256")
    expect(diff.locator("[data-node-id='dense']")).to_be_visible()
    expect(diff.get_by_test_id("diff-added")).to_have_count(0)  # only the head changed

    history.get_by_test_id("version-1").get_by_role("button", name="Restore").click()
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_attribute("data-testid", "version-3")
    expect(history.get_by_test_id("version-3")).to_contain_text("Restored version 1")
    expect(history.get_by_test_id("version-3")).to_contain_text("current")
    expect(history.get_by_test_id("version-3")).to_contain_text(first["content_hash"][:8])
    expect(page.get_by_test_id("version-badge")).to_have_text("v3")
    expect(dense_shape(page)).to_have_text("(None, 512)")
    assert latest_units(stack.base_url, graph_id) == 512
    assert page.url == f"{stack.base_url}/models/{graph_id}"


def test_train_opens_the_training_page_with_this_version_chosen(page: Page, stack: Stack) -> None:
    graph_id, (first, _second) = model_with_two_versions(stack.base_url)
    open_app(page, stack.base_url, f"/models/{graph_id}?version={first['id']}")
    page.get_by_role("link", name="Train v1").click()
    expect(page.get_by_test_id("train-model")).to_have_value(str(graph_id))
    expect(page.get_by_test_id("train-version")).to_have_value(str(first["id"]))
    page.reload()  # the link is a deep link the server also answers
    expect(page.get_by_test_id("train-version")).to_have_value(str(first["id"]))


def test_opening_an_older_version_edits_from_it(page: Page, stack: Stack) -> None:
    graph_id, (first, _second) = model_with_two_versions(stack.base_url)
    open_app(page, stack.base_url, f"/models/{graph_id}")
    page.get_by_role("button", name="History").click()
    page.get_by_test_id("version-1").get_by_role("button", name="Open").click()
    page.wait_for_url(f"{stack.base_url}/models/{graph_id}?version={first['id']}")
    expect(page.get_by_test_id("version-badge")).to_have_text("v1 of 2")
    expect(page.get_by_test_id("version-1")).to_contain_text("current")
    expect(dense_shape(page)).to_have_text("(None, 512)")


def test_a_missing_model_says_not_found(page: Page, stack: Stack) -> None:
    open_app(page, stack.base_url, "/models/999999")
    error = page.get_by_test_id("model-error")
    expect(error).to_contain_text("Model 999999 not found")
    expect(error).to_contain_text("Graph 999999 does not exist")
    expect(page.get_by_test_id("history-panel")).to_have_count(0)


def test_an_unknown_template_says_so(page: Page, stack: Stack) -> None:
    open_app(page, stack.base_url, "/models/new?template=no-such-template")
    expect(page.get_by_test_id("model-error")).to_contain_text('no template "no-such-template"')


def test_a_version_of_another_model_is_refused(page: Page, stack: Stack) -> None:
    graph_id, _ = model_with_two_versions(stack.base_url)
    other_id, (other_first, _) = model_with_two_versions(stack.base_url)
    assert other_id != graph_id
    open_app(page, stack.base_url, f"/models/{graph_id}?version={other_first['id']}")
    expect(page.get_by_test_id("model-error")).to_contain_text("belongs to another model")


def test_a_template_becomes_a_model_on_its_first_save(page: Page, stack: Stack) -> None:
    open_app(page, stack.base_url, "/models")
    page.get_by_test_id("template-small-cnn").click()
    page.wait_for_url(f"{stack.base_url}/models/new?template=small-cnn")
    expect(page.get_by_test_id("node-output")).to_be_visible()
    expect(page.get_by_test_id("version-badge")).to_have_text("not saved yet")

    page.get_by_test_id("save-name").fill("Small CNN for emotions")
    page.get_by_test_id("save-message").fill("from the template")
    page.get_by_test_id("save-button").click()
    page.wait_for_url(re.compile(r".*/models/\d+$"))
    graph_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_test_id("model-name")).to_have_text("Small CNN for emotions")
    expect(page.get_by_test_id("version-badge")).to_have_text("v1")
    stored = httpx.get(f"{stack.base_url}/api/graphs/{graph_id}", timeout=30).json()
    assert stored["latest_version"]["message"] == "from the template"
    assert len(stored["latest_version"]["spec"]["nodes"]) == 9

    page.get_by_role("link", name="Models", exact=True).first.click()
    row = page.get_by_test_id("models-table").locator(f"[data-graph-id='{graph_id}']")
    expect(row).to_contain_text("Small CNN for emotions")
    expect(row).to_contain_text("v1")


def test_unsaved_edits_are_not_lost_silently(page: Page, stack: Stack) -> None:
    graph_id, (first, _second) = model_with_two_versions(stack.base_url)
    open_app(page, stack.base_url, f"/models/{graph_id}")
    page.get_by_test_id("node-dense").click()
    units = page.get_by_test_id("inspector").locator("input[name='units']")
    units.fill("128")
    units.blur()
    expect(page.get_by_test_id("dirty-badge")).to_be_visible()

    page.get_by_role("button", name="History").click()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("version-1").get_by_role("button", name="Open").click()
    expect(units).to_have_value("128")  # declined: the edit stays
    assert page.url == f"{stack.base_url}/models/{graph_id}"

    questions: list[str] = []

    def accept(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_test_id("version-1").get_by_role("button", name="Open").click()
    page.wait_for_url(f"{stack.base_url}/models/{graph_id}?version={first['id']}")
    assert "unsaved changes" in questions[0]
    expect(dense_shape(page)).to_have_text("(None, 512)")
    expect(page.get_by_test_id("dirty-badge")).to_have_count(0)


def test_leaving_by_a_link_or_back_asks_before_dropping_edits(page: Page, stack: Stack) -> None:
    graph_id, _versions = model_with_two_versions(stack.base_url)
    open_app(page, stack.base_url, "/models")
    page.locator(f"tr[data-graph-id='{graph_id}']").get_by_role("link").click()
    page.wait_for_url(f"{stack.base_url}/models/{graph_id}")
    page.get_by_test_id("node-dense").click()
    units = page.get_by_test_id("inspector").locator("input[name='units']")
    units.fill("64")
    units.blur()
    expect(page.get_by_test_id("dirty-badge")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("link", name="Runs").first.click()
    expect(units).to_have_value("64")  # declined: still editing, nothing lost
    assert page.url == f"{stack.base_url}/models/{graph_id}"

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.go_back()
    expect(units).to_have_value("64")
    assert page.url == f"{stack.base_url}/models/{graph_id}"

    page.once("dialog", lambda dialog: dialog.accept())
    page.go_back()
    page.wait_for_url(f"{stack.base_url}/models")


def test_fork_opens_the_copy_as_a_new_model(page: Page, stack: Stack) -> None:
    graph_id, _ = model_with_two_versions(stack.base_url)
    open_app(page, stack.base_url, f"/models/{graph_id}")
    before = page.url
    page.get_by_role("button", name="History").click()
    page.once("dialog", lambda dialog: dialog.accept("Wide head experiment"))
    page.get_by_test_id("version-1").get_by_role("button", name="Fork").click()
    page.wait_for_url(lambda url: re.search(r"/models/\d+$", url) is not None and url != before)
    expect(page.get_by_test_id("model-name")).to_have_text("Wide head experiment")
    expect(page.get_by_test_id("version-badge")).to_have_text("v1")
    expect(dense_shape(page)).to_have_text("(None, 512)")
    page.get_by_role("button", name="History").click()
    forked = page.get_by_test_id("version-1")
    expect(forked).to_contain_text("Forked from Paper ResNet50 head version 1")


def test_view_code_shows_the_version_as_a_keras_script(page: Page, stack: Stack) -> None:
    graph_id, _ = model_with_two_versions(stack.base_url)
    open_app(page, stack.base_url, f"/models/{graph_id}")
    page.get_by_role("button", name="View code").click()
    dialog = page.get_by_test_id("code-dialog")
    expect(dialog).to_be_visible()
    code = dialog.get_by_test_id("code-text")
    expect(code).to_contain_text("import keras")
    expect(code).to_contain_text('layers.Dense(256, activation="relu"')
    download = dialog.get_by_role("link", name=re.compile(r"Download"))
    expect(download).to_have_attribute("download", "paper-resnet50-head-v2.py")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()


def tiny_keras_file() -> bytes:
    """A .keras file is a zip holding config.json; the importer reads only that."""

    def layer(name: str, kind: str, source: str | None, **config: Any) -> dict[str, Any]:
        tensor = {"class_name": "__keras_tensor__", "config": {"keras_history": [source, 0, 0]}}
        nodes = [{"args": [tensor], "kwargs": {}}] if source else []
        return {"class_name": kind, "name": name, "config": {"name": name, **config},
                "inbound_nodes": nodes}  # fmt: skip

    config = {
        "class_name": "Functional",
        "config": {
            "name": "tiny", "input_layers": ["in", 0, 0], "output_layers": ["out", 0, 0],
            "layers": [
                layer("in", "InputLayer", None, batch_shape=[None, 8, 8, 3]),
                layer("flat", "Flatten", "in", data_format="channels_last"),
                layer("out", "Dense", "flat", units=2, activation="softmax"),
            ],
        },
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
    return buffer.getvalue()


def test_an_imported_keras_file_opens_as_a_new_model(page: Page, stack: Stack) -> None:
    open_app(page, stack.base_url, "/models")
    form = page.get_by_test_id("import-keras")
    form.get_by_test_id("import-file").set_input_files(
        {"name": "tiny net.keras", "mimeType": "application/zip", "buffer": tiny_keras_file()}
    )
    expect(form.get_by_label("Name")).to_have_value("tiny net")
    form.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(re.compile(r".*/models/\d+$"))
    expect(page.get_by_test_id("model-name")).to_have_text("tiny net")
    expect(page.get_by_test_id("version-badge")).to_have_text("v1")
    expect(page.get_by_test_id("node-out").get_by_test_id("node-shape")).to_have_text("(None, 2)")


def test_a_file_that_is_not_a_keras_model_is_refused_with_the_reason(
    page: Page, stack: Stack
) -> None:
    open_app(page, stack.base_url, "/models")
    form = page.get_by_test_id("import-keras")
    notes: FilePayload = {"name": "notes.keras", "mimeType": "text/plain", "buffer": b"notes\n"}
    form.get_by_test_id("import-file").set_input_files(notes)
    form.get_by_role("button", name="Import", exact=True).click()
    error = form.get_by_role("alert")
    expect(error).to_contain_text("The file could not be imported")
    expect(error).to_contain_text("notes.keras is not a .keras file")
    assert page.url == f"{stack.base_url}/models"
