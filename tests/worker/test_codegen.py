"""View code: the exported script builds the model the worker's compiler builds.

Scripts run in a subprocess with nothing of dlstudio importable, as a user would run
them; layer names, classes, order, configs, output shape and parameter counts must match.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backend.graph.codegen import generate_script
from backend.graph.schema import GraphSpec
from backend.graphs.templates import small_cnn, templates
from tests.worker.graphs import chain_dict, image_input, node, softmax
from tests.worker.model_facts import describe
from worker.compiler import compile_graph

FACTS = Path(__file__).with_name("model_facts.py")
RUNNER = """
import json, runpy, sys
sys.path.insert(0, sys.argv[1])
from model_facts import describe
print("FACTS" + json.dumps([describe(runpy.run_path(p)["build_model"]()) for p in sys.argv[2:]]))
"""
SMALL = {"ResNet50": 32, "WideResNet50_2": 32, "SqueezeNet11": 32, "InceptionV3": 75}


def paper_graphs() -> dict[str, dict[str, Any]]:
    graphs = {}
    for template in templates(3)[:-1]:
        graph = copy.deepcopy(template.graph)
        size = SMALL[graph["nodes"][1]["params"]["architecture"]]
        graph["nodes"][0]["params"].update(height=size, width=size)
        graph["nodes"][1]["params"]["weights"] = "none"
        graphs[template.id] = graph
    return graphs


def every_layer_kind() -> dict[str, Any]:
    nodes = [
        node("input", "Input", height=24, width=20, channels=1),
        node("scale", "Rescaling", scale=1 / 255, offset=0.5),
        node("resize", "Resizing", height=16, width=16, interpolation="nearest"),
        node("shift", "RandomTimeShift", max_fraction=0.2, mode="pad"),
        node("tmask", "TimeMasking", max_fraction=0.1, count=2),
        node("fmask", "FrequencyMasking"),
        node("conv-a", "Conv2D", filters=4, kernel_size=3, strides=1, padding="same"),
        node("conv_b", "SeparableConv2D", filters=4, kernel_size=3, depth_multiplier=2,
             activation="tanh"),
        node("add", "Add"),
        node("bn", "BatchNormalization", momentum=0.9, epsilon=1e-5),
        node("act", "Activation", activation="gelu"),
        node("cat", "Concatenate"),
        node("max", "MaxPooling2D", pool_size=2, strides=1),
        node("avg", "AveragePooling2D", pool_size=3, padding="same"),
        node("gmax", "GlobalMaxPooling2D"),
        node("class", "Dense", units=8, activation="selu", use_bias=False),
        node("drop", "Dropout", rate=0.25),
        softmax(2),
    ]  # fmt: skip
    pairs = [("input", "scale"), ("scale", "resize"), ("resize", "shift"), ("shift", "tmask"),
             ("tmask", "fmask"), ("fmask", "conv-a"), ("fmask", "conv_b"), ("conv-a", "add"),
             ("conv_b", "add"), ("add", "bn"), ("bn", "act"), ("act", "cat"), ("conv-a", "cat"),
             ("cat", "max"), ("max", "avg"), ("avg", "gmax"), ("gmax", "class"),
             ("class", "drop"), ("drop", "output")]  # fmt: skip
    edges = [{"source": a, "target": b} for a, b in pairs]
    return {"schema_version": 1, "nodes": nodes, "edges": edges}


def backbone_graph(architecture: str, size: int = 32, channels: int = 3, **params: Any) -> Any:
    params = {"weights": "none", "trainable": "all", **params}
    return chain_dict(
        image_input(size, channels),
        node("backbone", "Backbone", architecture=architecture, **params),
        node("gap", "GlobalAveragePooling2D"),
        softmax(),
    )


def graphs() -> dict[str, dict[str, Any]]:
    cnn = copy.deepcopy(small_cnn(3, size=32).graph)
    return {
        **paper_graphs(),
        "small-cnn": cnn,
        "every-layer-kind": every_layer_kind(),
        "resnet101-frozen": backbone_graph("ResNet101", trainable="frozen"),
        "vgg16-grey": backbone_graph("VGG16", channels=1),
        "mobilenetv2-grey": backbone_graph("MobileNetV2", channels=1, trainable="frozen"),
        "efficientnetb0": backbone_graph("EfficientNetB0"),
        "densenet121": backbone_graph("DenseNet121", channels=1),
        "xception": backbone_graph("Xception", size=71),
        "squeezenet-grey-frozen": backbone_graph("SqueezeNet11", channels=1, trainable="frozen"),
        "resnet50-last-2": backbone_graph("ResNet50", trainable="last_blocks", trainable_blocks=2),
        "inception-last-3": backbone_graph(
            "InceptionV3", size=75, trainable="last_blocks", trainable_blocks=3
        ),
    }


def start_scripts(paths: list[Path], cwd: Path, main: bool = False) -> subprocess.Popen[str]:
    # No dlstudio on the path: the script must stand alone.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    command = [sys.executable, str(paths[0])] if main else [
        sys.executable, "-c", RUNNER, str(FACTS.parent), *map(str, paths)]  # fmt: skip
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str]) -> str:
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr[-3000:]
    return stdout


def run_scripts(paths: list[Path], cwd: Path, main: bool = False) -> str:
    return finish(start_scripts(paths, cwd, main))


def test_scripts_build_the_same_models_as_the_compiler(tmp_path: Path) -> None:
    cases = graphs()
    paths = []
    for name, graph in cases.items():
        path = tmp_path / f"{name.replace('-', '_')}.py"
        path.write_text(generate_script(graph, title=name))
        paths.append(path)
    process = start_scripts(paths, tmp_path)  # builds while this process compiles (2 cores)
    expected = [
        json.loads(json.dumps(describe(compile_graph(GraphSpec.model_validate(graph)))))
        for graph in cases.values()
    ]
    [line] = [x for x in finish(process).splitlines() if x.startswith("FACTS")]
    exported = json.loads(line[len("FACTS") :])
    for name, facts, wanted in zip(cases, exported, expected, strict=True):
        for key in ("layers", "output_shape", "trainable", "non_trainable", "preprocess_weights"):
            assert facts[key] == wanted[key], (name, key)
        assert facts["config"] == wanted["config"], name


def test_script_runs_as_a_program_and_prints_the_summary(tmp_path: Path) -> None:
    path = tmp_path / "paper.py"
    path.write_text(generate_script(paper_graphs()["paper-squeezenet"], title="Paper SqueezeNet"))
    out = run_scripts([path], tmp_path, main=True)
    assert 'Model: "paper_squeezenet"' in out
    for name in ("input", "backbone_preprocess", "backbone", "pool", "dense", "output"):
        assert f"│ {name} " in out


def test_grey_input_with_imagenet_weights_is_repeated_to_rgb_before_preprocessing() -> None:
    script = generate_script(backbone_graph("ResNet50", channels=1, weights="imagenet"))
    rgb = 'backbone = layers.Concatenate(name="backbone_to_rgb")([input_, input_, input_])'
    assert rgb in script
    assert 'imagenet_preprocessing("caffe", backbone, name="backbone_preprocess")' in script
    assert 'weights="imagenet"' in script and "input_shape=(32, 32, 3)" in script


@pytest.mark.parametrize("node_id", ["class", "1st", "model", "a-b", "x_y"])
def test_node_ids_that_are_not_python_names_still_give_a_valid_script(node_id: str) -> None:
    graph = chain_dict(image_input(8), node(node_id, "Flatten"), softmax())
    compile(generate_script(graph), "<script>", "exec")


def test_an_uploaded_weights_file_is_named_and_loaded_when_present(tmp_path: Path) -> None:
    sha = "ab" * 32
    graph = backbone_graph("VGG16", weights="file", weights_file=sha)
    script = generate_script(graph, title="from file")
    assert f'load_weights_file(backbone_network, "{sha}.weights.h5")' in script
    path = tmp_path / "from_file.py"
    path.write_text(script)
    # Without the file the architecture still builds, with a warning on stderr.
    assert 'Model: "from_file"' in run_scripts([path], tmp_path, main=True)
