"""Streaming a request body to a temp file under storage, hashing it on the way.

Datasets and weights files both arrive this way: the bytes never sit in memory whole,
an over-size body stops as soon as it passes the limit, and a failure leaves no file.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from backend.errors import PayloadTooLarge
from backend.settings import Settings

CHUNK = 1024 * 1024
SNIFF_BYTES = 64


@dataclass(frozen=True)
class Staged:
    path: Path  # the temp file under storage; the caller moves or removes it
    sha256: str
    size: int
    head: bytes  # the first SNIFF_BYTES bytes, to tell the content from its name


def stage(source: BinaryIO, settings: Settings, what: str, suffix: str = "") -> Staged:
    staging = settings.resolved_storage_dir / "tmp"
    staging.mkdir(parents=True, exist_ok=True)
    path = staging / f"upload-{uuid.uuid4().hex}{suffix}"
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with path.open("wb") as sink:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise PayloadTooLarge(
                        f"{what} is larger than {settings.max_upload_bytes} bytes "
                        "(DLSTUDIO_MAX_UPLOAD_BYTES)"
                    )
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                digest.update(chunk)
                sink.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Staged(path, digest.hexdigest(), size, head)
