"""convert_recordings on synthetic files and on two real speakers of each corpus: every image's
CSV row keeps its source recording and speaker, and the counts add up."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from backend.audio_recipe import SegmentRecipe, SpectrogramRecipe
from tests.audio.synth import burst, write
from worker.audio.convert import convert_recordings
from worker.audio.corpora import scan_folder
from worker.audio.items import AudioItem
from worker.audio.pipeline import render_recording

SMALL = SpectrogramRecipe(width=120, height=90)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def check_dataset(out: Path, items: list[AudioItem], rows: list[dict[str, str]]) -> None:
    by_recording = {item.recording: item for item in items}
    for row in rows:
        source = by_recording[row["recording"]]
        assert (row["label"], row["speaker"], row["source"]) == (
            source.label, source.speaker, source.name
        )  # fmt: skip
        assert row["path"] == f"{source.label}/{source.recording}_{int(row['segment']):03d}.png"
        # The CSV rounds to 0.1 ms.
        assert (
            0 <= float(row["start_s"]) < float(row["end_s"]) <= sf.info(source.path).duration + 1e-4
        )
        assert (out / row["path"]).is_file()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png")) == sorted(
        r["path"] for r in rows
    )


def test_synthetic_recordings_segments_and_skips(tmp_path: Path) -> None:
    rate = 16000
    loud = write(tmp_path / "loud.wav", burst(rate, 0.5, 2.0, 0.5), rate)
    silent = write(tmp_path / "silent.wav", np.zeros(rate, dtype=np.float32), rate)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"nope")
    items = [
        AudioItem(loud, "loud.wav", "anger", "s1", "loud", {"take": "1"}),
        AudioItem(silent, "silent.wav", "neutral", "s2", "silent"),
        AudioItem(broken, "broken.wav", "fear", "s3", "broken"),
    ]
    recipe = SMALL.model_copy(update={"segment": SegmentRecipe(length_s=1.0, hop_s=0.5)})
    seen: list[tuple[int, int]] = []
    report = convert_recordings(
        items, recipe, tmp_path / "out", workers=1, progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    rows = read_rows(report.csv_path)
    # ~2.1-2.3 s voiced (burst + padding + hangover): windows at 0, .5, 1, (1.5 tail if >= .5 s)
    assert 3 <= len(rows) == report.segments <= 4
    assert report.per_class == Counter({"anger": len(rows)})
    assert [name for name, _ in report.skipped] == ["silent.wav", "broken.wav"]
    assert "broken.wav: cannot read audio" in report.skipped[1][1]
    assert rows[0]["take"] == "1" and report.audio_seconds == pytest.approx(
        3.0 + 1.0
    )  # the broken file adds none
    check_dataset(tmp_path / "out", items, rows)


def test_duplicate_recording_ids_are_refused(tmp_path: Path) -> None:
    item = AudioItem(tmp_path / "a.wav", "x/a.wav", "anger", "1", "a")
    twin = AudioItem(tmp_path / "b.wav", "y/a.wav", "anger", "1", "a")
    with pytest.raises(ValueError, match=r"x/a\.wav"):
        convert_recordings([item, twin], SMALL, tmp_path / "out")


@pytest.mark.parametrize("corpus", ["ravdess", "emodb"])
def test_two_real_speakers_convert_in_a_pool(
    corpus: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder: Path = request.getfixturevalue(corpus)
    items = scan_folder(folder).items
    speakers = sorted({i.speaker for i in items})[:2]
    subset = [i for i in items if i.speaker in speakers]
    calls: list[int] = []
    report = convert_recordings(
        subset, SMALL, tmp_path, workers=2, progress=lambda done, _: calls.append(done)
    )
    assert sorted(calls) == list(range(1, len(subset) + 1))
    rows = read_rows(report.csv_path)
    check_dataset(tmp_path, subset, rows)
    assert report.skipped == []  # every real recording has voiced speech
    assert {r["recording"] for r in rows} == {i.recording for i in subset}
    assert report.per_speaker == Counter(r["speaker"] for r in rows)
    assert set(report.per_speaker) == set(speakers)
    assert report.per_class == Counter(r["label"] for r in rows)
    assert set(report.per_class) == {"anger", "fear", "neutral"}
    # The stored palette PNG decodes to exactly what prediction renders from the raw file.
    with Image.open(tmp_path / rows[0]["path"]) as stored:
        assert (stored.mode, stored.size) == ("P", (120, 90))
        fresh = render_recording(subset[0].path, SMALL).images[0]
        assert stored.convert("RGB").tobytes() == fresh.tobytes()


def test_a_real_recording_at_the_papers_size_for_prediction(ravdess: Path) -> None:
    item = scan_folder(ravdess).items[0]
    stored = SpectrogramRecipe().model_dump()  # as kept with the dataset version
    rendered = render_recording(item.path, SpectrogramRecipe.model_validate(stored))
    assert 0.2 < rendered.kept_fraction < 1.0  # RAVDESS files are about half silence
    assert rendered.segments and all(isinstance(i, Image.Image) for i in rendered.images)
    assert {(i.size, i.mode) for i in rendered.images} == {((1200, 900), "RGB")}
