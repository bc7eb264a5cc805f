"""A person builds the paper's ResNet50 head on the canvas by dragging, saves it, reopens it,
and sees the studio refuse bad connections and explain a Dense placed after a backbone."""

from __future__ import annotations

import re
from itertools import pairwise

from playwright.sync_api import Locator, Page, expect

from tests.conftest import Stack

# Where each layer is dropped, in canvas pixels: a zig-zag, so no node covers another.
DROPS = [
    ("Input", "input_1", (140, 50)),
    ("backbone:ResNet50", "resnet50_1", (460, 150)),
    ("GlobalMaxPooling2D", "globalmaxpooling2d_1", (140, 250)),
    ("Dense", "dense_1", (460, 350)),
    ("Dense", "dense_2", (140, 450)),
]
CHAIN = [node_id for _, node_id, _ in DROPS]
SHAPES = {
    "input_1": "(None, 224, 224, 3)",
    "resnet50_1": "(None, 7, 7, 2048)",
    "globalmaxpooling2d_1": "(None, 2048)",
    "dense_1": "(None, 512)",
    "dense_2": "(None, 3)",
}


def node(page: Page, node_id: str) -> Locator:
    return page.get_by_test_id(f"node-{node_id}")


def edges(page: Page) -> Locator:
    return page.get_by_test_id("canvas").locator(".react-flow__edge")


def drop(page: Page, key: str, at: tuple[int, int]) -> None:
    """A real HTML5 drag from the palette onto the canvas."""
    page.get_by_test_id(f"palette-item-{key}").drag_to(
        page.get_by_test_id("canvas"), target_position={"x": at[0], "y": at[1]}
    )


def set_params(page: Page, values: dict[str, str]) -> None:
    inspector = page.get_by_test_id("inspector")
    for name, value in values.items():
        field = inspector.locator(f"[name='{name}']")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def settled(page: Page) -> None:
    """Waits for the live checks to answer the last edit: their problems resize nodes,
    which moves the handles a drag must aim at."""
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-analysis", "idle")


def handle_centre(page: Page, node_id: str, kind: str) -> tuple[float, float]:
    settled(page)
    box = node(page, node_id).locator(f".react-flow__handle.{kind}").bounding_box()
    assert box is not None, f"{node_id} has no {kind} handle"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_between(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=5)
    page.mouse.up()


def connect(page: Page, source: str, target: str) -> None:
    drag_between(page, handle_centre(page, source, "source"), handle_centre(page, target, "target"))


def build_head(page: Page) -> None:
    params = {
        "input_1": {"height": "224", "width": "224", "channels": "3"},
        "resnet50_1": {"weights": "none"},
        "dense_1": {"units": "512", "activation": "relu"},
        "dense_2": {"units": "3", "activation": "softmax"},
    }
    for key, node_id, at in DROPS:
        drop(page, key, at)
        expect(node(page, node_id)).to_be_visible()
        # A dropped node is selected, so the inspector shows its parameters.
        expect(page.get_by_test_id("inspector-node-id")).to_have_text(node_id)
        set_params(page, params.get(node_id, {}))
    for source, target in pairwise(CHAIN):
        connect(page, source, target)
    expect(edges(page)).to_have_count(4)


def expect_head(page: Page) -> None:
    for node_id, shape in SHAPES.items():
        expect(node(page, node_id).get_by_test_id("node-shape")).to_have_text(shape)
    expect(edges(page)).to_have_count(4)
    expect(node(page, "resnet50_1")).to_contain_text("ResNet50")
    expect(node(page, "dense_1").get_by_test_id("node-params")).to_have_text("1M params")
    expect(page.get_by_test_id("problems-panel")).to_contain_text("No problems")
    # ResNet50 (23.6M) + Dense 512 (1M) + Dense 3: the whole model, once it is complete.
    expect(page.get_by_test_id("model-totals")).to_contain_text("24.6M params")


def test_build_save_reopen_and_see_a_dense_after_a_backbone_refused(
    page: Page, stack: Stack
) -> None:
    page.goto(f"{stack.base_url}/models/new")
    expect(page.get_by_test_id("palette")).to_be_visible()
    build_head(page)
    expect_head(page)

    page.get_by_test_id("save-name").fill("ResNet50 head")
    page.get_by_test_id("save-message").fill("The paper's head on ResNet50")
    page.get_by_test_id("save-button").click()
    page.wait_for_url(re.compile(r"/models/\d+"), timeout=15_000)
    page.reload()
    expect_head(page)
    for node_id in CHAIN:
        expect(node(page, node_id)).to_have_count(1)

    # The paper's mistake: Dense straight after the backbone's feature map.
    node(page, "globalmaxpooling2d_1").click()
    page.get_by_test_id("delete-selected").click()
    expect(node(page, "globalmaxpooling2d_1")).to_have_count(0)
    expect(edges(page)).to_have_count(2)
    connect(page, "resnet50_1", "dense_1")
    expect(edges(page)).to_have_count(3)
    problems = node(page, "dense_1").get_by_test_id("node-problems")
    expect(problems).to_contain_text("Dense needs a flat input")
    expect(problems).to_contain_text("GlobalMaxPooling2D")
    expect(page.get_by_test_id("problems-panel")).to_contain_text("Dense needs a flat input")
    expect(page.get_by_test_id("save-status")).to_have_text("Unsaved changes")

    # Undo brings the pooling layer back with both its edges, and the problem goes.
    page.get_by_test_id("undo").click()
    page.get_by_test_id("undo").click()
    expect(node(page, "globalmaxpooling2d_1")).to_be_visible()
    expect(edges(page)).to_have_count(4)
    expect(problems).to_have_text("")

    # A second save on the model's page adds version 2 on top of version 1.
    graph_id = int(page.url.rsplit("/", 1)[-1].split("?")[0])
    node(page, "dense_1").click()
    set_params(page, {"units": "256"})
    expect(node(page, "dense_1").get_by_test_id("node-shape")).to_have_text("(None, 256)")
    page.get_by_test_id("save-message").fill("A narrower head")
    page.get_by_test_id("save-button").click()
    # The page may show the saved version in a fresh editor, which has nothing unsaved.
    saved = re.compile(r"Saved as version 2|No unsaved changes")
    expect(page.get_by_test_id("save-status")).to_have_text(saved)
    versions = page.request.get(f"{stack.base_url}/api/graphs/{graph_id}/versions").json()
    assert [v["version"] for v in versions["data"]] == [2, 1]
    assert versions["data"][0]["parent_id"] == versions["data"][1]["id"]
    assert versions["data"][0]["message"] == "A narrower head"


def test_invalid_connections_are_refused_while_dragging(page: Page, stack: Stack) -> None:
    page.goto(f"{stack.base_url}/models/new")
    drop(page, "Input", (140, 60))
    drop(page, "Dense", (460, 200))
    drop(page, "Dense", (140, 340))
    connect(page, "input_1", "dense_1")
    expect(edges(page)).to_have_count(1)

    # Into an Input: it has no input handle, so dropping on it adds nothing.
    settled(page)
    box = node(page, "input_1").bounding_box()
    assert box is not None
    drag_between(
        page,
        handle_centre(page, "dense_2", "source"),
        (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2),
    )
    # A second input into a Dense, and a loop back into the first Dense.
    connect(page, "dense_2", "dense_1")
    expect(page.get_by_text("Not connected: Dense takes one input")).to_be_visible()
    connect(page, "dense_1", "dense_1")
    expect(edges(page)).to_have_count(1)
    expect(node(page, "dense_2").get_by_test_id("node-shape")).to_have_text("—")

    # Saving this graph is refused: the page says so, stays, and keeps every node and edge.
    page.get_by_test_id("save-name").fill("Not yet a model")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-status")).to_contain_text("Not saved")
    expect(page.get_by_test_id("save-status")).to_contain_text("Your canvas is unchanged")
    expect(page).to_have_url(re.compile(r"/models/new$"))
    expect(page.locator(".react-flow__node")).to_have_count(3)
    expect(edges(page)).to_have_count(1)
    expect(node(page, "dense_1").get_by_test_id("node-problems")).to_contain_text("flat input")
