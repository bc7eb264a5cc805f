"""Reading a dataset's CSV the way researchers actually write them.

Delimiter sniffed (comma, semicolon, tab, pipe), UTF-8 with or without BOM or
Latin-1, CRLF or LF, quoted fields. The path column is found by what its values
are (files in the zip), not by its name; the label column by name, or as the only
other column; the user can name either explicitly.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from backend.errors import ProblemCollector

LABEL_COLUMN_NAMES = ("label", "class", "emotion", "category", "target", "y")
DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class ColumnChoice:
    path_column: str | None = None
    label_column: str | None = None


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[dict[str, str]]
    delimiter: str


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # every byte decodes: never fails, may be the wrong guess


def read_table(name: str, text: str) -> Table:
    sample = text[: 64 * 1024]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    columns = [c.strip() for c in (reader.fieldnames or []) if c]
    return Table(name=name, columns=columns, rows=rows, delimiter=delimiter)


def resolve_path(raw: str, base: PurePosixPath, images: set[str]) -> str | None:
    """A CSV path relative to the CSV's folder or to the zip root, as a member name."""
    raw = raw.replace("\\", "/")
    while raw.startswith("./"):
        raw = raw[2:]
    for candidate in (str(base / raw), raw):
        if candidate in images:
            return candidate
    return None


def choose_columns(
    table: Table, choice: ColumnChoice, images: set[str], problems: ProblemCollector
) -> tuple[str, str] | None:
    base = PurePosixPath(table.name).parent
    path_column = choice.path_column or _detect_path_column(table, base, images)
    label_column = choice.label_column or _detect_label_column(table.columns, path_column)
    for field, column in (
        ("path_column", choice.path_column),
        ("label_column", choice.label_column),
    ):
        if column is not None and column not in table.columns:
            problems.add(
                ["form", field],
                f"'{column}' is not a column of {table.name}; its columns are {table.columns}",
            )
            return None
    if path_column is None or label_column is None:
        problems.add(
            ["csv", table.name],
            f"needs a column of image paths and a label column; found columns "
            f"{table.columns}. Name them with path_column and label_column",
        )
        return None
    return path_column, label_column


def _detect_path_column(table: Table, base: PurePosixPath, images: set[str]) -> str | None:
    sample = table.rows[:200]
    best, best_hits = None, 0
    for column in table.columns:
        hits = sum(1 for row in sample if resolve_path(row.get(column, ""), base, images))
        if hits > best_hits:
            best, best_hits = column, hits
    return best


def _detect_label_column(columns: list[str], path_column: str | None) -> str | None:
    others = [c for c in columns if c != path_column]
    for name in LABEL_COLUMN_NAMES:
        for column in others:
            if column.lower() == name:
                return column
    return others[0] if len(others) == 1 else None
