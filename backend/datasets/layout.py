"""Works out (image, label) items from a zip's listing: a CSV of path,label, or class folders."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from backend.errors import ProblemCollector

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif"}
LABEL_COLUMN_NAMES = ("label", "class", "emotion", "category", "target", "y")


@dataclass
class Item:
    path: str  # member name inside the zip
    label: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Layout:
    items: list[Item]
    source: str  # "csv:<name>" or "folders"
    warnings: list[str] = field(default_factory=list)


def is_image(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES


def find_layout(
    names: list[str], read_text: Callable[[str], str], problems: ProblemCollector
) -> Layout:
    images = [name for name in names if is_image(name)]
    csvs = sorted((n for n in names if n.lower().endswith(".csv")), key=_depth_then_name)
    if csvs:
        return _from_csv(csvs[0], read_text(csvs[0]), set(images), problems)
    return _from_folders(images, problems)


def _depth_then_name(name: str) -> tuple[int, str]:
    return (len(PurePosixPath(name).parts), name)


def _from_folders(images: list[str], problems: ProblemCollector) -> Layout:
    items = []
    for name in images:
        parts = PurePosixPath(name).parts
        if len(parts) < 2:
            problems.add(["file", name], "images must sit in a folder named after their class")
            continue
        items.append(Item(path=name, label=parts[-2]))
    if not images:
        problems.add(["zip"], "holds no images (PNG, JPEG, BMP, TIFF, WebP) and no CSV")
    return Layout(items=items, source="folders")


def _from_csv(csv_name: str, text: str, images: set[str], problems: ProblemCollector) -> Layout:
    rows = list(csv.DictReader(io.StringIO(text)))
    columns = list(rows[0].keys()) if rows else []
    if not rows:
        problems.add(["csv", csv_name], "has no data rows")
        return Layout(items=[], source=f"csv:{csv_name}")
    base = PurePosixPath(csv_name).parent
    path_column = _path_column(columns, rows, base, images)
    label_column = _label_column(columns, path_column)
    if path_column is None or label_column is None:
        problems.add(
            ["csv", csv_name],
            f"needs a column of image paths and a label column; found columns {columns}",
        )
        return Layout(items=[], source=f"csv:{csv_name}")
    items = _csv_items(csv_name, rows, path_column, label_column, base, images, problems)
    listed = {item.path for item in items}
    unlisted = sorted(images - listed)
    warnings = []
    if unlisted:
        warnings.append(
            f"{len(unlisted)} image(s) are in the zip but not in {csv_name} and were left out, "
            f"e.g. {unlisted[0]}"
        )
    return Layout(items=items, source=f"csv:{csv_name}", warnings=warnings)


def _csv_items(
    csv_name: str,
    rows: list[dict[str, Any]],
    path_column: str,
    label_column: str,
    base: PurePosixPath,
    images: set[str],
    problems: ProblemCollector,
) -> list[Item]:
    items, seen = [], set()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        loc: list[str | int] = ["csv", csv_name, "row", number]
        raw = (row.get(path_column) or "").strip()
        label = (row.get(label_column) or "").strip()
        resolved = _resolve(raw, base, images)
        if resolved is None:
            problems.add(loc, f"file '{raw}' is not in the zip")
            continue
        if not label:
            problems.add(loc, f"the label ('{label_column}') is empty")
            continue
        if resolved in seen:
            problems.add(loc, f"file '{raw}' is listed twice")
            continue
        seen.add(resolved)
        extra = {k: v for k, v in row.items() if k not in (path_column, label_column) and k}
        items.append(Item(path=resolved, label=label, extra=extra))
    return items


def _resolve(raw: str, base: PurePosixPath, images: set[str]) -> str | None:
    raw = raw.replace("\\", "/")
    while raw.startswith("./"):
        raw = raw[2:]
    for candidate in (str(base / raw), raw):
        if candidate in images:
            return candidate
    return None


def _path_column(
    columns: list[str], rows: list[dict[str, Any]], base: PurePosixPath, images: set[str]
) -> str | None:
    # The path column is the one whose values resolve to files in the zip, not
    # the one with a particular name (peers trip on "file", "filename", "img").
    sample = rows[:200]
    best, best_hits = None, 0
    for column in columns:
        hits = sum(1 for row in sample if _resolve(str(row.get(column) or ""), base, images))
        if hits > best_hits:
            best, best_hits = column, hits
    return best


def _label_column(columns: list[str], path_column: str | None) -> str | None:
    others = [c for c in columns if c != path_column]
    for name in LABEL_COLUMN_NAMES:
        for column in others:
            if column.strip().lower() == name:
                return column
    return others[0] if len(others) == 1 else None
