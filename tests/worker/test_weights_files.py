"""A Backbone with ``weights: "file"`` loads the uploaded file, or says on the node why not.

Files are made here (a backbone built with weights none, randomised, ``save_weights``; a
torch-layout SqueezeNet's state dict) and stored through the API's own weights service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np
import pytest
from sqlalchemy import select

from backend.models import Project
from backend.settings import get_settings
from backend.weights import service
from backend.weights.storage import format_for_name
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import chain, image_input, node, softmax
from worker.compiler import CompileError, compile_graph


def store(env: WorkerEnv, path: Path) -> str:
    """Uploads ``path`` as the API does; returns its sha256."""
    settings = get_settings()
    kind = service.check_names(path.name, None)
    with path.open("rb") as source:
        received = service.receive(source, settings)
    service.check_content(received, path.name, kind)
    with env.sessions() as session:
        project = session.scalars(select(Project)).one()
        row, created = service.store(session, project, received, path.name, kind, None, settings)
        assert created and format_for_name(path.name) == row.format
        return row.sha256


def file_graph(architecture: str, sha: str, size: int = 32, channels: int = 3, **extra: Any) -> Any:
    return chain(
        image_input(size, channels),
        node("backbone", "Backbone", architecture=architecture, weights="file",
             weights_file=sha, **extra),
        node("gap", "GlobalAveragePooling2D"),
        softmax(),
    )


@pytest.fixture
def mobilenet_file(tmp_path: Path) -> tuple[Path, list[np.ndarray[Any, Any]]]:
    network = keras.applications.MobileNetV2(include_top=False, weights=None,
                                             input_shape=(32, 32, 3))
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=w.shape).astype("float32") for w in network.get_weights()]
    network.set_weights(weights)
    path = tmp_path / "mobilenet_v2.weights.h5"
    network.save_weights(path)
    return path, weights


def test_the_backbone_holds_the_files_weights(worker_env: WorkerEnv, mobilenet_file: Any) -> None:
    path, weights = mobilenet_file
    sha = store(worker_env, path)
    spec = file_graph("MobileNetV2", sha, size=48, trainable="last_blocks", trainable_blocks=2)
    network = compile_graph(spec).get_layer("backbone")
    loaded = network.get_weights()
    assert len(loaded) == len(weights)
    for actual, expected in zip(loaded, weights, strict=True):
        np.testing.assert_array_equal(actual, expected)
    assert not network.get_layer("block_14_expand").trainable  # and the freezing still applies


@pytest.mark.parametrize(("architecture", "channels", "says"), [
    ("ResNet50", 3, "does not fit ResNet50 on 3-channel input"),
    ("MobileNetV2", 1, "does not fit MobileNetV2 on 1-channel input"),
])
def test_a_file_that_does_not_fit_is_reported_on_the_node(
    worker_env: WorkerEnv, mobilenet_file: Any, architecture: str, channels: int, says: str
) -> None:
    sha = store(worker_env, mobilenet_file[0])
    with pytest.raises(CompileError) as caught:
        compile_graph(file_graph(architecture, sha, channels=channels))
    [problem] = caught.value.problems
    assert problem.loc == ("nodes", "backbone", "params", "weights_file")
    assert problem.message.startswith("Backbone 'backbone': the weights file ")
    assert sha[:12] in problem.message and says in problem.message
    assert "Target variable" not in problem.message  # no tensor dumps


def test_a_file_missing_from_storage_is_reported(worker_env: WorkerEnv) -> None:
    with pytest.raises(CompileError) as caught:
        compile_graph(file_graph("MobileNetV2", "a" * 64))
    [problem] = caught.value.problems
    assert problem.loc == ("nodes", "backbone", "params", "weights_file")
    assert "is not in this studio's storage" in problem.message


def test_a_torchvision_state_dict_is_converted(worker_env: WorkerEnv, tmp_path: Path) -> None:
    torch = pytest.importorskip("torch", reason="converting a .pth needs PyTorch")
    from tests.worker.test_torch_backbones import TorchSqueezeNet11

    torch.manual_seed(0)
    reference = TorchSqueezeNet11().eval()
    torch.save(reference.state_dict(), tmp_path / "squeezenet1_1.pth")
    sha = store(worker_env, tmp_path / "squeezenet1_1.pth")
    model = compile_graph(file_graph("SqueezeNet11", sha, size=40))
    kernel = model.get_layer("backbone").get_layer("features_9_expand3x3").kernel
    expected = reference.features[9].expand3x3.weight.detach().numpy().transpose(2, 3, 1, 0)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(kernel), expected)
    with pytest.raises(CompileError) as caught:  # the API refuses this graph; the worker too
        compile_graph(file_graph("VGG16", sha))
    assert "only SqueezeNet11 and WideResNet50_2" in caught.value.problems[0].message
