"""Corpus importers for the worker: RAVDESS and EMO-DB listings as AudioItems to convert.

The name parsers live in backend.datasets.corpora (the API reads corpus zips too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from backend.datasets.audio_files import AUDIO_SUFFIXES
from backend.datasets.corpora import (
    PARSERS,
    Corpus,
    CorpusNameError,
    detect_corpus,
    parse_emodb,
    parse_ravdess,
)
from worker.audio.items import AudioItem

__all__ = [
    "CorpusScan",
    "detect_corpus",
    "parse_emodb",
    "parse_ravdess",
    "scan_folder",
    "scan_names",
]


@dataclass
class CorpusScan:
    items: list[AudioItem] = field(default_factory=list)
    # (name, reason) for audio files whose names the corpus does not explain: reported, not lost.
    problems: list[tuple[str, str]] = field(default_factory=list)


def scan_names(names: Iterable[str], corpus: Corpus, root: Path | None = None) -> CorpusScan:
    """Items for the audio names of a folder or zip listing, sorted by name; other files ignored."""
    scan = CorpusScan()
    parse = PARSERS[corpus]
    for name in sorted(names):
        if PurePosixPath(name).suffix.lower() not in AUDIO_SUFFIXES:
            continue
        try:
            label, speaker, metadata = parse(name)
        except CorpusNameError as error:
            scan.problems.append((name, str(error)))
            continue
        path = root / name if root is not None else Path(name)
        recording = PurePosixPath(name).stem
        scan.items.append(AudioItem(path, name, label, speaker, recording, metadata))
    return scan


def scan_folder(root: Path, corpus: Corpus | None = None) -> CorpusScan:
    """Walk `root` (any depth); the corpus is detected from the names when not given."""
    names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    chosen = corpus or detect_corpus(names)
    if chosen is None:
        return CorpusScan(problems=[(str(root), "no RAVDESS or EMO-DB file names found")])
    return scan_names(names, chosen, root)
