"""Loads an uploaded weights file (``weights: "file"``) into a backbone network.

Keras files (``.weights.h5``, what ``model.save_weights`` writes for the bare
keras.applications model, or for our SqueezeNet11 / WideResNet50_2) load with
``load_weights``; torchvision state dicts (``.pth``) of SqueezeNet 1.1 and WRN-50-2 go
through the converter's mapping (worker/compiler/torchvision_weights.py). A file that does
not fit the network is reported on the node's ``weights_file``, naming the node and file.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

from backend.graph.schema import BackboneNode
from backend.settings import get_settings
from backend.weights.storage import sniff_file, weights_path
from worker.compiler.errors import CompileError, node_error
from worker.compiler.torchvision_weights import assign, load_state_dict

# Our backbones built from torchvision's layouts, by the converter's network names.
TORCHVISION_NETWORKS = {"SqueezeNet11": "squeezenet1_1", "WideResNet50_2": "wide_resnet50_2"}
MAX_DETAIL = 500


def load_weights_file(node: BackboneNode, network: Any) -> None:
    sha = node.params.weights_file
    assert sha is not None  # BackboneParams requires it with weights "file"
    path = weights_path(get_settings().resolved_storage_dir, sha)
    if not path.is_file():
        raise _error(node, f"the weights file {sha} is not in this studio's storage ({path})")
    kind = sniff_file(path)
    try:
        if kind == "keras":
            _load_keras(network, path)
        elif kind == "torchvision":
            _load_torchvision(node, network, path)
        else:
            raise _error(node, f"the weights file {_short_sha(sha)} is neither HDF5 nor torch")
    except CompileError:
        raise
    except ImportError as exc:
        raise _error(node, f"converting the torchvision file {_short_sha(sha)} needs PyTorch in "
                     f"the worker ({exc}); install torch there or upload a .weights.h5") from exc
    except Exception as exc:
        channels = int(network.input.shape[-1])
        raise _error(
            node,
            f"the weights file {_short_sha(sha)} does not fit {node.params.architecture} on "
            f"{channels}-channel input: {_detail(exc)}",
        ) from exc


def _load_keras(network: Any, path: Path) -> None:
    # Keras picks the reader by the name's ending; the stored file has none.
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        link = Path(folder) / f"{path.name}.weights.h5"
        link.symlink_to(path)
        network.load_weights(str(link))
    # Keras only warns when parts of the network found nothing in the file and "retain
    # their freshly-initialized weights": a half-loaded backbone is a mismatch too.
    skipped = [str(w.message) for w in caught if "Skipping" in str(w.message)]
    if skipped:
        raise ValueError(f"{len(skipped)} parts found no weights in the file: {skipped[0]}")


def _load_torchvision(node: BackboneNode, network: Any, path: Path) -> None:
    architecture = node.params.architecture
    if architecture not in TORCHVISION_NETWORKS:
        raise _error(
            node,
            f"the weights file {_short_sha(node.params.weights_file or '')} is a torchvision "
            f"state dict; only SqueezeNet11 and WideResNet50_2 take those, not {architecture}. "
            f"Upload a Keras .weights.h5 instead",
        )
    assign(network, TORCHVISION_NETWORKS[architecture], load_state_dict(path))


def _error(node: BackboneNode, what: str) -> CompileError:
    return node_error(node.id, f"Backbone '{node.id}': {what}", "params", "weights_file")


def _short_sha(sha: str) -> str:
    return f"{sha[:12]}…"


def _detail(exc: Exception) -> str:
    # Keras's message dumps whole tensors after "Target variable:"; keep the sentences.
    text = str(exc).split("Target variable:", 1)[0].split("List of objects", 1)[0]
    text = re.sub(r"\s+", " ", text).strip() or type(exc).__name__
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"

