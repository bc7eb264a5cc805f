"""The paper's experiment in one action: ResNet50, WideResNet, SqueezeNet and InceptionV3,
each with global max pooling + Dense 512 + Dense N softmax, trained with identical
hyperparameters on one split, queued together and read back as one comparison.

One input size for all four: the comparison is then about the architecture alone. That
size must suit every backbone, so the floor is the largest minimum (InceptionV3's 75).
The split is computed once and stored on every run, so all four see the same items.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.compare import service as compare
from backend.compare.schemas import (
    PaperExperimentCreate,
    PaperExperimentPublic,
    PaperExperimentSummary,
    PaperModel,
    ReportLinks,
)
from backend.datasets import repository as datasets
from backend.errors import NotFound, ProblemCollector
from backend.graph.backbones import BACKBONES
from backend.graphs import repository as graphs_repository
from backend.graphs import service as graphs
from backend.graphs.templates import PAPER_BACKBONES, paper_template
from backend.models.dataset import Dataset
from backend.models.experiment import Experiment
from backend.models.project import Project
from backend.models.run import Run, RunStatus
from backend.runs import service as runs
from backend.runs.hyperparameters import Hyperparameters
from backend.runs.hyperparameters import validate as hyperparameter_rules
from backend.runs.hyperparameters.presets import PRESETS
from backend.runs.schemas import RunCreate
from backend.splits import service as splits
from backend.splits.leaks import refuse_unless_overridden

KIND = "paper"
MIN_SIZE = max(BACKBONES[arch].min_size for arch, _ in PAPER_BACKBONES.values())


def paper_hyperparameters() -> Hyperparameters:
    return next(p.hyperparameters for p in PRESETS if p.key == "paper")


def create(
    session: Session, project: Project, body: PaperExperimentCreate, storage_root: Path
) -> Experiment:
    hp = body.hyperparameters or paper_hyperparameters()
    dataset = _check(session, project, body, hp)
    plan = splits.plan(dataset, body.split, storage_root)
    override = (body.leakage_override or "").strip() or None
    refuse_unless_overridden(plan.preview.audit, override)  # before anything is stored
    versions = _create_graphs(session, project, body, len(dataset.classes))
    name = body.name or f"The paper's four models on {dataset.name} ({body.size} px)"
    split = body.split.model_dump(mode="json")
    experiment = Experiment(
        project_id=project.id, name=name, kind=KIND, dataset_id=dataset.id,
        graph_version_id=versions[0][1], spec={
            "size": body.size, "weights": body.weights, "split": split,
            "hyperparameters": hp.model_dump(mode="json"), "leakage_override": override,
        },
    )  # fmt: skip
    session.add(experiment)
    session.flush()
    models: list[dict[str, Any]] = []
    for label, version_id, graph_id in versions:
        run_body = RunCreate(graph_version_id=version_id, dataset_id=dataset.id,
                             name=f"{label} on {dataset.name} ({name})"[:200], hyperparameters=hp,
                             split=body.split, leakage_override=override)  # fmt: skip
        checked_dataset, version = runs.check_request(session, project, run_body)
        run = runs.insert_run(session, project, run_body, checked_dataset, version, split, plan,
                              experiment_id=experiment.id)  # fmt: skip
        models.append({"label": label, "graph_id": graph_id, "graph_version_id": version_id,
                       "run_id": run.id})  # fmt: skip
    experiment.spec = {**experiment.spec, "models": models}
    session.commit()
    return experiment


def _check(
    session: Session, project: Project, body: PaperExperimentCreate, hp: Hyperparameters
) -> Dataset:
    """Every reason not to start, before any graph or run is stored."""
    problems = ProblemCollector()
    dataset = datasets.get(session, project.id, body.dataset_id)
    if dataset is None:
        problems.add(["body", "dataset_id"], f"dataset {body.dataset_id} does not exist")
    elif dataset.kind != "image":
        problems.add(["body", "dataset_id"],
                     f"dataset '{dataset.name}' holds {dataset.kind} recordings; convert it to "
                     "spectrogram images first")  # fmt: skip
    if body.size < MIN_SIZE:
        problems.add(["body", "size"],
                     f"all four models share one input size, and InceptionV3 needs at least "
                     f"{MIN_SIZE}x{MIN_SIZE}; received size={body.size}")  # fmt: skip
    problems.problems.extend(hyperparameter_rules.check(hp)[0])
    problems.raise_if_any("The paper experiment cannot start")
    assert dataset is not None
    return dataset


def _create_graphs(
    session: Session, project: Project, body: PaperExperimentCreate, classes: int
) -> list[tuple[str, int, int]]:
    """(label, graph version id, graph id) of a new graph per paper model."""
    made = []
    for label, (architecture, _native) in PAPER_BACKBONES.items():
        template = paper_template(label, architecture, body.size, classes)
        for node in template.graph["nodes"]:
            if node["type"] == "Backbone":
                node["params"]["weights"] = body.weights
        weights = "ImageNet" if body.weights == "imagenet" else "no weights"
        graph = graphs.create_graph(session, project, f"Paper {label} ({body.size} px, {weights})",
                                    template.graph, "created by the paper experiment")  # fmt: skip
        version = graphs_repository.latest_version(session, graph.id)
        assert version is not None
        made.append((label, version.id, graph.id))
    return made


def get_or_404(session: Session, project: Project, experiment_id: int) -> Experiment:
    experiment = session.get(Experiment, experiment_id)
    if experiment is None or experiment.project_id != project.id or experiment.kind != KIND:
        raise NotFound(f"Paper experiment {experiment_id} does not exist")
    return experiment


def experiment_runs(session: Session, experiment: Experiment) -> list[Run]:
    # Inserted in the paper's model order, so id order is that order.
    return list(session.scalars(
        select(Run).where(Run.experiment_id == experiment.id).order_by(Run.id)
    ).all())


def labels(experiment: Experiment) -> dict[int, str]:
    return {int(m["run_id"]): str(m["label"]) for m in experiment.spec.get("models", [])}


def to_public(
    session: Session, experiment: Experiment, storage_root: Path
) -> PaperExperimentPublic:
    rows = experiment_runs(session, experiment)
    base = f"/api/experiments/{experiment.id}/report?format="
    return PaperExperimentPublic(
        id=experiment.id, name=experiment.name, kind=experiment.kind,
        dataset_id=experiment.dataset_id, created_at=experiment.created_at,
        spec=experiment.spec, models=[PaperModel.model_validate(m)
                                      for m in experiment.spec.get("models", [])],
        runs=[runs.to_public(run) for run in rows],
        comparison=compare.compare(session, rows, storage_root),
        reports=ReportLinks(csv=f"{base}csv", md=f"{base}md", html=f"{base}html"),
    )  # fmt: skip


def list_summaries(session: Session, project: Project) -> list[PaperExperimentSummary]:
    """Newest first, so a started experiment can be found again from the compare page."""
    experiments = session.scalars(
        select(Experiment).where(Experiment.project_id == project.id, Experiment.kind == KIND)
        .order_by(Experiment.id.desc()).limit(100)
    ).all()  # fmt: skip
    return [
        PaperExperimentSummary(
            id=e.id, name=e.name, dataset_id=e.dataset_id, created_at=e.created_at,
            size=int(e.spec.get("size", 0)), weights=str(e.spec.get("weights", "")),
            statuses=[RunStatus(r.status) for r in experiment_runs(session, e)],
        )
        for e in experiments
    ]
