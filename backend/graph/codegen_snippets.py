"""Source text that exported scripts include when a graph needs it.

The exported script must run with nothing but Keras 3 installed, so the pieces that are
not in Keras are copied in as code: the ImageNet preprocessing the worker builds into
every backbone, the spectrogram augmentation layers, and SqueezeNet 1.1 / WRN-50-2
(keras.applications has neither). Each mirrors its worker twin (worker/compiler/
preprocessing.py, augmentation.py, squeezenet.py, wide_resnet.py) layer for layer;
tests/worker/test_codegen.py builds both and fails on any difference in layer names,
classes, configs or parameter counts, so the copies cannot drift silently.
"""

from __future__ import annotations

PREPROCESSING = """
# ImageNet preprocessing inside the model (keras.applications' preprocess_input modes), so
# the model takes plain 0-255 pixels. Grey inputs get the mean of the RGB constants.
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
TORCH_MEAN_RGB = (0.485, 0.456, 0.406)
TORCH_STD_RGB = (0.229, 0.224, 0.225)


def _per_channel(values, channels):
    if channels == len(values):
        return list(values)
    return [float(np.mean(values))] * channels


def imagenet_preprocessing(mode, x, name):
    channels = int(x.shape[-1])
    if mode == "tf":
        return layers.Rescaling(1.0 / 127.5, offset=-1.0, name=name)(x)
    if mode == "torch":
        mean = _per_channel(tuple(255.0 * m for m in TORCH_MEAN_RGB), channels)
        std = _per_channel(tuple(255.0 * s for s in TORCH_STD_RGB), channels)
        return layers.Normalization(mean=mean, variance=[s * s for s in std], name=name)(x)
    if channels != 3:  # "caffe" on grey or other channel counts
        mean_bgr = _per_channel(CAFFE_MEAN_BGR, channels)
        return layers.Normalization(mean=mean_bgr, variance=[1.0] * channels, name=name)(x)
    # "caffe" on RGB: flip to BGR and subtract the mean with one frozen Dense.
    layer = layers.Dense(3, trainable=False, name=name)
    y = layer(x)
    flip = np.eye(3, dtype="float32")[::-1]
    layer.set_weights([flip, -np.asarray(CAFFE_MEAN_BGR, dtype="float32")])
    return y
"""

AUGMENTATION = '''
# Spectrogram augmentation (active only in training): time shift and SpecAugment-style
# masking. Registered under the same names as dlstudio's, so saved files load in either.
class _Augmentation(layers.Layer):
    def __init__(self, max_fraction=0.1, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.max_fraction = max_fraction
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        return self.augment(inputs) if training else inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(max_fraction=self.max_fraction, seed=self.seed)
        return config

    def _uniform(self, shape):
        return keras.random.uniform(shape, seed=self.seed_generator)


@keras.saving.register_keras_serializable(package="dlstudio")
class RandomTimeShift(_Augmentation):
    """Shifts each example along its width (time) by up to max_fraction."""

    def __init__(self, max_fraction=0.1, mode="wrap", **kwargs):
        super().__init__(max_fraction, **kwargs)
        self.mode = mode

    def augment(self, inputs):
        width = int(inputs.shape[2])
        max_shift = int(self.max_fraction * width)
        if max_shift == 0:
            return inputs
        batch = ops.shape(inputs)[0]
        shift = ops.floor(self._uniform((batch, 1)) * (2 * max_shift + 1)) - max_shift
        source = ops.arange(width, dtype="float32")[None, :] - shift
        if self.mode == "wrap":
            source = ops.mod(source + width, width)
        inside = ops.logical_and(source >= 0, source < width)
        index = ops.cast(ops.clip(source, 0, width - 1), "int32")
        index = ops.broadcast_to(index[:, None, :, None], ops.shape(inputs))
        shifted = ops.take_along_axis(inputs, index, axis=2)
        return shifted * ops.cast(inside, inputs.dtype)[:, None, :, None]

    def get_config(self):
        config = super().get_config()
        config.update(mode=self.mode)
        return config


class _Masking(_Augmentation):
    axis = 1

    def __init__(self, max_fraction=0.1, count=1, **kwargs):
        super().__init__(max_fraction, **kwargs)
        self.count = count

    def augment(self, inputs):
        length = int(inputs.shape[self.axis])
        longest = int(self.max_fraction * length)
        if longest == 0:
            return inputs
        batch = ops.shape(inputs)[0]
        widths = ops.floor(self._uniform((batch, self.count)) * (longest + 1))
        starts = ops.floor(self._uniform((batch, self.count)) * (length - widths + 1))
        position = ops.arange(length, dtype="float32")[None, None, :]
        inside = ops.logical_and(
            position >= starts[:, :, None], position < (starts + widths)[:, :, None]
        )
        keep = 1.0 - ops.cast(ops.any(inside, axis=1), inputs.dtype)
        if self.axis == 1:
            return inputs * keep[:, :, None, None]
        return inputs * keep[:, None, :, None]

    def get_config(self):
        config = super().get_config()
        config.update(count=self.count)
        return config


@keras.saving.register_keras_serializable(package="dlstudio")
class TimeMasking(_Masking):
    """Blanks count bands of time (columns)."""

    axis = 2


@keras.saving.register_keras_serializable(package="dlstudio")
class FrequencyMasking(_Masking):
    """Blanks count bands of frequency (rows)."""

    axis = 1
'''

TORCHVISION_WEIGHTS = """
def torchvision_weights_file(file_name):
    # dlstudio converts torchvision's ImageNet state dicts to this file (it is never
    # downloaded): python -m worker.compiler.torchvision_weights <network> <.pth> <path>
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.join(home, "models", file_name)
"""

SQUEEZENET = """
# SqueezeNet 1.1 laid out as torchvision's squeezenet1_1 (features only). Layer names are
# torchvision's module paths with "." as "_". PyTorch's ceil_mode max pools are a zero
# padding of the bottom/right edge + a valid pool (exact: every pool follows a ReLU).
SQUEEZENET_FIRES = ((3, 16, 64, 64), (4, 16, 64, 64), (6, 32, 128, 128), (7, 32, 128, 128),
                    (9, 48, 192, 192), (10, 48, 192, 192), (11, 64, 256, 256),
                    (12, 64, 256, 256))


def _squeezenet_pool(x, index):
    height, width = int(x.shape[1]), int(x.shape[2])
    pad = ((0, (height - 3) % 2), (0, (width - 3) % 2))
    x = layers.ZeroPadding2D(pad, name=f"features_{index}_pad")(x)
    return layers.MaxPooling2D(3, 2, padding="valid", name=f"features_{index}")(x)


def _squeezenet_fire(x, index, squeeze, expand1, expand3):
    prefix = f"features_{index}"
    x = layers.Conv2D(squeeze, 1, name=f"{prefix}_squeeze")(x)
    x = layers.ReLU(name=f"{prefix}_squeeze_activation")(x)
    a = layers.Conv2D(expand1, 1, name=f"{prefix}_expand1x1")(x)
    a = layers.ReLU(name=f"{prefix}_expand1x1_activation")(a)
    b = layers.Conv2D(expand3, 3, padding="same", name=f"{prefix}_expand3x3")(x)
    b = layers.ReLU(name=f"{prefix}_expand3x3_activation")(b)
    return layers.Concatenate(axis=-1, name=f"{prefix}_concat")([a, b])


def SqueezeNet11(include_top=False, weights=None, input_shape=(224, 224, 3),
                 name="squeezenet1_1"):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(64, 3, strides=2, padding="valid", name="features_0")(inputs)
    x = layers.ReLU(name="features_1")(x)
    fires = iter(SQUEEZENET_FIRES)
    for pool in (2, 5, 8):
        x = _squeezenet_pool(x, pool)
        for _ in range(2):
            x = _squeezenet_fire(x, *next(fires))
    for fire in fires:
        x = _squeezenet_fire(x, *fire)
    model = keras.Model(inputs, x, name=name)
    if weights == "imagenet":
        model.load_weights(torchvision_weights_file("squeezenet1_1_dlstudio.weights.h5"))
    return model
"""

WIDE_RESNET = """
# Wide ResNet-50-2 laid out as torchvision's wide_resnet50_2 (features only): ResNet-50's
# bottlenecks with twice the inner width, stride on the 3x3 conv, PyTorch's BatchNorm
# epsilon 1e-5 and momentum 0.1 (Keras momentum 0.9). Layer names follow torchvision.
WRN_STAGES = ((1, 3, 128, 256, 1), (2, 4, 256, 512, 2), (3, 6, 512, 1024, 2),
              (4, 3, 1024, 2048, 2))


def _wrn_bn(name):
    return layers.BatchNormalization(epsilon=1e-5, momentum=0.9, name=name)


def _wrn_conv(filters, kernel, name, strides=1):
    return layers.Conv2D(filters, kernel, strides=strides, use_bias=False, name=name)


def _wrn_bottleneck(x, prefix, width, out, stride):
    shortcut = x
    y = _wrn_conv(width, 1, f"{prefix}_conv1")(x)
    y = layers.ReLU(name=f"{prefix}_relu1")(_wrn_bn(f"{prefix}_bn1")(y))
    y = layers.ZeroPadding2D(1, name=f"{prefix}_pad")(y)
    y = _wrn_conv(width, 3, f"{prefix}_conv2", strides=stride)(y)
    y = layers.ReLU(name=f"{prefix}_relu2")(_wrn_bn(f"{prefix}_bn2")(y))
    y = _wrn_bn(f"{prefix}_bn3")(_wrn_conv(out, 1, f"{prefix}_conv3")(y))
    if stride != 1 or int(x.shape[-1]) != out:
        shortcut = _wrn_conv(out, 1, f"{prefix}_downsample_0", strides=stride)(x)
        shortcut = _wrn_bn(f"{prefix}_downsample_1")(shortcut)
    y = layers.Add(name=f"{prefix}_add")([y, shortcut])
    return layers.ReLU(name=f"{prefix}_out")(y)


def WideResNet50_2(include_top=False, weights=None, input_shape=(224, 224, 3),
                   name="wide_resnet50_2"):
    inputs = keras.Input(shape=input_shape)
    x = layers.ZeroPadding2D(3, name="conv1_pad")(inputs)
    x = _wrn_conv(64, 7, "conv1", strides=2)(x)
    x = layers.ReLU(name="relu")(_wrn_bn("bn1")(x))
    x = layers.ZeroPadding2D(1, name="maxpool_pad")(x)
    x = layers.MaxPooling2D(3, 2, name="maxpool")(x)
    for stage, blocks, width, out, stride in WRN_STAGES:
        for block in range(blocks):
            strides = stride if block == 0 else 1
            x = _wrn_bottleneck(x, f"layer{stage}_{block}", width, out, strides)
    model = keras.Model(inputs, x, name=name)
    if weights == "imagenet":
        model.load_weights(torchvision_weights_file("wide_resnet50_2_dlstudio.weights.h5"))
    return model
"""

BACKBONE_BLOCKS = """
# Train only a backbone's last blocks: freeze every layer that feeds the first block that
# trains. Keras runs a frozen BatchNormalization in inference mode, so the frozen part
# keeps its stored statistics.
def _parents(network):
    return {
        layer.name: [node.operation.name for node in layer._inbound_nodes[0].parent_nodes]
        for layer in network.layers
    }


def _feeding(parents, names, include_self):
    seen = set(names) if include_self else set()
    stack = [parent for name in names for parent in parents[name]]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(parents[name])
    return seen


def freeze_before_block(network, block):
    parents = _parents(network)
    if block == "mixed0":  # InceptionV3's stem: what all branches of mixed0 share
        before = set.intersection(*(_feeding(parents, [p], True) for p in parents["mixed0"]))
    elif block.startswith("mixed"):  # InceptionV3 names only each block's final concat
        before = _feeding(parents, [f"mixed{int(block[5:]) - 1}"], True)
    else:
        first = next(layer.name for layer in network.layers if layer.name.startswith(block + "_"))
        before = _feeding(parents, [first], False)
    for name in before:
        network.get_layer(name).trainable = False
"""

WEIGHTS_FILES = """
def load_weights_file(network, path):
    # A weights file uploaded to dlstudio: a Keras .weights.h5 of the bare network (convert a
    # torchvision .pth first: python -m worker.compiler.torchvision_weights <network> <.pth>
    # <out.weights.h5>). Without it the summary still prints, on random weights.
    if not os.path.exists(path):
        print(f"warning: {path} not found; {network.name} keeps random weights", file=sys.stderr)
        return
    network.load_weights(path)
"""
