"""Corpora whose file names carry the labels: RAVDESS and Berlin EMO-DB.

Pure Python, shared by the API (an uploaded corpus zip becomes a labelled audio
dataset with speakers) and the worker. Label names follow the shared data's
labels.csv (anger, fear, neutral, ...), so a corpus read from its names and one
read from a CSV agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal

from backend.datasets.audio_files import AUDIO_SUFFIXES

Corpus = Literal["ravdess", "emodb"]

RAVDESS_EMOTIONS = {
    "01": "neutral", "02": "calm", "03": "happiness", "04": "sadness",
    "05": "anger", "06": "fear", "07": "disgust", "08": "surprise",
}  # fmt: skip
RAVDESS_MODALITY = {"01": "audio-video", "02": "video-only", "03": "audio-only"}
RAVDESS_CHANNEL = {"01": "speech", "02": "song"}
RAVDESS_INTENSITY = {"01": "normal", "02": "strong"}
RAVDESS_STATEMENTS = {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"}
RAVDESS_NAME = re.compile(r"^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)$")

# German initials: W Ärger, L Langeweile, E Ekel, A Angst, F Freude, T Trauer, N neutral.
EMODB_EMOTIONS = {
    "W": "anger", "L": "boredom", "E": "disgust", "A": "fear",
    "F": "happiness", "T": "sadness", "N": "neutral",
}  # fmt: skip
EMODB_SPEAKERS = {
    "03": "male", "08": "female", "09": "female", "10": "male", "11": "male",
    "12": "male", "13": "female", "14": "female", "15": "male", "16": "female",
}  # fmt: skip
EMODB_NAME = re.compile(r"^(\d\d)([ab]\d\d)([WLEAFTN])([a-z])$")


class CorpusNameError(ValueError):
    """A file name that does not follow the corpus's naming scheme."""


def parse_ravdess(name: str) -> tuple[str, str, dict[str, str]]:
    """(label, speaker, metadata) from `MM-VV-EE-II-SS-RR-AA.wav`."""
    match = RAVDESS_NAME.match(PurePosixPath(name).stem)
    if not match:
        raise CorpusNameError(f"{name}: not a RAVDESS name (MM-VV-EE-II-SS-RR-AA.wav)")
    modality, channel, emotion, intensity, statement, repetition, actor = match.groups()
    checks = [
        ("modality", modality, RAVDESS_MODALITY), ("vocal channel", channel, RAVDESS_CHANNEL),
        ("emotion", emotion, RAVDESS_EMOTIONS), ("intensity", intensity, RAVDESS_INTENSITY),
        ("statement", statement, RAVDESS_STATEMENTS),
    ]  # fmt: skip
    for what, code, table in checks:
        if code not in table:
            raise CorpusNameError(f"{name}: unknown RAVDESS {what} code {code}")
    if not 1 <= int(actor) <= 24 or repetition not in ("01", "02"):
        raise CorpusNameError(f"{name}: RAVDESS actor must be 01-24 and repetition 01-02")
    metadata = {
        "corpus": "ravdess", "modality": RAVDESS_MODALITY[modality],
        "vocal_channel": RAVDESS_CHANNEL[channel], "intensity": RAVDESS_INTENSITY[intensity],
        "sentence": statement, "repetition": repetition,
        # RAVDESS numbers its actors so that odd ones are male and even ones female.
        "gender": "male" if int(actor) % 2 else "female",
    }  # fmt: skip
    return RAVDESS_EMOTIONS[emotion], actor, metadata


def parse_emodb(name: str) -> tuple[str, str, dict[str, str]]:
    """(label, speaker, metadata) from `SSTTTEv.wav`, e.g. 03a01Wa.wav."""
    match = EMODB_NAME.match(PurePosixPath(name).stem)
    if not match:
        raise CorpusNameError(f"{name}: not an EMO-DB name (SSTTTEv.wav, e.g. 03a01Wa.wav)")
    speaker, text, emotion, version = match.groups()
    metadata = {"corpus": "emodb", "sentence": text, "version": version}
    if speaker in EMODB_SPEAKERS:
        metadata["gender"] = EMODB_SPEAKERS[speaker]
    return EMODB_EMOTIONS[emotion], speaker, metadata


PARSERS = {"ravdess": parse_ravdess, "emodb": parse_emodb}


def detect_corpus(names: Iterable[str]) -> Corpus | None:
    """The corpus whose scheme explains most audio names, or None when neither explains any."""
    stems = [
        PurePosixPath(n).stem for n in names if PurePosixPath(n).suffix.lower() in AUDIO_SUFFIXES
    ]
    ravdess = sum(bool(RAVDESS_NAME.match(s)) for s in stems)
    emodb = sum(bool(EMODB_NAME.match(s)) for s in stems)
    if not ravdess and not emodb:
        return None
    return "ravdess" if ravdess >= emodb else "emodb"


@dataclass(frozen=True)
class CorpusEntry:
    name: str  # as listed in the zip or folder
    label: str
    speaker: str
    recording: str
    metadata: dict[str, str]


@dataclass
class CorpusListing:
    corpus: Corpus
    entries: list[CorpusEntry] = field(default_factory=list)
    # (name, reason) for audio names the corpus does not explain: reported, not lost.
    problems: list[tuple[str, str]] = field(default_factory=list)


def read_listing(names: Iterable[str], corpus: Corpus | None = None) -> CorpusListing | None:
    """Entries for the audio names of a listing, sorted; None when no corpus explains them."""
    audio = sorted(n for n in names if PurePosixPath(n).suffix.lower() in AUDIO_SUFFIXES)
    chosen = corpus or detect_corpus(audio)
    if chosen is None:
        return None
    listing = CorpusListing(chosen)
    for name in audio:
        try:
            label, speaker, metadata = PARSERS[chosen](name)
        except CorpusNameError as error:
            listing.problems.append((name, str(error)))
            continue
        entry = CorpusEntry(name, label, speaker, PurePosixPath(name).stem, metadata)
        listing.entries.append(entry)
    return listing
