"""Parse time of each DAG file, as Airflow's dag processor measures it (DagBag file-load stats). Target: < 2 s each.

    .venv/bin/python -m benchmarks.bench_dag_parse [--repeat 5] [--json]

Runs Airflow in a subprocess with a temporary AIRFLOW_HOME (SQLite, examples off), so nothing touches a real
Airflow install. For each file: the median over `--repeat` fresh parses (module re-imported each time) of the
time DagBag spends loading it, with Airflow itself already imported (as in the dag processor); plus, once, the
cold time of a new interpreter importing Airflow and parsing the whole dags/ folder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DAGS = Path(__file__).resolve().parent.parent / "dags"
TARGET_S = 2.0

_CHILD = r"""
import json, sys, time
from pathlib import Path
from airflow.dag_processing.dagbag import BundleDagBag
repeat = int(sys.argv[1])
out = {}
folder = Path(sys.argv[2])
ignored = set((folder / ".airflowignore").read_text().split()) if (folder / ".airflowignore").exists() else set()
for path in sorted(p for p in folder.glob("*.py") if p.name not in ignored):
    times, dags, tasks, errors = [], 0, 0, {}
    for _ in range(repeat):
        bag = BundleDagBag(dag_folder=str(path), bundle_path=folder, safe_mode=False)  # dags/ on sys.path
        stat = bag.dagbag_stats[0]
        times.append(stat.duration.total_seconds() if hasattr(stat.duration, "total_seconds") else float(stat.duration))
        dags, tasks, errors = stat.dag_num, stat.task_num, {k: str(v)[:300] for k, v in bag.import_errors.items()}
    out[path.name] = {"seconds": times, "dags": dags, "tasks": tasks, "import_errors": errors}
print("RESULT=" + json.dumps(out))
"""


def _env(home: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "ERROR",
    })
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        env = _env(Path(home))
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(args.repeat), str(DAGS)], env=env,
                              capture_output=True, text=True, timeout=600)
        cold = time.perf_counter() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT=")]
    if proc.returncode or not lines:
        print(proc.stderr[-3000:], file=sys.stderr)
        return 1
    per_file = json.loads(lines[-1].removeprefix("RESULT="))
    report = {
        "target_s": TARGET_S,
        "process_total_s": round(cold, 2),  # interpreter + Airflow import + repeat x parse of every file
        "files": {
            name: {"median_s": round(statistics.median(s["seconds"]), 4), "max_s": round(max(s["seconds"]), 4),
                   "dags": s["dags"], "tasks": s["tasks"], "import_errors": s["import_errors"]}
            for name, s in per_file.items()
        },
    }
    ok = all(f["max_s"] < TARGET_S and not f["import_errors"] and f["dags"] for f in report["files"].values())
    report["ok"] = ok
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"DAG parse time (DagBag file-load stats, {args.repeat} parses each; target < {TARGET_S:.0f} s per file)")
        for name, f in report["files"].items():
            status = "ok" if f["max_s"] < TARGET_S and not f["import_errors"] else "FAIL"
            print(f"  {name:28s} median {f['median_s'] * 1000:7.1f} ms  max {f['max_s'] * 1000:7.1f} ms  "
                  f"{f['dags']} dag, {f['tasks']} tasks  {status}")
            for file, error in f["import_errors"].items():
                print(f"    import error in {file}: {error}")
        print(f"  whole subprocess (python start + Airflow import + all parses): {report['process_total_s']:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
