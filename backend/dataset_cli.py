"""`dlstudio dataset ...`: the same ingestion as the upload endpoint, from a local file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backend.errors import DLStudioError

dataset_app = typer.Typer(no_args_is_help=True, help="Add and list datasets without the browser.")


@dataset_app.command("add")
def add(
    zip_path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A dataset zip")],
    name: Annotated[str | None, typer.Option(help="Dataset name [zip file name]")] = None,
    path_column: Annotated[str | None, typer.Option(help="CSV column of image paths")] = None,
    label_column: Annotated[str | None, typer.Option(help="CSV column of labels")] = None,
) -> None:
    """Validate and store a dataset zip (class folders, or images plus a CSV)."""
    from backend.datasets.csv_table import ColumnChoice
    from backend.datasets.service import Upload, ingest, receive_upload
    from backend.db.migrate import upgrade_to_head
    from backend.db.session import session_scope
    from backend.projects.repository import get_default_project
    from backend.settings import get_settings

    settings = get_settings()
    upgrade_to_head()
    with zip_path.open("rb") as source:
        received, content_hash = receive_upload(source, settings)
    upload = Upload(
        received, content_hash, zip_path.name, name, ColumnChoice(path_column, label_column)
    )
    try:
        with session_scope() as session:
            dataset, created = ingest(session, get_default_project(session), upload, settings)
            summary = _summary(dataset.id, dataset.name, dataset.class_counts, created)
            warnings = list(dataset.report.get("warnings", []))
    except DLStudioError as error:
        typer.echo(f"dlstudio dataset add: {error.message}", err=True)
        for problem in error.problems:
            typer.echo(f"  {'/'.join(map(str, problem.loc))}: {problem.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        received.unlink(missing_ok=True)
    typer.echo(summary)
    for warning in warnings:
        typer.echo(f"  warning: {warning}")


def _summary(dataset_id: int, name: str, counts: dict[str, int], created: bool) -> str:
    what = "stored as" if created else "already stored as"
    classes = ", ".join(f"{label} {count}" for label, count in counts.items())
    return f"{name}: {what} dataset {dataset_id} ({sum(counts.values())} images: {classes})"


@dataset_app.command("list")
def list_datasets() -> None:
    """List the stored datasets with their class counts."""
    from backend.datasets.repository import list_for_project
    from backend.db.migrate import upgrade_to_head
    from backend.db.session import session_scope
    from backend.projects.repository import get_default_project

    upgrade_to_head()
    with session_scope() as session:
        for dataset in list_for_project(session, get_default_project(session).id):
            classes = ", ".join(f"{k} {v}" for k, v in dataset.class_counts.items())
            typer.echo(f"{dataset.id:>5}  {dataset.name}  ({dataset.num_items} images: {classes})")
