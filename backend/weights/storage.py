"""Where a weights file lives and what kind it is: shared by the API and the worker.

A file is stored once, as ``<storage>/weights/<sha256>``, whatever it was called and however
often it was uploaded. Its kind is read from its first bytes, so the worker needs no
database row to load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

Format = Literal["keras", "torchvision"]

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"  # torch.save's format since PyTorch 1.6
PICKLE_PROTOCOL = b"\x80"  # torch.save's legacy format starts with a pickle
# Accepted names per kind: Keras 3 loads only ``.weights.h5``; torchvision publishes ``.pth``.
SUFFIXES: dict[Format, tuple[str, ...]] = {
    "keras": (".weights.h5",),
    "torchvision": (".pth", ".pt"),
}
SNIFF_BYTES = len(HDF5_SIGNATURE)


def folder(storage: Path) -> Path:
    return storage / "weights"


def weights_path(storage: Path, sha256: str) -> Path:
    return folder(storage) / sha256


def format_for_name(filename: str) -> Format | None:
    for kind, suffixes in SUFFIXES.items():
        if filename.lower().endswith(suffixes):
            return kind
    return None


def sniff(head: bytes) -> Format | None:
    """The kind the first bytes say the file is, or None for neither."""
    if head.startswith(HDF5_SIGNATURE):
        return "keras"
    if head.startswith(ZIP_SIGNATURE) or head.startswith(PICKLE_PROTOCOL):
        return "torchvision"
    return None


def sniff_file(path: Path) -> Format | None:
    with path.open("rb") as source:
        return sniff(source.read(SNIFF_BYTES))
