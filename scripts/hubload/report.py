"""What the hub test prints: a line per student, each cell's latency over the class, the totals, and the verdict
line ``K/N students succeeded``."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from .hub import Peaks
from .settings import ClassSettings
from .student import Visit

MB = 10**6


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100) of a non-empty sequence: always one of the values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def spread(values: Sequence[float]) -> str:
    """"median / p95 / max" in seconds, or "-" if there are none."""
    if not values:
        return "-"
    return f"{percentile(values, 50):.2f} / {percentile(values, 95):.2f} / {max(values):.2f} s"


def megabytes(value: float | None) -> str:
    return "-" if value is None else f"{value / MB:.0f} MB"


def verdict(visits: Sequence[Visit], peaks: Peaks, settings: ClassSettings) -> list[str]:
    """Fail every student whose server and kernels went over the chart's memory limit: a pod would be killed."""
    for visit in visits:
        peak = peaks.students.get(visit.name)
        if visit.failure is None and peak is not None and peak > settings.memory_limit:
            visit.failure = (f"memory: server and kernels peaked at {megabytes(peak)}, over the "
                             f"{megabytes(settings.memory_limit)} limit of the chart config (Kubernetes would "
                             f"kill this pod)")
    return [visit.name for visit in visits if not visit.ok]


def lines(visits: Sequence[Visit], peaks: Peaks, settings: ClassSettings, cells_source: dict[int, str],
          wall: float, load: tuple[tuple[float, ...], tuple[float, ...]], cores: int) -> list[str]:
    out = ["", f"{'student':<10} {'result':<8} {'login':>6} {'spawn':>6} {'pull':>6} {'1st out':>8}  "
           f"{'cells median / p95 / max':<26} {'Step median / p95 / max':<26} {'kernel':>7} {'pod':>7}"]
    for visit in visits:
        stage = visit.stages
        out.append(f"{visit.name:<10} {'ok' if visit.ok else 'FAILED':<8} {stage.get('login', 0):>5.1f}s "
                   f"{stage.get('spawn', 0):>5.1f}s {stage.get('pull', 0):>5.1f}s "
                   f"{(f'{visit.first_output:.1f}s' if visit.first_output else '-'):>8}  "
                   f"{spread([latency for _, latency in visit.cells]):<26} {spread(visit.steps):<26} "
                   f"{megabytes(visit.kernel_peak_kib and visit.kernel_peak_kib * 1024):>7} "
                   f"{megabytes(peaks.students.get(visit.name)):>7}")
        if visit.reconnects:
            out.append(f"           the kernel's websocket had to be opened again {visit.reconnects} time(s)")
        if not visit.ok:
            out.append(f"           why: at {visit.stage}: {visit.failure}")
    out += ["", "each cell of notebook 03 over the class (send to idle), median / p95 / max:"]
    by_cell: dict[int, list[float]] = {}
    for visit in visits:
        for index, latency in visit.cells:
            by_cell.setdefault(index, []).append(latency)
    for index, latencies in sorted(by_cell.items()):
        out.append(f"  cell {index:>2}  {spread(latencies):<26} {cells_source.get(index, '')[:60]}")
    steps = [step for visit in visits for step in visit.steps]
    kernels = [visit.kernel_peak_kib * 1024 for visit in visits if visit.kernel_peak_kib]
    pods = list(peaks.students.values())
    first = [visit.first_output for visit in visits if visit.first_output]
    out += [
        "",
        f"class of {len(visits)} on {cores} cores, {wall:.0f} s wall; load average {load[0][0]:.2f} before, "
        f"{load[1][0]:.2f} after (1 min)",
        f"time to first output of notebook 03 (from the login): {spread(first)}",
        f"every cell: {spread([latency for visit in visits for _, latency in visit.cells])}",
        f"Step (click to new frame), {len(steps)} steps: {spread(steps)}; "
        f"{sum(step < 1 for step in steps)} under a second",
        f"kernel peak (ru_maxrss): max {megabytes(max(kernels, default=None))}; server and kernels per student: "
        f"max {megabytes(max(pods, default=None))} (chart limit {megabytes(settings.memory_limit)}, guarantee "
        f"{megabytes(settings.memory_guarantee)})",
        f"hub peak {megabytes(peaks.hub)}, proxy peak {megabytes(peaks.proxy)}",
    ]
    return out


def summary_json(visits: Sequence[Visit], peaks: Peaks) -> str:
    """One JSON line a test or a spreadsheet can read."""
    return json.dumps({"students": [{"name": v.name, "ok": v.ok, "stage": v.stage, "failure": v.failure,
                                     "stages": v.stages, "first_output": v.first_output, "cells": v.cells,
                                     "steps": v.steps, "reconnects": v.reconnects, "kernel_peak_kib": v.kernel_peak_kib,
                                     "pod_peak": peaks.students.get(v.name)} for v in visits],
                       "hub_peak": peaks.hub, "proxy_peak": peaks.proxy})
