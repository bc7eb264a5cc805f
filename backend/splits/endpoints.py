from __future__ import annotations

from fastapi import APIRouter

from backend.deps import CurrentProject, DbSession, SettingsDep
from backend.splits import service
from backend.splits.schemas import SplitPreview, SplitPreviewRequest

router = APIRouter(prefix="/api/splits", tags=["splits"])


@router.post("/preview", response_model=SplitPreview)
def preview_split(
    body: SplitPreviewRequest, session: DbSession, project: CurrentProject, settings: SettingsDep
) -> SplitPreview:
    """Counts per class and group in each part, the leakage audit and any warnings;
    nothing is stored."""
    return service.preview(session, project, body, settings.resolved_storage_dir)
