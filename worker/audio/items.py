"""One recording to convert: where it is, its label, its speaker, and whatever else is known."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class AudioItem:
    path: Path  # readable file (for a zip listing: the member name, resolved by the caller)
    name: str  # as listed: relative to the corpus folder or the zip root, posix separators
    label: str
    speaker: str
    recording: str  # unique id; every segment carries it so splits keep a recording together
    metadata: dict[str, str] = field(default_factory=dict)
