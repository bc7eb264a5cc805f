"""View code: a graph version as a Keras script, served inline as Python."""

from __future__ import annotations

import ast

import httpx

from tests.factories import paper_graph


def test_a_version_is_served_as_a_python_script_named_after_the_graph(
    client: httpx.Client,
) -> None:
    created = client.post(
        "/api/graphs", json={"name": "Emotion: ResNet50 head!", "graph": paper_graph(3)}
    ).json()
    version = created["latest_version"]
    response = client.get(f"/api/graph-versions/{version['id']}/code")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-python")
    disposition = response.headers["content-disposition"]
    assert disposition == 'inline; filename="emotion_resnet50_head_v1.py"'
    script = response.text
    tree = ast.parse(script)
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert "build_model" in functions
    assert "keras.applications.ResNet50(" in script and 'name="backbone"' in script
    assert 'imagenet_preprocessing("caffe"' in script
    assert "TRAINING SETTINGS" in script and 'if __name__ == "__main__":' in script
    assert "model.summary()" in script


def test_code_for_a_missing_version_is_404(client: httpx.Client) -> None:
    response = client.get("/api/graph-versions/987654/code")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
