""".keras import: a saved Keras model's architecture as a new graph (weights are not read).

Pure Python (zipfile + json): the API never imports Keras. See archive.py for the file,
convert.py for layers -> nodes, backbones.py for nested networks.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import IO

from sqlalchemy.orm import Session

from backend.graphs import service
from backend.graphs.importer.archive import read_config
from backend.graphs.importer.convert import Imported, convert
from backend.models.graph import Graph
from backend.models.project import Project

__all__ = ["Imported", "convert", "import_keras_file", "read_config"]
MAX_MESSAGE = 2000  # GraphVersionCreate's limit


def import_keras_file(
    session: Session, project: Project, file: IO[bytes], filename: str, name: str | None
) -> Graph:
    """A new graph whose first version is the file's architecture; 422 lists every problem."""
    imported = convert(read_config(file, filename), filename)
    message = f"Imported from {filename} (architecture only; weights not imported)"
    if imported.notes:
        message += ". Note: " + "; ".join(imported.notes)
    graph_name = (name or "").strip() or PurePath(filename).stem or "imported"
    return service.create_graph(
        session, project, graph_name[:200], imported.document, message[:MAX_MESSAGE]
    )
