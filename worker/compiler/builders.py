"""One small builder per layer kind. Each Keras layer is named after its node id,
so Keras messages, ``model.summary()`` and the saved file all speak the canvas's names.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

from backend.graph.schema import (
    ActivationNode,
    AddNode,
    AveragePooling2DNode,
    BatchNormalizationNode,
    ConcatenateNode,
    Conv2DNode,
    DenseNode,
    DropoutNode,
    FlattenNode,
    FrequencyMaskingNode,
    GlobalAveragePooling2DNode,
    GlobalMaxPooling2DNode,
    InputNode,
    MaxPooling2DNode,
    RandomTimeShiftNode,
    RescalingNode,
    ResizingNode,
    SeparableConv2DNode,
    TimeMaskingNode,
)
from worker.compiler import augmentation
from worker.compiler.registry import Tensor, register

layers = keras.layers


@register(InputNode, arity=0)
def build_input(node: InputNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    return keras.Input(shape=(p.height, p.width, p.channels), name=node.id)


@register(DenseNode)
def build_dense(node: DenseNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = layers.Dense(p.units, activation=p.activation, use_bias=p.use_bias, name=node.id)
    return layer(inputs[0])


@register(DropoutNode)
def build_dropout(node: DropoutNode, inputs: Sequence[Tensor]) -> Tensor:
    return layers.Dropout(node.params.rate, name=node.id)(inputs[0])


@register(Conv2DNode)
def build_conv2d(node: Conv2DNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = layers.Conv2D(
        p.filters,
        p.kernel_size,
        strides=p.strides,
        padding=p.padding,
        activation=p.activation,
        name=node.id,
    )
    return layer(inputs[0])


@register(MaxPooling2DNode)
def build_max_pooling(node: MaxPooling2DNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = layers.MaxPooling2D(p.pool_size, strides=p.strides, padding=p.padding, name=node.id)
    return layer(inputs[0])


@register(AveragePooling2DNode)
def build_average_pooling(node: AveragePooling2DNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = layers.AveragePooling2D(p.pool_size, strides=p.strides, padding=p.padding, name=node.id)
    return layer(inputs[0])


@register(GlobalMaxPooling2DNode)
def build_global_max(node: GlobalMaxPooling2DNode, inputs: Sequence[Tensor]) -> Tensor:
    return layers.GlobalMaxPooling2D(name=node.id)(inputs[0])


@register(GlobalAveragePooling2DNode)
def build_global_average(node: GlobalAveragePooling2DNode, inputs: Sequence[Tensor]) -> Tensor:
    return layers.GlobalAveragePooling2D(name=node.id)(inputs[0])


@register(FlattenNode)
def build_flatten(node: FlattenNode, inputs: Sequence[Tensor]) -> Tensor:
    return layers.Flatten(name=node.id)(inputs[0])


@register(BatchNormalizationNode)
def build_batch_norm(node: BatchNormalizationNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = layers.BatchNormalization(momentum=p.momentum, epsilon=p.epsilon, name=node.id)
    return layer(inputs[0])


@register(ActivationNode)
def build_activation(node: ActivationNode, inputs: Sequence[Tensor]) -> Tensor:
    return layers.Activation(node.params.activation, name=node.id)(inputs[0])


@register(SeparableConv2DNode)
def build_separable_conv2d(node: SeparableConv2DNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = layers.SeparableConv2D(
        p.filters,
        p.kernel_size,
        strides=p.strides,
        padding=p.padding,
        depth_multiplier=p.depth_multiplier,
        activation=p.activation,
        name=node.id,
    )
    return layer(inputs[0])


@register(AddNode, arity=2, variadic=True)
def build_add(node: AddNode, inputs: Sequence[Tensor]) -> Tensor:
    return layers.Add(name=node.id)(list(inputs))


@register(ConcatenateNode, arity=2, variadic=True)
def build_concatenate(node: ConcatenateNode, inputs: Sequence[Tensor]) -> Tensor:
    return layers.Concatenate(axis=-1, name=node.id)(list(inputs))


@register(ResizingNode)
def build_resizing(node: ResizingNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = layers.Resizing(p.height, p.width, interpolation=p.interpolation, name=node.id)
    return layer(inputs[0])


@register(RescalingNode)
def build_rescaling(node: RescalingNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    return layers.Rescaling(p.scale, offset=p.offset, name=node.id)(inputs[0])


@register(RandomTimeShiftNode)
def build_random_time_shift(node: RandomTimeShiftNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = augmentation.RandomTimeShift(p.max_fraction, mode=p.mode, name=node.id)
    return layer(inputs[0])


@register(TimeMaskingNode)
def build_time_masking(node: TimeMaskingNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    return augmentation.TimeMasking(p.max_fraction, count=p.count, name=node.id)(inputs[0])


@register(FrequencyMaskingNode)
def build_frequency_masking(node: FrequencyMaskingNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    layer = augmentation.FrequencyMasking(p.max_fraction, count=p.count, name=node.id)
    return layer(inputs[0])
