"""Hostile zips and image variants, on the ingestion functions with small limits."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from backend.datasets.archive import ArchiveLimits, member_files
from backend.datasets.images import check_images
from backend.errors import InvalidInput, ProblemCollector

LIMITS = ArchiveLimits(max_members=10, max_uncompressed_bytes=50 * 1024**2)


def archive_of(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def refused(
    archive: zipfile.ZipFile, limits: ArchiveLimits = LIMITS
) -> dict[tuple[object, ...], str]:
    with pytest.raises(InvalidInput) as caught:
        member_files(archive, limits)
    assert caught.value.message == "The zip archive was refused"
    found: dict[tuple[object, ...], str] = {}
    for problem in caught.value.problems:  # one location may carry several problems
        found[problem.loc] = " | ".join(filter(None, [found.get(problem.loc), problem.message]))
    return found


def test_symlinks_absolute_paths_and_escapes_are_each_named() -> None:
    link = zipfile.ZipInfo("data/a/link.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    problems = refused(
        archive_of(
            [
                (link, b"/etc/passwd"),
                ("/abs/x.png", b"x"),
                ("data/../../x.png", b"x"),
                ("data/a/ok.png", b"x"),
            ]
        )
    )
    assert (
        problems[("file", "data/a/link.png")] == "symbolic links are not allowed in a dataset zip"
    )
    assert "absolute paths" in problems[("file", "/abs/x.png")]
    assert "'..'" in problems[("file", "data/../../x.png")]
    assert ("file", "data/a/ok.png") not in problems


def test_encrypted_members_are_refused() -> None:
    # zipfile cannot write encrypted members: set the "encrypted" flag bit in the
    # local header and the central directory as a password-protecting zip tool does.
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("data/a/secret.png", b"x")
    raw = bytearray(plain.getvalue())
    raw[6] |= 0x1  # local file header flags
    central = raw.find(b"PK\x01\x02")
    raw[central + 8] |= 0x1
    problems = refused(zipfile.ZipFile(io.BytesIO(bytes(raw))))
    assert "encrypted" in problems[("file", "data/a/secret.png")]


def test_too_many_members_and_zip_bombs() -> None:
    many = archive_of([(f"data/a/{i}.png", b"x") for i in range(11)])
    assert refused(many)[("zip",)] == "has 11 members; the limit is 10"
    bomb = archive_of([("data/a/zeros.png", b"\0" * (60 * 1024**2))])
    problems = refused(bomb)
    assert "unpacks to 62914560 bytes; the limit is 52428800" in problems[("zip",)]
    ratio = archive_of([("data/a/zeros.png", b"\0" * (20 * 1024**2))])
    assert "looks like a zip bomb" in refused(ratio)[("zip",)]


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [
        ("PNG", "L"),
        ("PNG", "RGBA"),
        ("PNG", "P"),
        ("JPEG", "RGB"),
        ("BMP", "RGB"),
        ("TIFF", "RGB"),
        ("WEBP", "RGB"),
    ],
)
def test_image_formats_and_modes_are_read(tmp_path: Path, fmt: str, mode: str) -> None:
    Image.new(mode, (20, 10)).save(tmp_path / f"x.{fmt.lower()}", format=fmt)
    problems = ProblemCollector()
    summary = check_images(tmp_path, [f"x.{fmt.lower()}"], 10_000, problems)
    assert not problems, problems.problems
    assert summary["sizes"] == {"20x10": 1}


def test_decompression_bombs_and_truncated_images_are_named(tmp_path: Path) -> None:
    Image.new("RGB", (200, 200)).save(tmp_path / "huge.png")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (9, 9, 9)).save(buffer, format="JPEG")
    (tmp_path / "cut.jpg").write_bytes(buffer.getvalue()[:300])
    problems = ProblemCollector()
    check_images(tmp_path, ["huge.png", "cut.jpg"], 10_000, problems)
    found = {p.loc: p.message for p in problems.problems}
    assert found[("file", "huge.png")].startswith("is 200x200 pixels; the limit is 10000 pixels")
    assert "not a readable image" in found[("file", "cut.jpg")]
