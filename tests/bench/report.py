"""The benchmark's markdown table: each endpoint's throughput and latency, and p99 ratios."""

from datetime import UTC, datetime


def _ratio(value: float, base) -> str:
    return f"{value / base.p99_ms:.1f}x" if base is not None and base.p99_ms > 0 else "n/a"


def render(scale_name: str, scale: dict, endpoints, results: dict, figures: dict[str, str]) -> str:
    floor, b1 = results["floor"][0], results["b1"][0]
    lines = [
        f"# RedBook bench, scale {scale_name} ({scale['users']:,} users, {scale['notes']:,} notes)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; gunicorn 2 workers x 4 threads, wrk 16 connections.",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | errors | p99 / floor | p99 / B1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for endpoint in endpoints:
        result, note = results[endpoint.key]
        if result is None:
            lines.append(f"| {endpoint.label} | {note} | | | | | |")
            continue
        lines.append(
            f"| {endpoint.label} | {result.rps:.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | "
            f"{result.errors} | {_ratio(result.p99_ms, floor)} | {_ratio(result.p99_ms, b1)} |"
        )
    lines += ["", "| figure | value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in figures.items()]
    return "\n".join(lines) + "\n"
