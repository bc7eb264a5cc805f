"""ORM tables, one per file. Importing this package registers them all on Base.metadata."""

from backend.models.conversion import Conversion
from backend.models.dataset import Dataset, DatasetItem
from backend.models.experiment import Experiment
from backend.models.graph import Graph, GraphVersion
from backend.models.project import DEFAULT_PROJECT_SLUG, Project
from backend.models.run import Run, RunEvent, RunMetric, RunStatus
from backend.models.weights_file import WeightsFile

__all__ = [
    "DEFAULT_PROJECT_SLUG",
    "Conversion",
    "Dataset",
    "DatasetItem",
    "Experiment",
    "Graph",
    "GraphVersion",
    "Project",
    "Run",
    "RunEvent",
    "RunMetric",
    "RunStatus",
    "WeightsFile",
]
