"""Line charts as inline SVG, drawn on the server so the printed report needs no script."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 24, 28


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    points: Sequence[tuple[int, float | None]]  # (epoch, value); None: a gap
    dashed: bool = False


def _bounds(series: Sequence[Series], y_range: tuple[float, float] | None) -> tuple[float, ...]:
    xs = [x for s in series for x, y in s.points if y is not None]
    ys = [y for s in series for _, y in s.points if y is not None]
    x0, x1 = (min(xs), max(xs)) if xs else (1, 2)
    y0, y1 = y_range or ((min(ys), max(ys)) if ys else (0.0, 1.0))
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y0, y1 = y0 - 0.5, y1 + 0.5
    return x0, x1, y0, y1


def line_chart(
    title: str, series: Sequence[Series], y_range: tuple[float, float] | None = None
) -> str:
    x0, x1, y0, y1 = _bounds(series, y_range)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float, y: float) -> str:
        return (f"{LEFT + (x - x0) / (x1 - x0) * inner_w:.1f},"
                f"{TOP + (1 - (y - y0) / (y1 - y0)) * inner_h:.1f}")  # fmt: skip

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'class="curve" data-series="{len(series)}">',
        f'<text x="{LEFT}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
        f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="none" '
        'stroke="#999" stroke-width="0.5"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="9" text-anchor="end">{y1:.3g}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + inner_h}" font-size="9" text-anchor="end">{y0:.3g}</text>',
        f'<text x="{LEFT}" y="{HEIGHT - 14}" font-size="9">{x0:g}</text>',
        f'<text x="{LEFT + inner_w}" y="{HEIGHT - 14}" font-size="9" text-anchor="end">'
        f"{x1:g}</text>",
        f'<text x="{LEFT + inner_w / 2}" y="{HEIGHT - 4}" font-size="9" '
        'text-anchor="middle">epoch</text>',
    ]
    for index, s in enumerate(series):
        points = [px(x, y) for x, y in s.points if y is not None]
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        if len(points) == 1:
            x, y = points[0].split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{s.color}"/>')
        elif points:
            parts.append(f'<polyline fill="none" stroke="{s.color}" stroke-width="1.5"{dash} '
                         f'points="{" ".join(points)}"/>')  # fmt: skip
        ly = TOP + 10 + 11 * index
        parts.append(f'<text x="{LEFT + inner_w - 4}" y="{ly}" font-size="9" text-anchor="end" '
                     f'fill="{s.color}">{escape(s.label)}</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)
