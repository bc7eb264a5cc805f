"""The paper experiment's comparison as CSV, Markdown or a printable HTML page: the
paper's Table II (train / validation accuracy and loss) plus test accuracy and balanced
accuracy with their 95% intervals, and each model's curves (the paper's figures 8-11)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from backend.compare.schemas import CompareRow, Estimate, PaperExperimentPublic, RunCurves
from backend.compare.svg import Series, line_chart

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
HEADERS = ["Model", "Status", "Train accuracy", "Val accuracy", "Train loss", "Val loss",
           "Test accuracy", "Test accuracy 95% CI", "Balanced accuracy",
           "Balanced accuracy 95% CI", "Parameters", "Seconds per epoch"]  # fmt: skip


@dataclass(frozen=True)
class TableRow:
    run_id: int
    cells: list[str]


def _num(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _ci(estimate: Estimate | None) -> str:
    if estimate is None or not estimate.ci95:
        return ""
    low, high = estimate.ci95
    return f"[{low:.4f}, {high:.4f}]"


def table(experiment: PaperExperimentPublic) -> list[TableRow]:
    labels = {m.run_id: m.label for m in experiment.models}
    return [TableRow(row.run_id, _cells(labels.get(row.run_id, row.model), row))
            for row in experiment.comparison.rows]  # fmt: skip


def _cells(label: str, row: CompareRow) -> list[str]:
    test, balanced = row.test_accuracy, row.balanced_accuracy
    return [
        label, row.status.value, _num(row.train_accuracy), _num(row.val_accuracy),
        _num(row.train_loss), _num(row.val_loss), _num(test.value if test else None), _ci(test),
        _num(balanced.value if balanced else None), _ci(balanced),
        "" if row.num_params is None else str(row.num_params), _num(row.seconds_per_epoch, 2),
    ]  # fmt: skip


def to_csv(experiment: PaperExperimentPublic) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(row.cells for row in table(experiment))
    return buffer.getvalue()


def to_markdown(experiment: PaperExperimentPublic) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") or "-" for c in cells) + " |"

    lines = [f"# {experiment.name}", "", line(HEADERS), "|" + "---|" * len(HEADERS)]
    lines += [line(row.cells) for row in table(experiment)]
    return "\n".join(lines) + "\n"


def _charts(curves: RunCurves) -> list[Markup]:
    def points(key: str) -> list[tuple[int, float | None]]:
        return list(zip(curves.epochs, curves.metrics.get(key, []), strict=False))

    accuracy = [Series("train", "#2563eb", points("accuracy")),
                Series("validation", "#dc2626", points("val_accuracy"), dashed=True)]
    loss = [Series("train", "#2563eb", points("loss")),
            Series("validation", "#dc2626", points("val_loss"), dashed=True)]  # fmt: skip
    # Our own markup with every label escaped in line_chart.
    return [Markup(line_chart("Accuracy", accuracy, (0.0, 1.0))),
            Markup(line_chart("Loss", loss))]  # fmt: skip


def to_html(experiment: PaperExperimentPublic) -> str:
    labels = {m.run_id: m.label for m in experiment.models}
    figures = [{"label": labels.get(c.run_id, str(c.run_id)), "run_id": c.run_id,
                "charts": _charts(c)} for c in experiment.comparison.curves]  # fmt: skip
    hp = experiment.spec.get("hyperparameters", {})
    return TEMPLATES.get_template("report.html").render(
        experiment=experiment, headers=HEADERS, rows=table(experiment), figures=figures,
        spec=experiment.spec, hyperparameters=hp,
    )  # fmt: skip
