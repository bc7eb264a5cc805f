"""POST /api/models/{id}/predict: an image, a recording or a zip of them, predicted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from backend.deps import CurrentProject, DbSession, SettingsDep
from backend.predict import inputs, service
from backend.predict.schemas import PredictionsPublic
from backend.uploads.staging import stage

router = APIRouter(prefix="/api/models", tags=["predict"])


@router.post("/{model_id}/predict", response_model=PredictionsPublic)
async def predict(
    model_id: int,
    session: DbSession,
    project: CurrentProject,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description=inputs.SUPPORTED_TEXT)],
    format: Annotated[Literal["json", "csv"], Query(description="csv: one row per file")] = "json",
    saliency: Annotated[
        bool, Query(description="add a Grad-CAM overlay (one image or recording)")
    ] = False,
) -> Any:
    """Class probabilities from a model version (a succeeded run; its id is the run id).

    A recording is rendered with the recipe stored with the model's dataset, every segment is
    predicted, and the recording's answer is the mean of its segments' probabilities.
    404 unknown model, 409 a run without a model, 422 a file that cannot be predicted (named),
    503 no predict worker, 504 no answer in time.
    """
    run = service.model_run(session, project, model_id, settings)
    filename = Path(file.filename or "upload").name
    kind = inputs.upload_kind(filename)
    recipe = service.spectrogram_recipe(session, run.dataset)
    classes = list(run.dataset.classes)
    staged = await run_in_threadpool(stage, file.file, settings, f"'{filename}'", "")
    try:
        inputs.check_upload(staged.path, filename, kind, recipe is not None)
        payload = {
            "run_id": run.id, "model_path": run.model_path, "classes": classes, "kind": kind,
            "name": filename, "recipe": recipe, "saliency": saliency,
            "file": staged.path.relative_to(settings.resolved_storage_dir).as_posix(),
        }  # fmt: skip
        body = await run_in_threadpool(service.predict, payload)
    finally:
        staged.path.unlink(missing_ok=True)
    if format == "csv":
        name = f"predictions-model-{run.id}.csv"
        return Response(
            service.as_csv(body), media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )  # fmt: skip
    return PredictionsPublic.model_validate(body)
