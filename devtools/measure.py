"""Measuring helpers shared by the benchmarks: percentiles, memory, the machine."""

from __future__ import annotations

import math
import os
import platform
import resource
from collections.abc import Sequence


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``share`` of values ≤ it.

    Args:
        values: Measurements (not empty).
        share: 0.5 for the median, 0.95 for p95.
    """
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))
    return ordered[index]


def rss_mb() -> float:
    """Peak resident memory of this process in MB (``ru_maxrss`` is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    """The machine a figure was measured on: architecture, usable cores, Python."""
    cores = len(os.sched_getaffinity(0))
    return f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"
