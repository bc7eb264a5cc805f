"""`dlstudio dataset add` stores a zip exactly as the upload endpoint does, or nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.factories import image_zip

DLSTUDIO = Path(sys.executable).parent / "dlstudio"


def dlstudio(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DLSTUDIO_VAR_DIR": str(var_dir)}
    env.pop("DLSTUDIO_DATABASE_URL", None)
    return subprocess.run(
        [str(DLSTUDIO), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_dataset_add_stores_and_recognises_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "emotion.zip"
    archive.write_bytes(image_zip(per_class=3, salt=7000))
    first = dlstudio(tmp_path / "var", "dataset", "add", str(archive), "--name", "paper")
    assert first.returncode == 0, first.stderr
    assert "paper: stored as dataset 1 (9 images: anger 3, neutral 3, stress 3)" in first.stdout
    again = dlstudio(tmp_path / "var", "dataset", "add", str(archive))
    assert "already stored as dataset 1" in again.stdout
    listing = dlstudio(tmp_path / "var", "dataset", "list")
    assert "paper  (9 images: anger 3, neutral 3, stress 3)" in listing.stdout


def test_dataset_add_reports_every_problem_and_stores_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(
        image_zip(
            per_class=2,
            salt=7100,
            extra_rows=["emotion/anger/gone.png,anger", "emotion/anger/anger_000.png,anger"],
        )
    )
    result = dlstudio(tmp_path / "var", "dataset", "add", str(archive))
    assert result.returncode == 1
    assert "csv/labels.csv/row/8: file 'emotion/anger/gone.png' is not in the zip" in result.stderr
    assert (
        "csv/labels.csv/row/9: file 'emotion/anger/anger_000.png' is listed twice" in result.stderr
    )
    assert list((tmp_path / "var" / "storage" / "datasets").glob("*")) == []
    assert list((tmp_path / "var" / "storage" / "tmp").glob("*")) == []
    assert dlstudio(tmp_path / "var", "dataset", "list").stdout.strip() == ""
