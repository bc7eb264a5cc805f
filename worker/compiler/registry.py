"""Joins each GraphSpec node class to the function that builds it in Keras.

The spec classes stay pure Pydantic (the API imports them); builders live here,
as ludwig keeps config and implementation apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

# Keras ships no type information; a symbolic KerasTensor is all a builder sees.
Tensor = Any
N = TypeVar("N")
BuildFn = Callable[[N, Sequence[Tensor]], Tensor]


@dataclass(frozen=True)
class Builder:
    build: Callable[[Any, Sequence[Tensor]], Tensor]
    # How many incoming edges the node takes (at least, when variadic); compile
    # checks it before building.
    arity: int
    variadic: bool = False

    def accepts(self, count: int) -> bool:
        return count >= self.arity if self.variadic else count == self.arity


_BUILDERS: dict[type[Any], Builder] = {}


def register(
    node_type: type[N], *, arity: int = 1, variadic: bool = False
) -> Callable[[BuildFn[N]], BuildFn[N]]:
    def decorator(fn: BuildFn[N]) -> BuildFn[N]:
        if node_type in _BUILDERS:
            raise RuntimeError(f"two builders registered for {node_type.__name__}")
        _BUILDERS[node_type] = Builder(fn, arity, variadic)
        return fn

    return decorator


def builder_for(node: object) -> Builder | None:
    return _BUILDERS.get(type(node))


def registered_types() -> frozenset[type[Any]]:
    return frozenset(_BUILDERS)
