"""Audio checks done once at upload: every recording opens, and the report says what is there.

Headers only (no decoding): libsndfile through soundfile where installed (the worker
extra), else the standard library's WAV reader, so an API-only install still checks WAVs.
"""

from __future__ import annotations

import wave
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

from backend.errors import ProblemCollector

AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".mp3"}


def is_audio(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in AUDIO_SUFFIXES


def check_audio(root: Path, paths: list[str], problems: ProblemCollector) -> dict[str, Any]:
    rates: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    seconds = 0.0
    for path in paths:
        try:
            rate, count, frames = _header(root / path)
        except Exception as exc:  # each reader raises its own types for a broken file
            problems.add(["file", path], f"is not a readable audio file ({exc})")
            continue
        if frames == 0:
            problems.add(["file", path], "holds no audio samples")
            continue
        rates[f"{rate} Hz"] += 1
        channels["mono" if count == 1 else f"{count} channels"] += 1
        seconds += frames / rate
    return {"sample_rates": dict(rates), "channels": dict(channels), "seconds": round(seconds, 2)}


def _header(path: Path) -> tuple[int, int, int]:
    try:
        import soundfile
    except ImportError:
        with wave.open(str(path)) as reader:
            return reader.getframerate(), reader.getnchannels(), reader.getnframes()
    info = soundfile.info(str(path))
    return int(info.samplerate), int(info.channels), int(info.frames)
