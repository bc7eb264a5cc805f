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
from worker.compiler import (
    CompileError,
    WeightsUnavailable,
    augmentation,
    check_output,
    compile_graph,
)
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


def test_merges_build_from_several_inputs_in_edge_order() -> None:
    spec = GraphSpec.model_validate({
        "nodes": [image_input(8, 2), node("a", "Conv2D", filters=3), node("b", "Conv2D", filters=5),
                  node("sum", "Add"), node("cat", "Concatenate"), node("flat", "Flatten")],
        "edges": [{"source": s, "target": t} for s, t in [
            ("input", "a"), ("input", "b"), ("a", "sum"), ("a", "sum"), ("sum", "cat"),
            ("b", "cat"), ("input", "cat"), ("cat", "flat")]],
    })
    model = compile_graph(spec)
    assert model.get_layer("cat").output.shape[1:] == (8, 8, 10)
    assert len(model.get_layer("sum").input) == 2 and len(model.get_layer("cat").input) == 3


def test_a_merge_with_one_input_is_refused_before_building() -> None:
    spec = chain(image_input(8), node("sum", "Add"), node("flat", "Flatten"))
    with pytest.raises(CompileError) as caught:
        compile_graph(spec)
    assert caught.value.problems[0].loc == ("nodes", "sum")
    assert "at least 2" in caught.value.problems[0].message


def ramp(batch: int = 4, height: int = 6, width: int = 10) -> np.ndarray:
    row = np.arange(1, width + 1, dtype="float32")
    return np.broadcast_to(row[None, None, :, None], (batch, height, width, 1)).copy()


@pytest.mark.parametrize("mode", ["wrap", "pad"])
def test_time_shift_moves_columns_only_in_training(mode: str) -> None:
    layer = augmentation.RandomTimeShift(0.5, mode=mode, seed=3)
    images = ramp()
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(images)), images)
    shifted = keras.ops.convert_to_numpy(layer(images, training=True))
    assert not np.array_equal(shifted, images)
    assert (shifted == shifted[:, :1]).all()  # every row moves alike: time only
    for example in shifted[:, 0, :, 0]:
        kept = example[example > 0]
        if mode == "wrap":
            assert sorted(example) == list(range(1, 11))
        else:  # the columns that stay keep their order, the rest are zero
            assert (np.diff(kept) == 1).all() and len(kept) >= 5


@pytest.mark.parametrize(("kind", "axis"), [("TimeMasking", 2), ("FrequencyMasking", 1)])
def test_masking_blanks_whole_bands_only_in_training(kind: str, axis: int) -> None:
    layer = getattr(augmentation, kind)(0.3, count=2, seed=1)
    images = np.ones((8, 10, 10, 1), dtype="float32")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(images)), images)
    masked = keras.ops.convert_to_numpy(layer(images, training=True))
    assert masked.min() == 0.0 and masked.max() == 1.0
    other = 2 if axis == 1 else 1
    assert (masked == masked.take([0], axis=other)).all()  # bands span the other axis
    blanked = (masked[..., 0].take(0, axis=other) == 0).sum(axis=1)
    assert (blanked <= 2 * 3).all()  # two bands of at most 30% of 10


def test_augmentation_layers_round_trip_their_config(tmp_path: Path) -> None:
    spec = chain(image_input(12, 1), node("shift", "RandomTimeShift", max_fraction=0.25,
                                          mode="pad"),
                 node("time", "TimeMasking", max_fraction=0.2, count=3),
                 node("freq", "FrequencyMasking", max_fraction=0.1, count=2),
                 node("gap", "GlobalAveragePooling2D"), softmax())
    model = compile_graph(spec)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert loaded.get_layer("shift").get_config()["mode"] == "pad"
    assert loaded.get_layer("time").get_config()["count"] == 3
    images = np.random.default_rng(0).uniform(0, 255, (2, 12, 12, 1)).astype("float32")
    np.testing.assert_allclose(loaded.predict(images, verbose=0),
                               model.predict(images, verbose=0), atol=1e-6)
