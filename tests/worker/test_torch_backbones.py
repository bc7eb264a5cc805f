"""SqueezeNet 1.1 and WRN-50-2: the Keras builds compute what torchvision's layouts compute.

The torch references are written here from plain ``torch.nn`` in torchvision's layout (the
same module paths, so the same state-dict keys); torchvision itself is not a dependency.
Their random state dicts go through the converter into the Keras models, and the features
must agree (NCHW against NHWC).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import keras
import numpy as np
import pytest

from tests.worker.graphs import backbone, chain, image_input, node, softmax
from worker.compiler import compile_graph
from worker.compiler.errors import WeightsUnavailable
from worker.compiler.squeezenet import SqueezeNet11
from worker.compiler.torchvision_weights import WEIGHT_FILES, ConversionError, convert, main
from worker.compiler.wide_resnet import WideResNet50_2

torch = pytest.importorskip("torch", reason="the converter's references need PyTorch")
from torch import nn  # noqa: E402

# --- torchvision's layouts, from plain torch.nn ---------------------------------------------


class Fire(nn.Module):
    def __init__(self, inplanes: int, squeeze: int, expand1: int, expand3: int) -> None:
        super().__init__()
        self.squeeze = nn.Conv2d(inplanes, squeeze, 1)
        self.squeeze_activation = nn.ReLU()
        self.expand1x1 = nn.Conv2d(squeeze, expand1, 1)
        self.expand1x1_activation = nn.ReLU()
        self.expand3x3 = nn.Conv2d(squeeze, expand3, 3, padding=1)
        self.expand3x3_activation = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.squeeze_activation(self.squeeze(x))
        a = self.expand1x1_activation(self.expand1x1(x))
        b = self.expand3x3_activation(self.expand3x3(x))
        return torch.cat([a, b], 1)


class TorchSqueezeNet11(nn.Module):
    def __init__(self, classes: int = 10) -> None:
        super().__init__()
        pool = dict(kernel_size=3, stride=2, ceil_mode=True)
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 3, stride=2), nn.ReLU(), nn.MaxPool2d(**pool),
            Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), nn.MaxPool2d(**pool),
            Fire(128, 32, 128, 128), Fire(256, 32, 128, 128), nn.MaxPool2d(**pool),
            Fire(256, 48, 192, 192), Fire(384, 48, 192, 192),
            Fire(384, 64, 256, 256), Fire(512, 64, 256, 256),
        )  # fmt: skip
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Conv2d(512, classes, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1)
        )


class Bottleneck(nn.Module):
    def __init__(self, inplanes: int, width: int, out: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.relu = nn.ReLU()
        self.downsample: nn.Module | None = None
        if stride != 1 or inplanes != out:
            self.downsample = nn.Sequential(
                nn.Conv2d(inplanes, out, 1, stride=stride, bias=False), nn.BatchNorm2d(out)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(y + shortcut)


class TorchWideResNet50_2(nn.Module):
    def __init__(self, classes: int = 10) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        inplanes = 64
        for stage, (blocks, width, out, stride) in enumerate(
            ((3, 128, 256, 1), (4, 256, 512, 2), (6, 512, 1024, 2), (3, 1024, 2048, 2)), 1
        ):
            layers = []
            for block in range(blocks):
                layers.append(Bottleneck(inplanes, width, out, stride if block == 0 else 1))
                inplanes = out
            setattr(self, f"layer{stage}", nn.Sequential(*layers))
        self.fc = nn.Linear(2048, classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for stage in range(1, 5):
            x = getattr(self, f"layer{stage}")(x)
        return x


def _randomise_batch_norms(model: nn.Module) -> None:
    # Default BatchNorm statistics (0 and 1) would hide a swapped mean and variance.
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            with torch.no_grad():
                module.weight.uniform_(0.2, 0.8)
                module.bias.uniform_(-0.2, 0.2)
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
                module.num_batches_tracked.fill_(7)


def _converted(network: str, model: nn.Module, tmp_path: Path) -> Path:
    state_path = tmp_path / f"{network}.pth"
    torch.save(model.state_dict(), state_path)
    return convert(network, state_path, tmp_path / f"{network}.weights.h5")


def _compare(torch_out: torch.Tensor, keras_out: Any) -> tuple[float, float]:
    expected = torch_out.detach().numpy().transpose(0, 2, 3, 1)
    actual = keras.ops.convert_to_numpy(keras_out)
    assert actual.shape == expected.shape
    return float(np.max(np.abs(actual - expected))), float(np.max(np.abs(expected)))


@pytest.fixture(scope="module")
def squeezenet() -> TorchSqueezeNet11:
    torch.manual_seed(0)
    return TorchSqueezeNet11().eval()


@pytest.mark.parametrize("size", [64, 65, 17])
def test_squeezenet_matches_torch(squeezenet: TorchSqueezeNet11, size: int, tmp_path: Path) -> None:
    weights = _converted("squeezenet1_1", squeezenet, tmp_path)
    model = SqueezeNet11(input_shape=(size, size + 3, 3))
    model.load_weights(weights)
    x = torch.from_numpy(np.random.default_rng(1).normal(size=(1, 3, size, size + 3)))
    with torch.no_grad():
        expected = squeezenet.features(x.float())
    diff, scale = _compare(expected, model(x.float().numpy().transpose(0, 2, 3, 1)))
    print(f"SqueezeNet11 {size}x{size + 3}: max |diff| {diff:.2e}, max |out| {scale:.2f}")
    assert diff < 1e-4


def test_wide_resnet_matches_torch(tmp_path: Path) -> None:
    torch.manual_seed(0)
    reference = TorchWideResNet50_2().eval()
    _randomise_batch_norms(reference)
    weights = _converted("wide_resnet50_2", reference, tmp_path)
    model = WideResNet50_2(input_shape=(64, 64, 3))
    model.load_weights(weights)
    x = torch.from_numpy(np.random.default_rng(2).normal(size=(1, 3, 64, 64)).astype("float32"))
    with torch.no_grad():
        expected = reference.features(x)
    diff, scale = _compare(expected, model(x.numpy().transpose(0, 2, 3, 1), training=False))
    print(f"WideResNet50_2 64x64: max |diff| {diff:.2e}, max |out| {scale:.2f}")
    assert diff < 1e-3


# --- the converter refuses what does not fit ---------------------------------------------------


def _state(squeezenet: TorchSqueezeNet11) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in squeezenet.state_dict().items()}


def test_missing_key_is_refused(squeezenet: TorchSqueezeNet11, tmp_path: Path) -> None:
    state = _state(squeezenet)
    del state["features.6.expand3x3.bias"]
    torch.save(state, tmp_path / "s.pth")
    with pytest.raises(ConversionError, match=r"missing keys: features\.6\.expand3x3\.bias"):
        convert("squeezenet1_1", tmp_path / "s.pth", tmp_path / "out.weights.h5")
    assert not (tmp_path / "out.weights.h5").exists()


def test_wrong_shape_is_refused(squeezenet: TorchSqueezeNet11, tmp_path: Path) -> None:
    state = _state(squeezenet)
    state["features.3.squeeze.weight"] = torch.zeros(16, 64, 3, 3)
    torch.save(state, tmp_path / "s.pth")
    with pytest.raises(ConversionError, match=r"features\.3\.squeeze\.weight \(expected "
                       r"\(16, 64, 1, 1\), got \(16, 64, 3, 3\)\)"):
        convert("squeezenet1_1", tmp_path / "s.pth", tmp_path / "out.weights.h5")


def test_unexpected_key_is_refused_by_the_cli(
    squeezenet: TorchSqueezeNet11, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = _state(squeezenet)
    state["features.13.weight"] = torch.zeros(3)
    torch.save(state, tmp_path / "s.pth")
    out = tmp_path / "out.weights.h5"
    assert main(["squeezenet1_1", str(tmp_path / "s.pth"), str(out)]) == 2
    assert "unexpected keys: features.13.weight" in capsys.readouterr().err
    assert not out.exists()


# --- ImageNet weights in a graph: the converted file, or a fast clear error ----------------------


@pytest.mark.parametrize(("architecture", "network"),
                         [("SqueezeNet11", "squeezenet1_1"), ("WideResNet50_2", "wide_resnet50_2")])
def test_absent_imagenet_weights_fail_fast_naming_the_file(
    architecture: str, network: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    spec = chain(image_input(64, 1), backbone(architecture, weights="imagenet"),
                 node("gap", "GlobalAveragePooling2D"), softmax())
    started = time.monotonic()
    with pytest.raises(WeightsUnavailable) as caught:
        compile_graph(spec)
    assert time.monotonic() - started < 2
    [problem] = caught.value.problems
    assert problem.loc == ("nodes", "backbone", "params", "weights")
    assert str(tmp_path / "models" / WEIGHT_FILES[network]) in problem.message
    assert f"python -m worker.compiler.torchvision_weights {network} " in problem.message


def test_imagenet_graph_loads_the_converted_file(
    squeezenet: TorchSqueezeNet11, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    torch.save(squeezenet.state_dict(), tmp_path / "s.pth")
    target = tmp_path / "models" / WEIGHT_FILES["squeezenet1_1"]
    assert main(["squeezenet1_1", str(tmp_path / "s.pth"), str(target)]) == 0
    spec = chain(image_input(40, 1), backbone("SqueezeNet11", weights="imagenet"),
                 node("gap", "GlobalAveragePooling2D"), softmax())
    model = compile_graph(spec)
    kernel = model.get_layer("backbone").get_layer("features_9_expand3x3").kernel
    expected = squeezenet.features[9].expand3x3.weight.detach().numpy().transpose(2, 3, 1, 0)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(kernel), expected)
