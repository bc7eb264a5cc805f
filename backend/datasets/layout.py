"""Works out (image, label) items from a zip's listing: CSVs of path,label, or class folders.

Layouts, in order of precedence: a top-level ``train.csv`` (with ``test.csv``, if
present, as a fixed test split); else the shallowest CSV; else class folders
(``<anything>/<class>/<image>``) labelled by folder name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from backend.datasets import corpora
from backend.datasets.audio_files import is_audio
from backend.datasets.csv_table import ColumnChoice, Table, choose_columns, read_table, resolve_path
from backend.errors import ProblemCollector

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif"}


@dataclass
class Item:
    path: str  # member name inside the zip
    label: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Layout:
    items: list[Item]
    source: str  # "csv:<name>[,<name>]", "corpus:<name>" or "folders"
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    kind: str = "image"  # or "audio": recordings to convert to spectrograms


def is_image(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES


def find_layout(
    names: list[str],
    read_text: Callable[[str], str],
    problems: ProblemCollector,
    choice: ColumnChoice | None = None,
) -> Layout:
    images = [name for name in names if is_image(name)]
    audio = [name for name in names if is_audio(name)]
    kind, files = ("audio", audio) if audio and not images else ("image", images)
    layout = _layout_of(files, kind, names, read_text, problems, choice or ColumnChoice())
    layout.kind = kind
    if images and audio:
        layout.warnings.append(f"{len(audio)} audio file(s) were ignored: the zip holds images")
    return layout


def _layout_of(
    files: list[str],
    kind: str,
    names: list[str],
    read_text: Callable[[str], str],
    problems: ProblemCollector,
    choice: ColumnChoice,
) -> Layout:
    csvs = sorted((n for n in names if n.lower().endswith(".csv")), key=_depth_then_name)
    if not csvs:
        corpus = corpus_layout(files) if kind == "audio" else None
        return corpus if corpus is not None else _from_folders(files, problems)
    splits = _split_csvs(csvs)
    tables = {split: read_table(name, read_text(name)) for split, name in splits.items()}
    layout = _from_tables(tables, set(files), choice, problems)
    ignored = [name for name in csvs if name not in splits.values()]
    if ignored:
        layout.warnings.append(f"only {', '.join(splits.values())} was read; ignored {ignored}")
    return layout


def corpus_layout(files: list[str]) -> Layout | None:
    """Labels and speakers from a known corpus's file names (RAVDESS, EMO-DB), if they fit."""
    listing = corpora.read_listing(files)
    if listing is None:
        return None
    items = [
        Item(path=e.name, label=e.label,
             extra={"speaker": e.speaker, "recording": e.recording, **e.metadata})
        for e in listing.entries
    ]  # fmt: skip
    warnings = [f"{name}: left out ({reason})" for name, reason in listing.problems[:20]]
    return Layout(items=items, source=f"corpus:{listing.corpus}", warnings=warnings)


def _split_csvs(csvs: list[str]) -> dict[str, str]:
    top = {name.lower(): name for name in csvs if "/" not in name}
    if "train.csv" in top:
        return {"train": top["train.csv"]} | (
            {"test": top["test.csv"]} if "test.csv" in top else {}
        )
    return {"all": csvs[0]}


def _depth_then_name(name: str) -> tuple[int, str]:
    return (len(PurePosixPath(name).parts), name)


def _from_folders(images: list[str], problems: ProblemCollector) -> Layout:
    items = []
    for name in images:
        parts = PurePosixPath(name).parts
        if len(parts) < 2:
            problems.add(["file", name], "files must sit in a folder named after their class")
            continue
        items.append(Item(path=name, label=parts[-2]))
    if not images:
        problems.add(
            ["zip"],
            "holds no images (PNG, JPEG, BMP, TIFF, WebP), no audio (WAV, "
            "FLAC, OGG, MP3) and no CSV",
        )
    return Layout(items=items, source="folders")


def _from_tables(
    tables: dict[str, Table], images: set[str], choice: ColumnChoice, problems: ProblemCollector
) -> Layout:
    items: list[Item] = []
    seen: set[str] = set()
    columns: dict[str, str] = {}
    for split, table in tables.items():
        if not table.rows:
            problems.add(["csv", table.name], "has no data rows")
            continue
        chosen = choose_columns(table, choice, images, problems)
        if chosen is None:
            continue
        columns = {"path": chosen[0], "label": chosen[1]}
        tag = {} if split == "all" else {"split": split}
        items += _rows_to_items(table, chosen, images, seen, tag, problems)
    layout = Layout(
        items=items, source="csv:" + ",".join(t.name for t in tables.values()), columns=columns
    )
    unlisted = sorted(images - seen)
    if unlisted and items:
        layout.warnings.append(
            f"{len(unlisted)} image(s) are in the zip but in no CSV and were left out, "
            f"e.g. {unlisted[0]}"
        )
    return layout


def _rows_to_items(
    table: Table,
    columns: tuple[str, str],
    images: set[str],
    seen: set[str],
    tag: dict[str, str],
    problems: ProblemCollector,
) -> list[Item]:
    path_column, label_column = columns
    base = PurePosixPath(table.name).parent
    items = []
    for number, row in enumerate(table.rows, start=2):  # row 1 is the header
        loc: list[str | int] = ["csv", table.name, "row", number]
        raw, label = row.get(path_column, ""), row.get(label_column, "")
        resolved = resolve_path(raw, base, images)
        if resolved is None:
            problems.add(loc, f"file '{raw}' is not in the zip")
        elif not label:
            problems.add(loc, f"the label ('{label_column}') is empty")
        elif resolved in seen:
            problems.add(loc, f"file '{raw}' is listed twice")
        else:
            seen.add(resolved)
            extra = {k: v for k, v in row.items() if k not in columns} | tag
            items.append(Item(path=resolved, label=label, extra=extra))
    return items
