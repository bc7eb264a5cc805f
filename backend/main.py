"""The API app factory: ``uvicorn --factory backend.main:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from backend.compare.endpoints import router as compare_router
from backend.conversions.endpoints import router as conversions_router
from backend.datasets.endpoints import router as datasets_router
from backend.error_handlers import install_error_handlers
from backend.evaluation.endpoints import router as evaluation_router
from backend.graphs.canvas_endpoints import router as canvas_router
from backend.graphs.endpoints import router as graphs_router
from backend.health import router as health_router
from backend.model_versions.endpoints import router as model_versions_router
from backend.predict.endpoints import router as predict_router
from backend.runs.endpoints import router as runs_router
from backend.runs.hyperparameter_endpoints import router as hyperparameters_router
from backend.settings import Settings, get_settings
from backend.splits.endpoints import router as splits_router
from backend.uploads.endpoints import router as uploads_router
from backend.web import install_frontend
from backend.weights.endpoints import router as weights_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="dlstudio",
        version="0.1.0",
        description="Self-hosted visual deep-learning studio",
    )
    install_error_handlers(app)
    for router in (
        health_router,
        uploads_router,
        datasets_router,
        conversions_router,
        canvas_router,
        graphs_router,
        compare_router,  # before runs: /api/runs/compare is not a run id
        runs_router,
        evaluation_router,
        hyperparameters_router,
        weights_router,
        splits_router,
        model_versions_router,
        predict_router,
    ):
        app.include_router(router)
    install_frontend(app, settings)
    return app
