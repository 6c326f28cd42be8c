"""`make bench`: every benchmark, one after another, each in its own process.

Benchmarks print figures; they are not timed tests and never fail the build.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_engine.py",
    "bench_import.py",
    "bench_dashboard.py",
    "bench_flatness.py",
    "bench_load.py",  # 60 s of load per database: last, and the longest
]


def main():
    failed = []
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent)
        if result.returncode != 0:
            failed.append(name)
    if failed:
        sys.exit(f"benchmarks that crashed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
