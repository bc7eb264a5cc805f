"""Resumable uploads: a file grows chunk by chunk at a known offset, as in the tus protocol.

A dropped connection loses at most the chunk in flight: the client asks for the
offset and continues from there. Bytes go straight from the request stream to
disk, so a multi-GB zip never sits in memory. State is two files in storage
(``<id>.part`` and ``<id>.json``), so any API process sharing the storage can
take the next chunk.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from backend.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge, Problem
from backend.settings import Settings

STALE_AFTER_S = 24 * 3600
UPLOAD_ID_LENGTH = 32


@dataclass(frozen=True)
class UploadState:
    id: str
    filename: str
    size: int
    offset: int
    path: Path


class OffsetMismatch(Conflict):
    """The client's offset is not where the file ends; the body tells where it does."""

    def __init__(self, expected: int) -> None:
        super().__init__(
            f"The upload is at byte {expected}; continue from there",
            [Problem(("header", "Upload-Offset"), f"expected offset {expected}")],
        )
        self.expected = expected


def _folder(settings: Settings) -> Path:
    folder = settings.resolved_storage_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _paths(settings: Settings, upload_id: str) -> tuple[Path, Path]:
    if len(upload_id) != UPLOAD_ID_LENGTH or not upload_id.isalnum():
        raise NotFound(f"Upload {upload_id} does not exist")
    folder = _folder(settings)
    return folder / f"{upload_id}.part", folder / f"{upload_id}.json"


def create(settings: Settings, filename: str, size: int) -> UploadState:
    if size > settings.max_upload_bytes:
        raise PayloadTooLarge(
            f"'{filename}' is {size} bytes; the limit is {settings.max_upload_bytes} "
            "(DLSTUDIO_MAX_UPLOAD_BYTES)"
        )
    _remove_stale(settings)
    upload_id = uuid.uuid4().hex
    part, meta = _paths(settings, upload_id)
    part.touch()
    meta.write_text(json.dumps({"filename": filename, "size": size, "created": time.time()}))
    return get(settings, upload_id)


def get(settings: Settings, upload_id: str) -> UploadState:
    part, meta = _paths(settings, upload_id)
    try:
        info: dict[str, Any] = json.loads(meta.read_text())
        offset = part.stat().st_size
    except FileNotFoundError:
        raise NotFound(f"Upload {upload_id} does not exist (or has expired)") from None
    return UploadState(upload_id, str(info["filename"]), int(info["size"]), offset, part)


def delete(settings: Settings, upload_id: str) -> None:
    for path in _paths(settings, upload_id):
        path.unlink(missing_ok=True)


async def append(
    settings: Settings, upload_id: str, offset: int, chunks: AsyncIterator[bytes]
) -> UploadState:
    state = get(settings, upload_id)
    with _locked(state.path) as sink:
        current = sink.seek(0, os.SEEK_END)
        if offset != current:
            raise OffsetMismatch(current)
        written = current
        async for chunk in chunks:
            written += len(chunk)
            if written > state.size:
                sink.truncate(current)
                raise InvalidInput(
                    f"The chunk runs past the declared size of {state.size} bytes",
                    [Problem(("body",), f"{written - state.size} bytes too many")],
                )
            sink.write(chunk)
    return get(settings, upload_id)


@contextmanager
def _locked(path: Path) -> Iterator[BinaryIO]:
    with path.open("ab") as sink:
        try:
            fcntl.flock(sink.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict("Another request is writing this upload; retry shortly") from None
        yield sink


def require_complete(settings: Settings, upload_id: str) -> UploadState:
    state = get(settings, upload_id)
    if state.offset != state.size:
        raise Conflict(
            f"Upload {upload_id} is incomplete: {state.offset} of {state.size} bytes",
            [Problem(("body", "upload_id"), "finish the upload before storing it as a dataset")],
        )
    return state


def _remove_stale(settings: Settings) -> None:
    cutoff = time.time() - STALE_AFTER_S
    for meta in _folder(settings).glob("*.json"):
        if meta.stat().st_mtime < cutoff:
            delete(settings, meta.stem)
