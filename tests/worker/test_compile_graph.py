"""The Keras compiler: every node type builds, and every failure names its node."""

from __future__ import annotations

import time
import typing
from pathlib import Path

import keras
import numpy as np
import pytest

from backend.graph.schema import GraphSpec, Node
from tests.worker.graphs import backbone, chain, image_input, node, small_cnn, softmax
from worker.compiler import CompileError, WeightsUnavailable, check_output, compile_graph
from worker.compiler.backbones import keras_models_dir
from worker.compiler.preprocessing import preprocess
from worker.compiler.registry import registered_types


def test_every_node_type_has_a_builder() -> None:
    union = typing.get_args(typing.get_args(Node)[0])
    assert set(union) <= registered_types()


def test_small_cnn_builds_with_layers_named_by_node_id() -> None:
    model = compile_graph(GraphSpec.model_validate(small_cnn()))
    assert tuple(model.output.shape) == (None, 3)
    names = {layer.name for layer in model.layers}
    assert {"input", "rescale", "conv", "pool", "gap", "output"} <= names


def test_every_layer_kind_builds() -> None:
    spec = chain(
        image_input(16, 1), node("c", "Conv2D", filters=4, kernel_size=3, padding="valid"),
        node("bn", "BatchNormalization"), node("act", "Activation", activation="relu"),
        node("avg", "AveragePooling2D"), node("max", "MaxPooling2D", pool_size=2, strides=1),
        node("flat", "Flatten"), node("drop", "Dropout", rate=0.5),
        node("hidden", "Dense", units=4, activation="gelu"), softmax(2),
    )
    model = compile_graph(spec)
    assert tuple(model.output.shape) == (None, 2)
    assert model.get_layer("c").output.shape[1:] == (14, 14, 4)


def test_backbone_below_its_minimum_input_names_the_node() -> None:
    spec = chain(image_input(32), backbone("InceptionV3"), node("gap", "GlobalAveragePooling2D"),
                 softmax())
    with pytest.raises(CompileError) as caught:
        compile_graph(spec)
    [problem] = caught.value.problems
    assert problem.loc == ("nodes", "backbone")
    assert "InceptionV3" in problem.message and "75x75" in problem.message
    assert "75x75" in caught.value.user_message()


def test_keras_layer_error_is_reported_on_its_node_without_keras_noise() -> None:
    spec = chain(image_input(32), node("gap", "GlobalMaxPooling2D"),
                 node("conv", "Conv2D", filters=4), softmax())
    with pytest.raises(CompileError) as caught:
        compile_graph(spec)
    [problem] = caught.value.problems
    assert problem.loc == ("nodes", "conv")
    assert "ndim" in problem.message and "Arguments received" not in problem.message

    spec = chain(image_input(8), node("pool", "MaxPooling2D", pool_size=16), softmax())
    with pytest.raises(CompileError) as caught:
        compile_graph(spec)
    assert caught.value.problems[0].loc == ("nodes", "pool")
    assert "negative" in caught.value.problems[0].message
    assert "\x1b" not in caught.value.problems[0].message


def test_structural_problems_are_all_reported_before_building() -> None:
    spec = GraphSpec.model_validate({
        "nodes": [image_input(), node("a", "Dense", units=2), node("b", "Dense", units=2),
                  softmax()],
        "edges": [{"source": "input", "target": "output"}, {"source": "a", "target": "b"},
                  {"source": "b", "target": "a"}, {"source": "ghost", "target": "output"}],
    })
    with pytest.raises(CompileError) as caught:
        compile_graph(spec)
    locs = {problem.loc for problem in caught.value.problems}
    assert ("edges", 3, "source") in locs
    assert ("nodes", "a") in locs and ("nodes", "b") in locs  # the cycle


def test_backbone_builds_on_one_channel_without_weights() -> None:
    spec = chain(image_input(32, channels=1), backbone("MobileNetV2", trainable="frozen"),
                 node("gap", "GlobalAveragePooling2D"), softmax())
    model = compile_graph(spec)
    assert tuple(model.input.shape) == (None, 32, 32, 1)
    assert tuple(model.output.shape) == (None, 3)
    assert not model.get_layer("backbone").trainable


def test_imagenet_weights_offline_fail_fast_naming_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A closed local port as proxy: the download fails the way an offline
    # machine's does, without depending on this machine's network.
    for variable in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    file_name = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"
    if (keras_models_dir() / file_name).exists():
        pytest.skip("the weights are cached on this machine")
    spec = chain(image_input(96), backbone("MobileNetV2", weights="imagenet"),
                 node("gap", "GlobalAveragePooling2D"), softmax())
    started = time.monotonic()
    with pytest.raises(WeightsUnavailable) as caught:
        compile_graph(spec)
    assert time.monotonic() - started < 5
    [problem] = caught.value.problems
    assert problem.loc == ("nodes", "backbone", "params", "weights")
    assert file_name in problem.message
    assert str(keras_models_dir() / file_name) in problem.message


@pytest.mark.parametrize(
    ("mode", "reference"),
    [
        ("caffe", keras.applications.resnet50.preprocess_input),
        ("tf", keras.applications.inception_v3.preprocess_input),
        ("torch", keras.applications.densenet.preprocess_input),
        ("none", keras.applications.efficientnet.preprocess_input),
    ],
)
def test_preprocessing_layers_match_keras_applications(mode: str, reference: typing.Any) -> None:
    images = np.random.default_rng(0).uniform(0, 255, size=(2, 4, 4, 3)).astype("float32")
    inputs = keras.Input((4, 4, 3))
    model = keras.Model(inputs, preprocess(mode, inputs, name="pre"))  # type: ignore[arg-type]
    expected = reference(images.copy())
    np.testing.assert_allclose(model.predict(images, verbose=0), expected, rtol=1e-5, atol=1e-3)


def test_saved_backbone_model_loads_without_worker_code(tmp_path: Path) -> None:
    spec = chain(image_input(32), backbone("ResNet50"), node("gap", "GlobalMaxPooling2D"),
                 softmax())
    model = compile_graph(spec)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    images = np.full((2, 32, 32, 3), 128.0, dtype="float32")
    np.testing.assert_allclose(loaded.predict(images, verbose=0),
                               model.predict(images, verbose=0), atol=1e-5)


def test_output_must_give_one_value_per_class() -> None:
    spec = chain(image_input(8), node("conv", "Conv2D", filters=2))
    with pytest.raises(CompileError) as caught:
        check_output(compile_graph(spec), spec, num_classes=3)
    assert caught.value.problems[0].loc == ("nodes", "conv")
    assert "Flatten" in caught.value.problems[0].message

    spec = chain(image_input(8), node("gap", "GlobalAveragePooling2D"), softmax(5))
    with pytest.raises(CompileError) as caught:
        check_output(compile_graph(spec), spec, num_classes=3)
    assert caught.value.problems[0].loc == ("nodes", "output")
    assert "3 classes" in caught.value.problems[0].message
