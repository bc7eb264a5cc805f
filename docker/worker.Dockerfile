# The training worker with GPU TensorFlow. The CUDA libraries come as pip wheels
# (tensorflow[and-cuda]), so any base works once the NVIDIA container toolkit provides
# the driver; the host needs no CUDA install.

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DLSTUDIO_VAR_DIR=/app/var \
    KERAS_BACKEND=tensorflow \
    TF_CPP_MIN_LOG_LEVEL=2
WORKDIR /app
# Same uid as the API image: both write the shared storage volume.
RUN useradd --create-home --uid 1000 dlstudio \
    && mkdir -p /app/var /data/storage \
    && chown -R dlstudio /app/var /data

# Not the `worker` extra: on Linux it names tensorflow-cpu, which would overwrite the GPU
# build. The rest of that extra is repeated here; keep the two lists in step.
COPY pyproject.toml README.md ./
RUN mkdir backend worker && touch backend/__init__.py worker/__init__.py \
    && pip install -e . "tensorflow[and-cuda]>=2.17" "keras>=3.5" "numpy>=1.26" "h5py>=3.10" \
        "soundfile>=0.12" "soxr>=0.3" "webrtcvad-wheels>=2.0" "onnx>=1.17" "tf2onnx>=1.16"
COPY alembic.ini ./
COPY migrations/ migrations/
COPY backend/ backend/
COPY worker/ worker/

USER dlstudio
CMD ["dlstudio", "worker"]
