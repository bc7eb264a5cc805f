"""256x3 uint8 colour tables computed in code (no matplotlib in the worker).

Viridis and magma are interpolated linearly in RGB between 17 evenly spaced anchor colours of
the published (CC0) maps; the largest difference from matplotlib's 256-entry tables is 5 levels
of 255 per channel, invisible in an image and irrelevant to a CNN, which only needs a fixed mapping.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

ANCHORS = {
    "viridis": (
        "440154 48186a 472d7b 424086 3b528b 33638d 2c728e 26828e 21918c"
        " 1fa088 28ae80 3fbc73 5ec962 84d44b addc30 d8e219 fde725"
    ),
    "magma": (
        "000004 0a0822 1d1147 36106b 51127c 6a1c81 832681 9c2e7f b73779"
        " d0416f e75263 f56b5c fc8961 fea772 fec488 fde2a3 fcfdbf"
    ),
}


@lru_cache(maxsize=8)
def colour_table(name: str) -> np.ndarray:
    """(256, 3) uint8: row i is the colour of normalised level i / 255."""
    if name == "gray":
        ramp = np.arange(256, dtype=np.uint8)
        return np.stack([ramp, ramp, ramp], axis=1)
    anchors = np.array(
        [[int(h[i : i + 2], 16) for i in (0, 2, 4)] for h in ANCHORS[name].split()], dtype=float
    )
    positions = np.linspace(0, 1, len(anchors))
    levels = np.linspace(0, 1, 256)
    channels = [np.interp(levels, positions, anchors[:, c]) for c in range(3)]
    return np.round(np.stack(channels, axis=1)).astype(np.uint8)
