"""Safe reading of an uploaded dataset zip: refuse hostile archives before writing a byte."""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from backend.errors import InvalidInput, ProblemCollector

IGNORED_PREFIXES = ("__MACOSX/",)
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int
    max_uncompressed_bytes: int
    max_compression_ratio: float = 200.0


def open_zip(path: Path, filename: str) -> zipfile.ZipFile:
    if not zipfile.is_zipfile(path):
        raise InvalidInput(
            f"'{filename}' is not a zip archive",
            [],
        )
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"'{filename}' is a damaged zip archive: {exc}") from exc


def member_files(archive: zipfile.ZipFile, limits: ArchiveLimits) -> list[zipfile.ZipInfo]:
    """The regular files of the archive, after checking every member; all problems at once."""
    infos = archive.infolist()
    problems = ProblemCollector()
    if len(infos) > limits.max_members:
        problems.add(["zip"], f"has {len(infos)} members; the limit is {limits.max_members}")
    files: list[zipfile.ZipInfo] = []
    total = 0
    for info in infos:
        name = info.filename
        if _ignored(name) or info.is_dir():
            continue
        reason = _hostile_reason(info)
        if reason:
            problems.add(["file", name], reason)
            continue
        total += info.file_size
        files.append(info)
    if total > limits.max_uncompressed_bytes:
        problems.add(
            ["zip"],
            f"unpacks to {total} bytes; the limit is {limits.max_uncompressed_bytes}",
        )
    compressed = sum(info.compress_size for info in files) or 1
    if total / compressed > limits.max_compression_ratio and total > 10 * 1024**2:
        problems.add(["zip"], f"compression ratio {total / compressed:.0f}:1 looks like a zip bomb")
    problems.raise_if_any("The zip archive was refused")
    return files


def _ignored(name: str) -> bool:
    return name.startswith(IGNORED_PREFIXES) or PurePosixPath(name).name in IGNORED_NAMES


def _hostile_reason(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = PurePosixPath(name).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute paths are not allowed in a dataset zip"
    if ".." in parts or "\\" in name:
        return "paths that leave the dataset folder ('..') are not allowed"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic links are not allowed in a dataset zip"
    if info.flag_bits & 0x1:
        return "encrypted members cannot be read; zip it again without a password"
    if name.lower().endswith(".zip"):
        return "nested zip archives are not supported; unpack it into the main zip"
    return None


def extract(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], target: Path) -> None:
    """Extracts the checked members under ``target`` (names were checked by member_files)."""
    root = target.resolve()
    for info in members:
        destination = (root / info.filename).resolve()
        if not destination.is_relative_to(root):  # belt and braces after _hostile_reason
            raise InvalidInput("The zip archive was refused", [])
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, destination.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1024 * 1024)
