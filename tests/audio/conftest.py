"""The shared real corpora (never copied into the repo): ../shared/data from the repo root."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def corpus_dir(name: str) -> Path:
    folder = SHARED_DATA / name
    if not (folder / "labels.csv").is_file():
        pytest.skip(f"real corpus {folder} is absent (see shared/data/README.md); skipping")
    return folder


@pytest.fixture
def ravdess() -> Path:
    return corpus_dir("ravdess-dev")


@pytest.fixture
def emodb() -> Path:
    return corpus_dir("emodb-dev")
