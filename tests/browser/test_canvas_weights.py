"""A person gives a model's backbone an uploaded weights file and chooses which blocks train,
in the canvas inspector: the upload's progress ends in the file selected, the live checks
explain a block count above the network's, and a file that is not weights is refused."""

from __future__ import annotations

import hashlib
import io
import re
import uuid

import h5py
import httpx
import numpy as np
from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.conftest import Stack
from tests.factories import paper_graph


def weights_payload(name: str) -> FilePayload:
    """A small, unique HDF5 file: the upload checks the name and signature; the worker,
    which would read the layers, is not involved in saving a version."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_dataset("salt", data=np.frombuffer(uuid.uuid4().bytes, dtype="uint8"))
    return {"name": name, "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}


def open_model(page: Page, base_url: str) -> int:
    """The paper's ResNet50 head at 32x32 without weights, opened with its backbone selected."""
    body = {"name": "Weights test", "graph": paper_graph(3, size=32), "message": "paper topology"}
    graph = httpx.post(f"{base_url}/api/graphs", json=body, timeout=30).raise_for_status().json()
    page.goto(f"{base_url}/models/{graph['id']}")
    page.get_by_test_id("node-backbone").click()
    expect(page.get_by_test_id("inspector-node-id")).to_have_text("backbone")
    return int(graph["id"])


def field(page: Page, name: str) -> Locator:
    return page.get_by_test_id("inspector").locator(f"[name='{name}']")


def field_box(page: Page, name: str) -> Locator:
    """One inspector field with its label, hint and messages."""
    inner = page.locator(f"[name='{name}']")  # relative to each candidate box
    return page.get_by_test_id("inspector").locator(".param-field", has=inner)


def field_errors(page: Page, name: str) -> Locator:
    """The messages shown under one inspector field."""
    return field_box(page, name).locator(".field-errors")


def settled(page: Page) -> None:
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-analysis", "idle")


def backbone_problems(page: Page) -> Locator:
    return page.get_by_test_id("node-backbone").get_by_test_id("node-problems").locator("li")


def test_upload_select_and_save_a_weights_file(page: Page, stack: Stack) -> None:
    graph_id = open_model(page, stack.base_url)
    inspector = page.get_by_test_id("inspector")
    expect(inspector).not_to_contain_text("ImageNet weights download on first use")
    field(page, "weights").select_option("imagenet")
    expect(inspector).to_contain_text(
        "ImageNet weights download on first use; offline, place the file as the error explains."
    )
    field(page, "weights").select_option("file")
    # No raw sha256 box: a select of the project's files and an upload.
    expect(field(page, "weights_file")).to_have_value("")
    expect(field_errors(page, "weights_file")).to_contain_text("needs weights_file")

    payload = weights_payload("resnet50.weights.h5")
    sha = hashlib.sha256(payload["buffer"]).hexdigest()
    page.get_by_label("Upload weights…").set_input_files(payload)
    notice = page.get_by_test_id("weights-upload-notice")
    expect(notice).to_have_text("Uploaded resnet50.weights.h5; selected.")
    expect(field(page, "weights_file")).to_have_value(sha)
    selected = field(page, "weights_file").locator("option:checked")
    expect(selected).to_have_text(
        re.compile(rf"resnet50.weights.h5 · \d+ kB · {sha[:12]} · keras · for ResNet50")
    )
    settled(page)
    expect(backbone_problems(page)).to_have_count(0)
    expect(field_errors(page, "weights_file")).to_have_count(0)

    # The same bytes again: the stored record, said so, still selected.
    page.get_by_label("Upload weights…").set_input_files({**payload, "name": "copy.weights.h5"})
    expect(notice).to_contain_text(f"Already uploaded as resnet50.weights.h5 ({sha[:12]})")
    # Listed once: the re-upload added no second entry.
    expect(field(page, "weights_file").locator(f"option[value='{sha}']")).to_have_count(1)

    page.get_by_test_id("save-message").fill("Weights from a file")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-status")).to_have_text(
        re.compile(r"Saved as version 2|No unsaved changes")
    )
    latest = httpx.get(f"{stack.base_url}/api/graphs/{graph_id}", timeout=30).json()
    assert latest["latest_version"]["version"] == 2
    spec_backbone = next(
        n for n in latest["latest_version"]["spec"]["nodes"] if n["id"] == "backbone"
    )
    assert spec_backbone["params"]["weights"] == "file"
    assert spec_backbone["params"]["weights_file"] == sha


def test_last_blocks_above_the_count_is_explained_under_the_field(page: Page, stack: Stack) -> None:
    open_model(page, stack.base_url)
    field(page, "trainable").select_option("last_blocks")
    blocks = field(page, "trainable_blocks")
    expect(blocks).to_have_value("1")  # a valid start
    expect(field_box(page, "trainable_blocks")).to_contain_text("of 16 blocks")
    blocks.fill("20")
    expect(field_errors(page, "trainable_blocks")).to_contain_text(
        "ResNet50 has 16 blocks; trainable_blocks must be between 1 and 16"
    )
    expect(backbone_problems(page)).to_contain_text("16 blocks")
    blocks.fill("4")
    settled(page)
    expect(field_errors(page, "trainable_blocks")).to_have_count(0)
    expect(backbone_problems(page)).to_have_count(0)
    # Leaving last_blocks clears the count (the schema refuses it otherwise): still valid.
    field(page, "trainable").select_option("frozen")
    expect(field(page, "trainable_blocks")).to_have_count(0)
    settled(page)
    expect(backbone_problems(page)).to_have_count(0)


def test_a_file_that_is_not_weights_is_refused(page: Page, stack: Stack) -> None:
    open_model(page, stack.base_url)
    field(page, "weights").select_option("file")
    page.get_by_label("Upload weights…").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not weights"}
    )
    error = page.get_by_test_id("weights-upload-error")
    expect(error).to_contain_text("The weights file cannot be stored")
    expect(error).to_contain_text(
        "'notes.txt' is not a Keras .weights.h5 file or a torchvision .pth state dict (by its name)"
    )
    expect(field(page, "weights_file")).to_have_value("")
    # Back to no weights: the file field goes, and so does its problem.
    field(page, "weights").select_option("none")
    expect(field(page, "weights_file")).to_have_count(0)
    settled(page)
    expect(backbone_problems(page)).to_have_count(0)
