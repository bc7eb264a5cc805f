"""The leakage audit on real image files: groups, recordings, exact and near-duplicates."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance

from backend.splits import hashing
from backend.splits.assign import SplitItem
from backend.splits.audit import audit
from backend.splits.schemas import LeakageAudit, PartName

Parts = dict[PartName, list[int]]


def textured(seed: int, size: int = 64) -> Image.Image:
    """Smooth random structure, as a photo or a spectrogram has; no two seeds alike."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    return Image.fromarray(coarse).resize((size, size), Image.Resampling.BICUBIC)


def slightly_altered(image: Image.Image) -> Image.Image:
    """Brighter by 5 %, through JPEG, two pixels painted: the same picture to a person."""
    buffer = io.BytesIO()
    ImageEnhance.Brightness(image).enhance(1.05).save(buffer, format="JPEG", quality=85)
    altered = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    altered.putpixel((3, 3), (255, 255, 255))
    altered.putpixel((40, 20), (0, 0, 0))
    return altered


def kinds(report: LeakageAudit) -> dict[str, int]:
    return {leak.kind: leak.count for leak in report.leaks}


def test_a_speaker_on_both_sides_is_a_group_leak() -> None:
    items = [SplitItem(n, "anger", {"speaker": "03" if n < 4 else "08"}) for n in range(8)]
    parts: Parts = {"train": [0, 1, 2], "validation": [], "test": [3, 4, 5, 6, 7]}
    report = audit(items, parts, ["speaker"], None, None)
    assert not report.clean and kinds(report) == {"group": 1}
    leak = report.leaks[0]
    assert leak.column == "speaker"
    assert leak.examples == [{"value": "03", "parts": {"train": 3, "test": 1}}]
    fixed: Parts = {"train": [0, 1, 2, 3], "validation": [], "test": [4, 5, 6, 7]}
    assert audit(items, fixed, ["speaker"], None, None).clean


def test_segments_of_one_recording_on_both_sides_leak_even_without_a_group_column() -> None:
    items = [
        SplitItem(n, "fear", {"recording": f"03a0{n // 3}Aa", "segment": n % 3}) for n in range(6)
    ]
    parts: Parts = {"train": [0, 1, 3, 4, 5], "validation": [2], "test": []}
    report = audit(items, parts, [], "recording", None)
    assert kinds(report) == {"source_recording": 1}
    assert report.leaks[0].examples[0] == {"value": "03a00Aa",
                                           "parts": {"train": 2, "validation": 1}}  # fmt: skip
    assert "source_recording:recording" in report.checked


def test_exact_and_near_duplicate_images_across_parts_are_found(tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    folder.mkdir()
    original = textured(1)
    files = {
        "a/original.png": original,
        "b/same_pixels_other_name.png": original,
        "b/altered.png": slightly_altered(original),
        "a/other.png": textured(2),
        "b/another.png": textured(3),
    }
    for name, image in files.items():
        (folder / name).parent.mkdir(exist_ok=True)
        image.save(folder / name)
    paths = list(files)
    items = [SplitItem(n, "x", path=p) for n, p in enumerate(paths)]
    prints = hashing.fingerprints(tmp_path, "dataset", paths)
    by_id = {n: prints[p] for n, p in enumerate(paths)}
    parts: Parts = {"train": [0, 3], "validation": [], "test": [1, 2, 4]}
    report = audit(items, parts, [], None, by_id)
    assert kinds(report) == {"exact_duplicate": 1, "near_duplicate": 1}
    exact, near = report.leaks
    assert [i["path"] for i in exact.examples[0]["items"]] == [paths[0], paths[1]]
    assert [i["path"] for i in near.examples[0]["items"]] == [paths[0], paths[2]]
    assert near.examples[0]["distance"] <= hashing.NEAR_DUPLICATE_BITS
    # The same pictures on one side are no leak.
    together: Parts = {"train": [0, 1, 2], "validation": [3], "test": [4]}
    assert audit(items, together, [], None, by_id).clean


def test_distinct_images_are_far_apart_and_copies_close() -> None:
    distances = [
        hashing.hamming(hashing.dhash(textured(a)), hashing.dhash(textured(b)))
        for a, b in zip(range(0, 40), range(40, 80), strict=True)
    ]
    assert min(distances) > 2 * hashing.NEAR_DUPLICATE_BITS
    copies = [
        hashing.hamming(hashing.dhash(textured(s)), hashing.dhash(slightly_altered(textured(s))))
        for s in range(20)
    ]
    assert max(copies) <= hashing.NEAR_DUPLICATE_BITS


def test_fingerprints_are_cached_so_a_second_audit_reads_no_image(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    textured(5).save(folder / "one.png")
    first = hashing.fingerprints(tmp_path, "files", ["one.png", "missing.png"])
    assert list(first) == ["one.png"]  # a missing file is left to the worker to report
    (folder / "one.png").unlink()
    assert hashing.fingerprints(tmp_path, "files", ["one.png"]) == first
