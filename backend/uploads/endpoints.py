from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.responses import JSONResponse

from backend.deps import SettingsDep
from backend.errors import InvalidInput, Problem
from backend.uploads import service
from backend.uploads.schemas import UploadCreate, UploadPublic

router = APIRouter(prefix="/api/uploads", tags=["uploads"])
CHUNK_TYPE = "application/offset+octet-stream"


def _public(state: service.UploadState) -> UploadPublic:
    return UploadPublic(id=state.id, filename=state.filename, size=state.size, offset=state.offset)


@router.post("", response_model=UploadPublic, status_code=status.HTTP_201_CREATED)
def create_upload(body: UploadCreate, settings: SettingsDep) -> UploadPublic:
    """Declares a file: send its bytes with PATCH, then POST /api/datasets/from-upload."""
    return _public(service.create(settings, body.filename, body.size))


@router.get("/{upload_id}", response_model=UploadPublic)
def get_upload(upload_id: str, settings: SettingsDep) -> UploadPublic:
    """Where to resume: ``offset`` is how many bytes the server holds."""
    return _public(service.get(settings, upload_id))


@router.patch("/{upload_id}", response_model=UploadPublic)
async def append_chunk(
    upload_id: str,
    request: Request,
    settings: SettingsDep,
    upload_offset: Annotated[int, Header(ge=0)],
    content_type: Annotated[str, Header()],
) -> UploadPublic | JSONResponse:
    if content_type.split(";")[0].strip() != CHUNK_TYPE:
        raise InvalidInput(
            "Send upload chunks as raw bytes",
            [Problem(("header", "Content-Type"), f"must be {CHUNK_TYPE}")],
        )
    try:
        state = await service.append(settings, upload_id, upload_offset, request.stream())
    except service.OffsetMismatch as mismatch:
        headers = {"Upload-Offset": str(mismatch.expected)}
        return JSONResponse(mismatch.body(), status_code=mismatch.status_code, headers=headers)
    return _public(state)


@router.delete("/{upload_id}", status_code=status.HTTP_204_NO_CONTENT)
def cancel_upload(upload_id: str, settings: SettingsDep) -> Response:
    service.get(settings, upload_id)  # 404 for an unknown id
    service.delete(settings, upload_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
