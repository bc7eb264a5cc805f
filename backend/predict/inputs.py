"""What kind of upload a request holds, checked before the worker sees it."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from backend.errors import InvalidInput, Problem

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg"}
SUPPORTED_TEXT = "an image (PNG, JPEG, BMP, GIF, TIFF, WebP), a recording (WAV, FLAC, OGG) or a zip"
NOT_AUDIO_MODEL = (
    "this model was trained on a dataset that was not made from recordings, so there is no "
    "spectrogram recipe to render a recording with; upload an image instead"
)


def member_kind(name: str) -> str | None:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    return None


def upload_kind(filename: str) -> str:
    """ "image", "audio" or "zip" from the name; 422 naming the file otherwise."""
    if filename.lower().endswith(".zip"):
        return "zip"
    kind = member_kind(filename)
    if kind is None:
        reason = f"unsupported file type: send {SUPPORTED_TEXT}"
        raise InvalidInput(f"Cannot predict '{filename}': {reason}", [_problem(filename, reason)])
    return kind


def check_upload(path: Path, filename: str, kind: str, has_recipe: bool) -> None:
    """Refuse what the worker could not answer: recordings for an image model, a zip that is
    not one or holds nothing to predict."""
    if kind == "audio" and not has_recipe:
        raise InvalidInput(f"Cannot predict '{filename}': {NOT_AUDIO_MODEL}",
                           [_problem(filename, NOT_AUDIO_MODEL)])  # fmt: skip
    if kind != "zip":
        return
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        reason = f"not a readable zip file ({exc})"
        raise InvalidInput(
            f"Cannot predict '{filename}': {reason}", [_problem(filename, reason)]
        ) from None
    kinds = {member_kind(n) for n in names if not n.startswith("__MACOSX/")} - {None}
    if not kinds:
        reason = f"the zip holds no image or recording ({SUPPORTED_TEXT})"
        raise InvalidInput(f"Cannot predict '{filename}': {reason}", [_problem(filename, reason)])
    if "audio" in kinds and not has_recipe:
        audio = [n for n in names if member_kind(n) == "audio"]
        raise InvalidInput(
            f"Cannot predict the recordings in '{filename}': {NOT_AUDIO_MODEL}",
            [_problem(n, NOT_AUDIO_MODEL) for n in audio[:20]],
        )


def _problem(name: str, reason: str) -> Problem:
    return Problem(("file", name), reason)
