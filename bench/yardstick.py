"""How fast this machine runs plain Python, printed with every benchmark so runs on different machines compare."""

from __future__ import annotations

import timeit

YARDSTICK = "sum(i * i for i in range(10000))"


def yardstick_us() -> int:
    """Microseconds for one run of YARDSTICK (best of five batches of 200)."""
    return round(min(timeit.repeat(YARDSTICK, number=200, repeat=5)) / 200 * 1e6)
