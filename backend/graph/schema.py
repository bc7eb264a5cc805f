"""The model graph document: what the canvas saves and the worker compiles.

Pure Python (Pydantic); the Keras builders live in ``worker/compiler`` and are
joined to these specs by a registry keyed on ``type``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from backend.graph.backbone_blocks import BLOCK_TABLES

SCHEMA_VERSION = 1

# Node ids become Keras layer names; torch refuses a "." in them, so ids have none.
NodeId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
Activation = Literal["linear", "relu", "softmax", "sigmoid", "tanh", "gelu", "elu", "selu", "swish"]
BackboneName = Literal[
    "ResNet50",
    "ResNet101",
    "InceptionV3",
    "MobileNetV2",
    "EfficientNetB0",
    "VGG16",
    "DenseNet121",
    "Xception",
    "SqueezeNet11",
    "WideResNet50_2",
]
Padding = Literal["valid", "same"]
Interpolation = Literal["bilinear", "nearest", "bicubic", "area"]
SHA256 = re.compile(r"[0-9a-f]{64}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Position(_Strict):
    x: float = 0.0
    y: float = 0.0


class InputParams(_Strict):
    height: int = Field(ge=1, le=4096)
    width: int = Field(ge=1, le=4096)
    channels: int = Field(default=3, ge=1, le=4)


class BackboneParams(_Strict):
    architecture: BackboneName
    weights: Literal["imagenet", "none", "file"] = Field(
        default="imagenet",
        description="ImageNet's, none (random), or an uploaded weights file (weights_file).",
    )
    # Validated after `weights` (fields validate in order), even when left out.
    weights_file: str | None = Field(
        default=None,
        validate_default=True,
        description="The sha256 of a file uploaded to /api/weights; only with weights 'file'.",
    )
    trainable: Literal["all", "frozen", "last_blocks"] = Field(
        default="all",
        description="Train all of it, none of it, or only its last trainable_blocks blocks.",
    )
    trainable_blocks: int | None = Field(
        default=None,
        validate_default=True,
        description="How many blocks, counted from the top, train (trainable 'last_blocks').",
    )

    @field_validator("weights_file")
    @classmethod
    def _file_only_with_file_weights(cls, value: str | None, info: ValidationInfo) -> str | None:
        weights = info.data.get("weights")
        if weights == "file" and value is None:
            raise PydanticCustomError(
                "weights_file", "weights 'file' needs weights_file: the sha256 of an upload"
            )
        if weights != "file" and value is not None:
            raise PydanticCustomError(
                "weights_file", "weights_file is only used with weights 'file'; clear it"
            )
        if value is not None and not SHA256.fullmatch(value):
            raise PydanticCustomError(
                "weights_file", "weights_file must be a sha256: 64 lowercase hex digits"
            )
        return value

    @field_validator("trainable_blocks")
    @classmethod
    def _blocks_within_architecture(cls, value: int | None, info: ValidationInfo) -> int | None:
        trainable, architecture = info.data.get("trainable"), info.data.get("architecture")
        if trainable != "last_blocks":
            if value is not None:
                raise PydanticCustomError(
                    "trainable_blocks",
                    "trainable_blocks is only used with trainable 'last_blocks'; clear it",
                )
            return value
        if architecture not in BLOCK_TABLES:  # reported on `architecture` already
            return value
        count = len(BLOCK_TABLES[architecture].blocks)
        if value is None or not 1 <= value <= count:
            raise PydanticCustomError(
                "trainable_blocks",
                "{architecture} has {count} blocks; trainable_blocks must be between 1 and "
                "{count}",
                {"architecture": architecture, "count": count},
            )
        return value


class DenseParams(_Strict):
    units: int = Field(ge=1, le=1_000_000)
    activation: Activation = "linear"
    use_bias: bool = True


class DropoutParams(_Strict):
    rate: float = Field(ge=0.0, lt=1.0)


class Conv2DParams(_Strict):
    filters: int = Field(ge=1, le=65536)
    kernel_size: int = Field(default=3, ge=1, le=64)
    strides: int = Field(default=1, ge=1, le=64)
    padding: Padding = "same"
    activation: Activation = "relu"


class SeparableConv2DParams(Conv2DParams):
    depth_multiplier: int = Field(default=1, ge=1, le=64)


class Pool2DParams(_Strict):
    pool_size: int = Field(default=2, ge=1, le=64)
    strides: int | None = Field(default=None, ge=1, le=64)
    padding: Padding = "valid"


class BatchNormalizationParams(_Strict):
    momentum: float = Field(default=0.99, gt=0.0, lt=1.0)
    epsilon: float = Field(default=1e-3, gt=0.0)


class ActivationParams(_Strict):
    activation: Activation


class ResizingParams(_Strict):
    height: int = Field(ge=1, le=4096)
    width: int = Field(ge=1, le=4096)
    interpolation: Interpolation = "bilinear"


class RescalingParams(_Strict):
    scale: float = 1.0 / 255.0
    offset: float = 0.0


class RandomTimeShiftParams(_Strict):
    # The time axis of a spectrogram image is its width.
    max_fraction: float = Field(default=0.1, ge=0.0, le=1.0)
    mode: Literal["wrap", "pad"] = "wrap"


class MaskingParams(_Strict):
    max_fraction: float = Field(default=0.1, ge=0.0, le=1.0)
    count: int = Field(default=1, ge=1, le=16)


class NoParams(_Strict):
    pass


class _Node(_Strict):
    id: NodeId
    position: Position = Field(default_factory=Position)


class InputNode(_Node):
    type: Literal["Input"]
    params: InputParams


class BackboneNode(_Node):
    type: Literal["Backbone"]
    params: BackboneParams


class DenseNode(_Node):
    type: Literal["Dense"]
    params: DenseParams


class DropoutNode(_Node):
    type: Literal["Dropout"]
    params: DropoutParams


class Conv2DNode(_Node):
    type: Literal["Conv2D"]
    params: Conv2DParams


class MaxPooling2DNode(_Node):
    type: Literal["MaxPooling2D"]
    params: Pool2DParams = Field(default_factory=Pool2DParams)


class AveragePooling2DNode(_Node):
    type: Literal["AveragePooling2D"]
    params: Pool2DParams = Field(default_factory=Pool2DParams)


class GlobalMaxPooling2DNode(_Node):
    type: Literal["GlobalMaxPooling2D"]
    params: NoParams = Field(default_factory=NoParams)


class GlobalAveragePooling2DNode(_Node):
    type: Literal["GlobalAveragePooling2D"]
    params: NoParams = Field(default_factory=NoParams)


class FlattenNode(_Node):
    type: Literal["Flatten"]
    params: NoParams = Field(default_factory=NoParams)


class BatchNormalizationNode(_Node):
    type: Literal["BatchNormalization"]
    params: BatchNormalizationParams = Field(default_factory=BatchNormalizationParams)


class ActivationNode(_Node):
    type: Literal["Activation"]
    params: ActivationParams


class SeparableConv2DNode(_Node):
    type: Literal["SeparableConv2D"]
    params: SeparableConv2DParams


class AddNode(_Node):
    type: Literal["Add"]
    params: NoParams = Field(default_factory=NoParams)


class ConcatenateNode(_Node):
    """Joins its inputs along the last (channel) axis."""

    type: Literal["Concatenate"]
    params: NoParams = Field(default_factory=NoParams)


class ResizingNode(_Node):
    type: Literal["Resizing"]
    params: ResizingParams


class RescalingNode(_Node):
    type: Literal["Rescaling"]
    params: RescalingParams = Field(default_factory=RescalingParams)


class RandomTimeShiftNode(_Node):
    type: Literal["RandomTimeShift"]
    params: RandomTimeShiftParams = Field(default_factory=RandomTimeShiftParams)


class TimeMaskingNode(_Node):
    type: Literal["TimeMasking"]
    params: MaskingParams = Field(default_factory=MaskingParams)


class FrequencyMaskingNode(_Node):
    type: Literal["FrequencyMasking"]
    params: MaskingParams = Field(default_factory=MaskingParams)


Node = Annotated[
    InputNode
    | BackboneNode
    | DenseNode
    | DropoutNode
    | Conv2DNode
    | MaxPooling2DNode
    | AveragePooling2DNode
    | GlobalMaxPooling2DNode
    | GlobalAveragePooling2DNode
    | FlattenNode
    | BatchNormalizationNode
    | ActivationNode
    | SeparableConv2DNode
    | AddNode
    | ConcatenateNode
    | ResizingNode
    | RescalingNode
    | RandomTimeShiftNode
    | TimeMaskingNode
    | FrequencyMaskingNode,
    Field(discriminator="type"),
]


class Edge(_Strict):
    """From a node's output port to a node's input port (one port each, for now).

    A merge node (Add, Concatenate) has several edges into its one port; their
    order in ``edges`` is the order of its inputs.
    """

    source: NodeId
    target: NodeId
    source_port: Literal["out"] = "out"
    target_port: Literal["in"] = "in"


class GraphSpec(_Strict):
    schema_version: Literal[1] = 1  # == SCHEMA_VERSION
    nodes: list[Node] = Field(min_length=1, max_length=1000)
    edges: list[Edge] = Field(default_factory=list, max_length=5000)
