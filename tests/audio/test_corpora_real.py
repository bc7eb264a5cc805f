"""The importers against the real RAVDESS and EMO-DB copies: counts as the README states them,
and the same label and speaker as each corpus's labels.csv for every file."""

from __future__ import annotations

import csv
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from tests.audio.conftest import SHARED_DATA
from worker.audio.corpora import CorpusScan, detect_corpus, parse_emodb, parse_ravdess, scan_folder
from worker.audio.corpora import scan_names as scan_listing


def readme_counts(folder: str) -> dict[str, int]:
    """anger / fear / neutral as the shared README's table states them for `folder`."""
    row = next(
        line for line in (SHARED_DATA / "README.md").read_text().splitlines()
        if line.startswith(f"| `{folder}/`")
    )  # fmt: skip
    match = re.search(r"\|\s*(\d+) / (\d+) / (\d+)\s*\|", row)
    assert match, row
    return dict(zip(("anger", "fear", "neutral"), map(int, match.groups()), strict=True))


def labels_csv(folder: Path) -> set[tuple[str, str, str]]:
    with (folder / "labels.csv").open(newline="") as handle:
        return {(r["path"], r["label"], r["speaker"]) for r in csv.DictReader(handle)}


def as_rows(scan: CorpusScan) -> set[tuple[str, str, str]]:
    return {(item.name, item.label, item.speaker) for item in scan.items}


def test_ravdess_counts_and_rows_match_the_readme_and_labels_csv(ravdess: Path) -> None:
    scan = scan_folder(ravdess)
    assert scan.problems == []
    assert Counter(i.label for i in scan.items) == readme_counts("ravdess-dev")
    assert dict(Counter(i.label for i in scan.items)) == {"anger": 96, "fear": 96, "neutral": 48}
    speakers = Counter(i.speaker for i in scan.items)
    assert sorted(speakers) == [f"{n:02d}" for n in range(1, 13)]
    assert set(speakers.values()) == {20}
    assert as_rows(scan) == labels_csv(ravdess)
    genders = {(i.speaker, i.metadata["gender"]) for i in scan.items}
    assert all((int(s) % 2 == 1) == (g == "male") for s, g in genders)
    assert {i.metadata["intensity"] for i in scan.items} == {"normal", "strong"}


def test_emodb_counts_and_rows_match_the_readme_and_labels_csv(emodb: Path) -> None:
    scan = scan_folder(emodb)
    assert scan.problems == []
    assert Counter(i.label for i in scan.items) == readme_counts("emodb-dev")
    assert dict(Counter(i.label for i in scan.items)) == {"anger": 72, "fear": 35, "neutral": 47}
    assert sorted({i.speaker for i in scan.items}) == ["03", "08", "09", "10", "11", "12"]
    assert as_rows(scan) == labels_csv(emodb)


def test_a_zipped_corpus_listing_gives_the_same_items(emodb: Path, tmp_path: Path) -> None:
    archive = tmp_path / "emodb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        for path in sorted(emodb.rglob("*")):
            zipped.write(path, f"emotion/{path.relative_to(emodb).as_posix()}")
    names = zipfile.ZipFile(archive).namelist()
    assert detect_corpus(names) == "emodb"
    scan = scan_listing(names, "emodb")
    prefix = len("emotion/")
    assert {(n[prefix:], label, s) for n, label, s in as_rows(scan)} == labels_csv(emodb)


def test_names_outside_the_scheme_are_reported_not_lost() -> None:
    scan = scan_listing(["a/03-01-05-01-02-01-02.wav", "a/notes.txt", "a/mystery.wav"], "ravdess")
    assert [i.recording for i in scan.items] == ["03-01-05-01-02-01-02"]
    assert scan.problems == [
        ("a/mystery.wav", "a/mystery.wav: not a RAVDESS name (MM-VV-EE-II-SS-RR-AA.wav)")
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("03-01-06-02-01-02-11.wav", ("fear", "11", "strong", "male")),
        ("03-01-01-01-02-01-24.wav", ("neutral", "24", "normal", "female")),
        ("03-02-08-02-02-02-04.wav", ("surprise", "04", "strong", "female")),
    ],
)
def test_ravdess_names(name: str, expected: tuple[str, str, str, str]) -> None:
    label, speaker, meta = parse_ravdess(name)
    assert (label, speaker, meta["intensity"], meta["gender"]) == expected


def test_emodb_names_and_bad_codes() -> None:
    assert parse_emodb("16b10Lb.wav")[:2] == ("boredom", "16")
    assert parse_emodb("03a01Wa.wav")[2] == {
        "corpus": "emodb", "sentence": "a01", "version": "a", "gender": "male"
    }  # fmt: skip
    with pytest.raises(ValueError, match="unknown RAVDESS emotion code 09"):
        parse_ravdess("03-01-09-01-01-01-01.wav")
    with pytest.raises(ValueError, match="not an EMO-DB name"):
        parse_emodb("03a01Xa.wav")
