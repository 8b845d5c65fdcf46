"""Charts drawn on the server as inline SVG: no JavaScript, no external files and no style
attributes (the Content-Security-Policy forbids inline styles; presentation attributes such as
fill= are allowed). Each chart is an <svg role="img"> with an aria-label, a <title> and a <desc>
that reads out every figure, and stands next to a table with the same numbers.

Pure Python: callers pass translated titles and labels and a function that formats a value for
the reader. ElementTree builds the markup, so every text is escaped.
"""

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

# Narrow enough that 13-unit text stays legible when the chart shrinks to a 360px phone.
WIDTH, HEIGHT = 400, 240
RIGHT, BOTTOM = 8, 28
CHAR_WIDTH = 7.5                      # about one digit at FONT_SIZE: room for the value labels
TOP, LEGEND_LINE = 12, 18            # each legend entry takes a line above the plot
FONT_SIZE = 13
INK, MUTED, GRID = "#1b1f24", "#4a5260", "#c9d0d8"
# Brand blue, amber and green of app.css: each at least 3:1 against white (WCAG 1.4.11).
COLOURS = ("#0b5d8a", "#8a5a00", "#1d6b32")
DASHES = (None, "6 3", "2 3")         # lines differ by more than colour
MAX_AXIS_LABELS = 4

Number = int | float | Decimal | None


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]


def _n(value: float) -> str:
    return f"{value:.1f}"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    """A child element; attribute names use _ for - (stroke_width → stroke-width)."""
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()
                                          if v is not None})
    element.text = text
    return element


def _text(parent, x, y, content, *, anchor="middle", fill=MUTED) -> None:
    _add(parent, "text", content, x=_n(x), y=_n(y), text_anchor=anchor, font_size=FONT_SIZE,
         fill=fill)


def _nice_step(raw: float, whole: bool) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above `raw` (at least 1 for whole numbers)."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return max(step, 1.0) if whole else step


def _scale(series: Sequence[Series]) -> tuple[float, float]:
    """(top of the axis, step between grid lines) for whole amounts: four steps or fewer."""
    highest = max((float(v) for s in series for v in s.values if v is not None), default=0.0)
    step = _nice_step(highest / 4, whole=True)
    return max(step * math.ceil(highest / step), step), step


class _Frame:
    """The plot area of one chart: months along x, values up y."""

    def __init__(self, title, description, labels, series, top_value, step, format_value):
        self.labels, self.series = labels, series
        self.top_value, self.format_value = top_value, format_value
        self.top = TOP + (LEGEND_LINE * len(series) if len(series) > 1 else 0)
        self.height = HEIGHT - self.top - BOTTOM
        self.ticks = [n * step for n in range(round(top_value / step) + 1)]
        self.left = 10 + CHAR_WIDTH * max(len(format_value(t)) for t in self.ticks)
        self.slot = (WIDTH - self.left - RIGHT) / max(len(labels), 1)
        self.svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg",
                                      "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img",
                                      "aria-label": title, "class": "chart",
                                      "focusable": "false"})
        _add(self.svg, "title", title)
        _add(self.svg, "desc", description)

    def y(self, value: Number) -> float:
        return self.top + self.height * (1 - float(value or 0) / self.top_value)

    def x(self, index: int) -> float:
        return self.left + self.slot * (index + 0.5)

    def tip(self, element, name, index, value) -> None:
        """A tooltip; `name` None leaves the series to the colour and the legend (bars: a
        long name on every bar would weigh more than the rest of the chart)."""
        said = f"{self.labels[index]}: {self.format_value(value)}"
        _add(element, "title", f"{name}, {said}" if name else said)

    def draw_axes(self) -> None:
        for tick in self.ticks:
            y = self.y(tick)
            _add(self.svg, "line", x1=_n(self.left), x2=WIDTH - RIGHT, y1=_n(y), y2=_n(y),
                 stroke=GRID, stroke_width=1)
            _text(self.svg, self.left - 6, y + 4, self.format_value(tick), anchor="end")
        every = math.ceil(len(self.labels) / MAX_AXIS_LABELS) or 1
        for i, label in enumerate(self.labels):
            if i % every == 0:
                _text(self.svg, self.x(i), HEIGHT - 8, label)

    def draw_legend(self, swatch: Callable[[int, float, float], None]) -> None:
        """One line per series (translated names can be long)."""
        if len(self.series) < 2:
            return
        for i, one in enumerate(self.series):
            y = TOP + LEGEND_LINE * i + 6
            swatch(i, self.left, y)
            _text(self.svg, self.left + 24, y + 5, one.name, anchor="start", fill=INK)

    def markup(self) -> Markup:
        return Markup(ET.tostring(self.svg, encoding="unicode"))  # noqa: S704 - ElementTree


def describe(labels, series, format_value, summary: str = "") -> str:
    """Every figure in words, for the <desc> that screen readers announce."""
    def figure(value):
        return "—" if value is None else format_value(value)

    parts = [summary] if summary else []
    parts += [f"{one.name}: " + "; ".join(f"{label} {figure(value)}" for label, value
                                          in zip(labels, one.values, strict=True)) + "."
              for one in series]
    return " ".join(parts)


def _stretches(values: Sequence[Number]) -> list[list[tuple[int, Number]]]:
    """Runs of consecutive months that have a figure."""
    runs: list[list[tuple[int, Number]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((i, value))
    return [run for run in runs if run]


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *,
              format_value: Callable[[Number], str] = str, summary: str = "") -> Markup:
    """Bars per month; two or three series stand side by side (e.g. subsidised and
    unsubsidised hires)."""
    top_value, step = _scale(series)
    frame = _Frame(title, describe(labels, series, format_value, summary), labels, series,
                   top_value, step, format_value)
    frame.draw_axes()
    bar = frame.slot * 0.8 / len(series)
    for s, one in enumerate(series):
        group = _add(frame.svg, "g", fill=COLOURS[s])  # one fill for the series' bars
        for i, value in enumerate(one.values):
            if value:  # nothing to draw for 0 or no figure
                y = frame.y(value)
                rect = _add(group, "rect", x=_n(frame.x(i) - frame.slot * 0.4 + s * bar),
                            y=_n(y), width=_n(bar), height=_n(frame.y(0) - y))
                frame.tip(rect, None, i, value)
    frame.draw_legend(lambda i, x, y: _add(frame.svg, "rect", x=_n(x), y=_n(y - 6), width=16,
                                           height=12, fill=COLOURS[i]))
    return frame.markup()


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *,
               top_value: float = 1.0, step: float = 0.25,
               format_value: Callable[[Number], str] = str, summary: str = "") -> Markup:
    """Lines per month on a fixed scale (shares: 0 to 1); a month without a figure breaks the
    line. Each line has its own colour and dash pattern, and a dot at every figure."""
    frame = _Frame(title, describe(labels, series, format_value, summary), labels, series,
                   top_value, step, format_value)
    frame.draw_axes()
    for s, one in enumerate(series):
        for stretch in _stretches(one.values):  # lines first, so the dots stay on top
            if len(stretch) > 1:
                points = " ".join(f"{_n(frame.x(i))},{_n(frame.y(v))}" for i, v in stretch)
                _add(frame.svg, "polyline", points=points, fill="none", stroke=COLOURS[s],
                     stroke_width=2, stroke_dasharray=DASHES[s])
        dots = _add(frame.svg, "g", fill=COLOURS[s])
        for i, value in enumerate(one.values):
            if value is not None:
                dot = _add(dots, "circle", cx=_n(frame.x(i)), cy=_n(frame.y(value)), r=3.5)
                frame.tip(dot, one.name, i, value)
    frame.draw_legend(lambda i, x, y: _add(frame.svg, "line", x1=_n(x), x2=_n(x + 18), y1=y,
                                           y2=y, stroke=COLOURS[i], stroke_width=3,
                                           stroke_dasharray=DASHES[i]))
    return frame.markup()
