# The API image: FastAPI + the built front end. No Keras, no TensorFlow: the API never
# imports them, so the image stays small and needs no GPU.

FROM node:20-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DLSTUDIO_VAR_DIR=/app/var
WORKDIR /app
# Same uid as the worker image: both write the shared storage volume.
RUN useradd --create-home --uid 1000 dlstudio \
    && mkdir -p /app/var /data/storage \
    && chown -R dlstudio /app/var /data

# Dependencies before the source, so a code change does not reinstall them. The install is
# editable because migrations are found next to the source (backend/db/migrate.py).
COPY pyproject.toml README.md ./
RUN mkdir backend worker && touch backend/__init__.py worker/__init__.py \
    && pip install -e .
COPY alembic.ini ./
COPY migrations/ migrations/
COPY backend/ backend/
COPY --from=frontend /src/frontend/dist/ frontend/dist/

USER dlstudio
EXPOSE 8000
CMD ["sh", "-c", "dlstudio migrate && exec dlstudio serve --no-worker --host 0.0.0.0"]
