"""Server-rendered SVG trend charts: coordinates are computed here, the template only draws.

A line chart per indicator, years on the horizontal axis, zero at the bottom; the data table
under each chart carries every value (the chart itself shows only the last one). A
provisional year (not published, `observatory.consolidation.is_published`) is drawn apart: a
hollow point reached by a dashed line, and "provisoire" beside its year in the table."""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 400, 200
LEFT, RIGHT, TOP, BOTTOM = 30, 30, 28, 28


def nice_max(value):
    """A round ceiling above `value` for the axis (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


@dataclass
class Point:
    year: int
    value: int | None
    x: float = 0.0
    y: float = 0.0
    provisional: bool = False


@dataclass
class TrendChart:
    slug: str
    title: str
    unit: str
    points: list = field(default_factory=list)
    top: int = 1
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    right: float = WIDTH - RIGHT
    left: float = LEFT

    @property
    def solid_lines(self):
        """The `points` attribute of each solid line: one per run of consecutive published
        years with values (two points at least)."""
        runs, run = [], []
        for point in self.drawn:
            if point.provisional:
                runs.append(run)
                run = []
            else:
                run.append(point)
        runs.append(run)
        return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in runs if len(run) > 1]

    @property
    def dashed(self):
        """[(from, to)] of the segments that reach a provisional point, drawn dashed."""
        drawn = self.drawn
        return [
            (start, end)
            for start, end in zip(drawn, drawn[1:], strict=False)
            if start.provisional or end.provisional
        ]

    @property
    def has_provisional(self):
        return any(p.provisional for p in self.points)

    @property
    def drawn(self):
        return [p for p in self.points if p.value is not None]

    @property
    def last(self):
        drawn = self.drawn
        return drawn[-1] if drawn else None


def trend_chart(slug, title, unit, series, provisional=()):
    """A TrendChart for [(year, value or None)], oldest first; the years of `provisional`
    are marked."""
    values = [value for _year, value in series if value is not None]
    top = nice_max(max(values, default=0))
    count = len(series)
    span = WIDTH - LEFT - RIGHT
    points = []
    for index, (year, value) in enumerate(series):
        x = LEFT + (span / 2 if count == 1 else span * index / (count - 1))
        y = HEIGHT - BOTTOM - (value or 0) * (HEIGHT - TOP - BOTTOM) / top
        points.append(Point(year, value, round(x, 1), round(y, 1), year in provisional))
    return TrendChart(slug, title, unit, points, top)
