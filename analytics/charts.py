"""Daily bar charts drawn on the server as SVG geometry (no script, no library).

Each chart comes with the rows of its table, which the page shows behind it for
screen readers and for anyone who wants the numbers.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

WIDTH, HEIGHT, TOP_GAP = 600, 150, 12


@dataclass
class Chart:
    metric: str
    label: str
    is_money: bool
    total: object
    peak: object
    bars: list[dict] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def is_empty(self) -> bool:
        return not self.peak


def daily_chart(daily: list[dict], *, metric: str, label: str, is_money: bool = False) -> Chart:
    """One bar per day scaled to the best day; a day's bar is at least a hairline when non-zero."""
    values = [Decimal(row[metric]) for row in daily]
    peak = max(values, default=Decimal(0))
    scale = (HEIGHT - TOP_GAP) / float(peak) if peak > 0 else 0
    slot = WIDTH / max(len(daily), 1)
    gap = min(2.0, slot / 4)
    bars = []
    for i, (row, value) in enumerate(zip(daily, values, strict=True)):
        height = round(max(float(value) * scale, 1.5 if value > 0 else 0), 1)
        bars.append(
            {
                "day": date.fromisoformat(row["date"]),
                "value": row[metric],
                "x": round(i * slot + gap / 2, 2),
                "width": round(slot - gap, 2),
                "y": round(HEIGHT - height, 1),
                "height": height,
            }
        )
    return Chart(
        metric=metric,
        label=label,
        is_money=is_money,
        total=sum(values, Decimal(0)) if is_money else int(sum(values)),
        peak=peak,
        bars=bars,
        first_day=bars[0]["day"] if bars else None,
        last_day=bars[-1]["day"] if bars else None,
    )
