"""Image fingerprints for the leakage audit: an exact hash and a 256-bit difference hash.

Exact: SHA-256 of the decoded RGB pixels and size, so the same picture saved twice (another
PNG encoder, another file name) is still one picture. Near: dHash (the image as 17x16 grey,
one bit per horizontal neighbour pair: is the left one brighter), robust to re-encoding,
small brightness or contrast changes, resizing and a few changed pixels; two images whose
dHashes differ in at most NEAR_DUPLICATE_BITS of 256 bits are near-duplicates.

Why 256 bits and not the usual 64: spectrograms look alike at 9x8. Measured on the shared
EMO-DB converted to 64x64 log-mel segments (458 images): with 64 bits, segments of two
different recordings came as close as 3 bits (as close as a re-saved copy), so every
threshold flagged innocent pairs; with 256 bits the closest pair of different recordings is
28 bits apart, and a copy brightened 5 %, saved as JPEG (quality 85) and with 2 pixels
changed stays within 7 bits (mean 3).

Fingerprints are cached per stored file folder in ``<storage>/hashes/<folder>.json``: the
files of a stored dataset never change, and relabelled versions share the folder, so an
audit of 3000 images hashes each file once.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image

HASH_SIDE = 16  # 16 rows x 16 neighbour pairs = 256 bits
HASH_BITS = HASH_SIDE * HASH_SIDE
# Between the 7 bits of an altered copy and the 28 of the closest distinct recordings.
NEAR_DUPLICATE_BITS = 16
CACHE_VERSION = 2


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    dhash: int  # HASH_BITS bits


def fingerprint(path: Path) -> Fingerprint:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        digest = hashlib.sha256(f"{rgb.size}".encode() + rgb.tobytes()).hexdigest()
        return Fingerprint(digest, dhash(rgb))


def dhash(image: Image.Image) -> int:
    size = (HASH_SIDE + 1, HASH_SIDE)
    grey = image.convert("L").resize(size, Image.Resampling.LANCZOS)
    pixels = np.asarray(grey, dtype=np.int16)
    bits = (pixels[:, 1:] > pixels[:, :-1]).flatten()
    return int(sum(1 << i for i, bit in enumerate(bits) if bit))


def words(value: int) -> list[int]:
    """The hash as 64-bit words, for numpy's vectorised popcount."""
    return [(value >> (64 * k)) & 0xFFFFFFFFFFFFFFFF for k in range(HASH_BITS // 64)]


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def fingerprints(
    storage_root: Path, storage_path: str, paths: Iterable[str]
) -> dict[str, Fingerprint]:
    """Fingerprint per relative path; unreadable or missing files are left out."""
    cache_file = storage_root / "hashes" / f"{PurePosixPath(storage_path).name}.json"
    cached = _read_cache(cache_file)
    result: dict[str, Fingerprint] = {}
    fresh = False
    root = storage_root / storage_path
    for relative in paths:
        if relative in cached:
            result[relative] = cached[relative]
            continue
        try:
            result[relative] = fingerprint(root / relative)
        except (OSError, ValueError):
            continue  # a missing or broken file is the worker's to report, by name
        fresh = True
    if fresh:
        _write_cache(cache_file, cached | result)
    return result


def _read_cache(path: Path) -> dict[str, Fingerprint]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if data.get("version") != CACHE_VERSION:
        return {}
    return {k: Fingerprint(v[0], int(v[1], 16)) for k, v in data.get("items", {}).items()}


def _write_cache(path: Path, items: dict[str, Fingerprint]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "version": CACHE_VERSION,
        "items": {k: [f.sha256, f"{f.dhash:064x}"] for k, f in sorted(items.items())},
    }
    temporary = path.with_name(f".{uuid.uuid4().hex}.json")
    temporary.write_text(json.dumps(body, separators=(",", ":")))
    os.replace(temporary, path)  # concurrent audits: the last complete file wins
