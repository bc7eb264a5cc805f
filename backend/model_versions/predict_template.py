"""The predict.py each bundle carries: the same image loading as training, then the model."""

from __future__ import annotations

from backend.model_versions.formats import Format

_COMMON = '''"""Predict a folder of images with this bundle's model.

    python predict.py IMAGE_FOLDER        # one JSON line per image: file, class, probabilities

Images get exactly the preprocessing of training (preprocessing.json): Pillow converts them
to the model's colour mode and resizes them (bilinear) to its input size; the float32
values stay 0-255, because any scaling the model needs is a layer inside it.
"""

import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
PREPROCESSING = json.loads((HERE / "preprocessing.json").read_text())
LABELS = json.loads((HERE / "labels.json").read_text())
PIL_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}
SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


def load_image(path):
    shape = PREPROCESSING["input"]
    mode, size = PIL_MODES[shape["channels"]], (shape["width"], shape["height"])
    with Image.open(path) as image:
        converted = image if image.mode == mode else image.convert(mode)
        resized = converted if converted.size == size else converted.resize(
            size, Image.Resampling.BILINEAR
        )
        pixels = np.asarray(resized, dtype=np.float32)
    return pixels.reshape(shape["height"], shape["width"], shape["channels"])

'''

_LOADERS: dict[str, str] = {
    "keras": '''
def load_model():
    import keras

    # compile=False: the file holds no optimizer, and this loads under any Keras backend.
    model = keras.saving.load_model(HERE / "model.keras", compile=False)
    return lambda batch: np.asarray(model.predict(batch, verbose=0))
''',
    "savedmodel": '''
def load_model():
    import tensorflow as tf

    model = tf.saved_model.load(str(HERE / "savedmodel"))
    return lambda batch: model.serve(tf.constant(batch)).numpy()
''',
    "onnx": '''
def load_model():
    import onnxruntime

    session = onnxruntime.InferenceSession(str(HERE / "model.onnx"))
    name = session.get_inputs()[0].name
    return lambda batch: session.run(None, {name: batch})[0]
''',
}

_MAIN = '''

def main(folder):
    files = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in SUFFIXES)
    predict = load_model()
    for start in range(0, len(files), 32):
        chunk = files[start : start + 32]
        probabilities = predict(np.stack([load_image(p) for p in chunk]))
        for path, row in zip(chunk, probabilities):
            line = {"file": path.relative_to(folder).as_posix(),
                    "class": LABELS[int(np.argmax(row))],
                    "probabilities": [float(p) for p in row]}
            print(json.dumps(line))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
'''


def predict_script(fmt: Format) -> str:
    return _COMMON + _LOADERS[fmt] + _MAIN
