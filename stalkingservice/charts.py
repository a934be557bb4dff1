"""The one SVG chart module: server-rendered charts for the web pages and the PDFs. No
JavaScript, readable in greyscale: each series has a fill pattern as well as a shade, and
every bar carries its number as text (suppressed values are written, not drawn). What a
chart shows is the caller's business (reporting picks the charts of the return; risk lays
out a case's risk level over time); this module only draws."""

from collections.abc import Mapping, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# (pattern id, shade): shades differ in lightness; patterns differ in texture.
_STYLES = [
    ("solid", "#1d3557"),
    ("diag", "#457b9d"),
    ("dots", "#2a9d8f"),
    ("cross", "#e76f51"),
    ("vert", "#6d597a"),
    ("horiz", "#8d99ae"),
]

_DEFS = """<defs>
<pattern id="p-diag-{uid}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="{c1}"/></pattern>
<pattern id="p-dots-{uid}" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.6" fill="{c2}"/></pattern>
<pattern id="p-cross-{uid}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><path d="M0 0L6 6M6 0L0 6" stroke="{c3}" stroke-width="1.4"/></pattern>
<pattern id="p-vert-{uid}" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#ffffff"/><rect width="2.5" height="5" fill="{c4}"/></pattern>
<pattern id="p-horiz-{uid}" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#ffffff"/><rect width="5" height="2.5" fill="{c5}"/></pattern>
</defs>"""

_counter = [0]


def _fill(i: int, uid: str) -> str:
    name, colour = _STYLES[i % len(_STYLES)]
    return colour if name == "solid" else f"url(#p-{name}-{uid})"


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _text(value, unit: str = "") -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{unit}"


def bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[tuple[str, list]],
    unit: str = "",
    width: int = 640,
    label_width: int = 220,
    notes: dict[tuple[int, int], str] | None = None,
) -> SafeString:
    """Horizontal grouped bars: one group per category, one bar per series. `notes` adds
    text after a bar's number, keyed by (series index, category index)."""
    _counter[0] += 1
    uid = f"c{_counter[0]}"
    bar_h, gap = 13, 9
    legend_h = 18 * ((len(series) + 2) // 3) if len(series) > 1 else 0
    top = 24 + legend_h
    group_h = bar_h * len(series) + gap
    height = top + group_h * max(len(categories), 1) + 10
    plot_w = width - label_width - 60
    peak = max([_number(v) for _, values in series for v in values] + [1])
    max_chars = max(12, int(label_width / 5.5))
    notes = notes or {}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        _DEFS.format(
            uid=uid,
            c1=_STYLES[1][1],
            c2=_STYLES[2][1],
            c3=_STYLES[3][1],
            c4=_STYLES[4][1],
            c5=_STYLES[5][1],
        ),
        f'<text x="0" y="14" font-size="12" font-weight="bold" fill="#000">{escape(title)}</text>',
    ]
    if len(series) > 1:
        for i, (name, _) in enumerate(series):
            x = (i % 3) * (width // 3)
            y = 24 + 18 * (i // 3)
            out.append(
                f'<rect x="{x}" y="{y}" width="12" height="12" fill="{_fill(i, uid)}" stroke="#000" stroke-width="0.6"/>'
                f'<text x="{x + 16}" y="{y + 10}" font-size="10" fill="#000">{escape(name[:38])}</text>'
            )
    for c, category in enumerate(categories):
        y0 = top + c * group_h
        out.append(
            f'<text x="{label_width - 6}" y="{y0 + group_h / 2}" font-size="10" '
            f'text-anchor="end" fill="#000">{escape(category[:max_chars])}</text>'
        )
        for s, (_, values) in enumerate(series):
            value = values[c] if c < len(values) else None
            w = plot_w * _number(value) / peak
            y = y0 + s * bar_h
            out.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{_fill(s, uid)}" stroke="#000" stroke-width="0.6"/>'
                f'<text x="{label_width + w + 4:.1f}" y="{y + bar_h - 4}" font-size="9.5" '
                f'fill="#000">{escape(_text(value, unit) + notes.get((s, c), ""))}</text>'
            )
    out.append(
        f'<line x1="{label_width}" y1="{top - 2}" x2="{label_width}" y2="{height - 8}" stroke="#000" stroke-width="0.8"/>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text in it is escaped above


def pair_chart(*, title: str, first: tuple[str, dict], second: tuple[str, dict]) -> SafeString:
    """Two breakdowns with the same keys side by side (e.g. risk at intake and closure)."""
    categories = list(first[1])
    return bar_chart(
        title=title,
        categories=categories,
        series=[
            (first[0], [first[1].get(c) for c in categories]),
            (second[0], [second[1].get(c) for c in categories]),
        ],
    )


def step_chart(
    *,
    title: str,
    points: Sequence,
    levels: Sequence[tuple[str, float]],
    axis: tuple[float, float],
    axis_labels: tuple[str, str],
    width: int,
    height: int,
    colours: Mapping[str, str],
    default_colour: str = "#505a5f",
    css_class: str = "chart",
    test_id: str = "",
    title_id: str = "chart-title",
) -> SafeString:
    """A level over time, as steps: a dashed guide line with its label for each level (y),
    a stepped line through the points, and a dot per point coloured by its level with its
    label as a tooltip. `points` are laid out by the caller: each has x, y, level, label.
    `axis` is the left and right end of the time axis, `axis_labels` the words under them."""
    left, right = axis
    steps = [f"{points[0].x},{points[0].y}"] if points else []
    steps += [
        f"{prev.x},{prev.y} {point.x},{prev.y} {point.x},{point.y}"
        for prev, point in zip(points, points[1:], strict=False)
    ]
    out = [
        f'<svg class="{escape(css_class)}" role="img" aria-labelledby="{escape(title_id)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"'
        + (f' data-testid="{escape(test_id)}"' if test_id else "")
        + ">",
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    for label, y in levels:
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#b1b4b6" '
            f'stroke-dasharray="3 3" />'
            f'<text x="4" y="{y + 4}" font-size="12" fill="#0b0c0c">{escape(label)}</text>'
        )
    out.append(
        f'<polyline points="{" ".join(steps)}" fill="none" stroke="#1d70b8" stroke-width="2" />'
    )
    for p in points:
        colour = colours.get(p.level, default_colour)
        out.append(
            f'<circle cx="{p.x}" cy="{p.y}" r="5" fill="{escape(colour)}">'
            f"<title>{escape(p.label)}</title></circle>"
        )
    out.append(
        f'<text x="{left}" y="{height - 5}" font-size="11" fill="#505a5f">'
        f"{escape(axis_labels[0])}</text>"
        f'<text x="{right}" y="{height - 5}" font-size="11" fill="#505a5f" '
        f'text-anchor="end">{escape(axis_labels[1])}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text in it is escaped above
