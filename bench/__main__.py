"""Run the benchmarks: every module bench/bench_*.py with a `main()`, or those named.

python -m bench              all of them
python -m bench app engine   bench_app.py and bench_engine.py only
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path


def modules(names: list[str]) -> list[str]:
    found = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if names:
        found = [m for m in found if m.removeprefix("bench_") in names or m in names]
    return found


def main(argv: list[str]) -> int:
    for name in modules(argv):
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            run = importlib.import_module(f"bench.{name}").main
            run()
        except Exception:
            print(f"{name} failed:", flush=True)
            traceback.print_exc(file=sys.stdout)
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
    return 0  # figures to read, never a failed build


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
