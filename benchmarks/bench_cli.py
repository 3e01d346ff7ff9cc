"""Start-up time of the light commands (target: under 1 s to first output) and which heavy modules they load.

Each command runs in a fresh interpreter, as a user types it, against a throw-away embedded store holding a few
articles (so `store status`, `coverage` and `search` do real work). Prints the median wall time, the median CPU
time (user + system: stable on a shared machine) and the heavy libraries found in `sys.modules` at exit.

    .venv/bin/python -m benchmarks.bench_cli [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("spacy", "matplotlib", "airflow", "transformers", "torch", "trafilatura", "nltk", "scipy")
COMMANDS = [["--help"], ["config", "show"], ["feeds", "list"], ["store", "status"],
            ["coverage", "--entity", "mistral", "--since", "2026-11-01", "--until", "2026-11-30"],
            ["search", "souveraineté"]]
# Runs the real entry point, then reports the heavy modules loaded (on stderr, after the command's own output).
PROBE = ("import atexit, sys\n"
         f"atexit.register(lambda: print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules), "
         "file=sys.stderr))\n"
         "from pipeline.cli import main\n"
         "main(sys.argv[1:])\n")


def run(command: list[str], env: dict) -> tuple[float, float, str, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PROBE, *command], capture_output=True, text=True, env=env,
                          timeout=120)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    heavy = next((line[6:] for line in proc.stderr.splitlines() if line.startswith("HEAVY=")), "?")
    return wall, cpu, heavy or "-", proc.returncode


def _seed(env: dict) -> None:
    """A few articles in the throw-away store (the pipeline's own indexer)."""
    code = (
        "from benchmarks.bench_search import records\n"
        "from pipeline.settings import load_settings\n"
        "from pipeline.store.client import make_client\n"
        "from pipeline.store.indexing import index_enriched\n"
        "s = load_settings(); c = make_client(s); index_enriched(c, s, records(50, 200))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=300)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        env = {**os.environ, "NEWSROOM_DATA_DIR": str(Path(tmp) / "data"), "PYTHONPATH": str(root)}
        env.pop("NEWSROOM_ES_URL", None)
        subprocess.run([sys.executable, "-m", "pipeline", "store", "up"], check=True, env=env, capture_output=True)
        try:
            _seed(env)
            print(f"{'command':75s} {'wall (median)':>14s} {'CPU (median)':>13s}  heavy modules loaded")
            for command in COMMANDS:
                runs = [run(command, env) for _ in range(args.runs)]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                status = "" if all(r[3] == 0 for r in runs) else f"  (exit {runs[-1][3]})"
                print(f"newsroom {' '.join(command):66s} {wall:12.2f} s {cpu:11.2f} s  {runs[-1][2]}{status}")
        finally:
            subprocess.run([sys.executable, "-m", "pipeline", "store", "down"], env=env, capture_output=True)


if __name__ == "__main__":
    main()
