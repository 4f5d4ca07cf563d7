"""Server-rendered SVG bar charts: no JavaScript, no CDN, legible when printed."""

from dataclasses import dataclass

LABEL_WIDTH = 150
BAR_AREA = 420
VALUE_WIDTH = 60
ROW_HEIGHT = 24
TOP = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    light: str
    y: float
    width: float

    @property
    def text(self):
        return "—" if self.value is None else f"{self.value * 100:.1f}%"

    @property
    def end_x(self):
        return LABEL_WIDTH + self.width


@dataclass(frozen=True)
class BarChart:
    bars: list
    threshold: float
    threshold_x: float
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    row_height: int = ROW_HEIGHT
    top: int = TOP

    @property
    def threshold_text(self):
        return f"{self.threshold * 100:g}%"

    @property
    def axis_bottom(self):
        return self.height - 8


def bar_chart(items, *, threshold):
    """Horizontal bars of ratios 0–1 (``(label, value, light)`` per item) with a threshold line."""
    bars = [
        Bar(
            label=label,
            value=value,
            light=light,
            y=TOP + index * ROW_HEIGHT,
            width=0 if value is None else max(min(value, 1), 0) * BAR_AREA,
        )
        for index, (label, value, light) in enumerate(items)
    ]
    return BarChart(
        bars=bars,
        threshold=threshold,
        threshold_x=LABEL_WIDTH + threshold * BAR_AREA,
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=TOP + len(bars) * ROW_HEIGHT + 16,
    )


@dataclass(frozen=True)
class CountBar:
    label: str
    value: int
    y: float
    width: float

    @property
    def text(self):
        return f"{self.value:,}"

    @property
    def end_x(self):
        return LABEL_WIDTH + self.width


@dataclass(frozen=True)
class CountChart:
    bars: list
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    row_height: int = ROW_HEIGHT


def count_chart(items):
    """Horizontal bars of counts (``(label, count)`` per item), scaled to the largest."""
    largest = max((value for _label, value in items), default=0) or 1
    bars = [
        CountBar(
            label=str(label),
            value=value,
            y=TOP + index * ROW_HEIGHT,
            width=value / largest * BAR_AREA,
        )
        for index, (label, value) in enumerate(items)
    ]
    return CountChart(
        bars=bars, width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH, height=TOP + len(bars) * ROW_HEIGHT
    )
