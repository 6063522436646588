"""Time the identifying-detail detector and write the figures into docs/identifiers.md. Not run in CI.

Usage: .venv/bin/python bench/detector.py
"""

from __future__ import annotations

import json
import platform
import re
import sys
import time
import timeit
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roundtable.services.identifiers import detect  # noqa: E402
from yardstick import YARDSTICK, yardstick_us  # noqa: E402  (bench/, the script's own folder)

DOC = ROOT / "docs" / "identifiers.md"
MARKED = re.compile(r"(<!-- detector timing: written by bench/detector.py -->\n).*?(\n<!-- end of detector timing -->)",
                    re.S)
LENGTH = 2000
RUNS = 20


def main() -> int:
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / "pii_dev.jsonl").open(encoding="utf-8")]
    text = " ".join(row["text"] for row in rows)[:LENGTH]
    started = time.perf_counter()
    detect(text)
    first = time.perf_counter() - started
    best = min(timeit.repeat(lambda: detect(text), number=1, repeat=RUNS))
    figures = (
        f"Measured by `bench/detector.py` on {datetime.now(timezone.utc):%Y-%m-%d} (Python "
        f"{platform.python_version()}; plain Python's yardstick `{YARDSTICK}` took {yardstick_us()} µs): "
        f"`detect()` takes {best * 1000:.1f} ms for a {LENGTH:,}-character text of the "
        f"dev set (best of {RUNS}); the first call also loads the word lists ({first * 1000:.0f} ms). "
        "`tests/services/test_identifiers.py` checks, without a clock, that twice the text costs about twice the work."
    )
    document = DOC.read_text(encoding="utf-8")
    if not MARKED.search(document):
        raise SystemExit(f"{DOC} has no detector timing markers")
    DOC.write_text(MARKED.sub(lambda m: m.group(1) + figures + m.group(2), document), encoding="utf-8")
    print(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
