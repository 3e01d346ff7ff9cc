"""The daily Airflow run's work, two layouts side by side, each task in its own process as Airflow runs it.

    .venv/bin/python -m benchmarks.bench_dag_run [--feeds 39] [--per-feed 5] [--parallelism 2] [--json]

A generated local news site (benchmarks.bench_ingest.make_site) with `--feeds` feeds of `--per-feed` articles each,
served on 127.0.0.1, and one embedded stand-in shared by every task (NEWSROOM_ES_URL), as under `make airflow`:
  before  one task per feed doing fetch → extract → enrich → index (`pipeline.ingest.ingest` on that feed, what
          the former `ingest_feed` task ran): every task loads the spaCy models;
  after   one `collect_feed` task per feed (fetch → extract → archive → staged file), then one `enrich_index` task
          for the whole run (pipeline.orchestration): the models load once.
Feed tasks run `--parallelism` at a time (the DAG's max_active_tis_per_dagrun). Prints, per layout, wall time,
CPU time of the task processes, and how many task processes loaded the spaCy models.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.bench_ingest import make_site, serve


def _task(argv: list[str]) -> int:
    """One task body in this process (called by the parent through `python -m benchmarks.bench_dag_run --task`)."""
    kind, feed_name, run_id = argv
    from pipeline import orchestration
    from pipeline.enrich.models import loaded_model_names
    from pipeline.errors import NewsroomError
    from pipeline.feeds import load_feeds
    from pipeline.ingest import ingest
    from pipeline.settings import load_settings

    settings = load_settings()
    started = time.perf_counter()
    out: dict = {}
    try:
        if kind == "per-feed":
            feed = next(f for f in load_feeds(settings=settings) if f.name == feed_name)
            out = ingest(settings, feeds=[feed], run_id=run_id, write_run_record=False).counts
        elif kind == "collect":
            out = orchestration.collect_feed(feed_name, run_id, settings=settings)["counts"]
        else:
            staged = [{"staged": str(p)} for p in sorted(orchestration.staging_dir(settings, run_id).glob("*.jsonl"))]
            out = orchestration.enrich_and_index_run(staged, run_id, settings=settings)["counts"]
    except NewsroomError as exc:
        out = {"error": str(exc)}
    print("RESULT=" + json.dumps({"models": len(loaded_model_names()), "seconds": time.perf_counter() - started,
                                  "counts": out}), flush=True)
    return 0


def _run(kind: str, feed: str, run_id: str, env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_dag_run", "--task", kind, feed, run_id], env=env,
                          capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT=")]
    if proc.returncode or not lines:
        raise SystemExit(f"task {kind} {feed!r} failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("RESULT="))


def _layout(name: str, feeds: list[str], env: dict, parallelism: int) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run_id = f"bench-{name}"
    kind = "per-feed" if name == "before" else "collect"
    with ThreadPoolExecutor(max_workers=parallelism) as pool:
        results = list(pool.map(lambda f: _run(kind, f, run_id, env), feeds))
    if name == "after":
        results.append(_run("enrich", "-", run_id, env))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    indexed = sum(r["counts"].get("indexed", 0) for r in results)
    return {"tasks": len(results), "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "task_processes_loading_models": sum(1 for r in results if r["models"]), "indexed": indexed,
            "errors": [r["counts"]["error"] for r in results if "error" in r["counts"]][:5]}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--task":
        return _task(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=39)
    parser.add_argument("--per-feed", type=int, default=5)
    parser.add_argument("--parallelism", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-dag-run-"))
    files, feed_defs = make_site(args.feeds * args.per_feed, args.feeds)
    server, base = serve(files)
    feeds_yaml = work / "feeds.yaml"
    feeds_yaml.write_text("feeds:\n" + "".join(
        f'  - name: "{f["name"]}"\n    url: "{base}{f["path"]}"\n    lang: {f["lang"]}\n' for f in feed_defs),
        encoding="utf-8")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_")}
    base_env.update({"NEWSROOM_FEEDS_FILE": str(feeds_yaml), "NEWSROOM_FETCH_ALLOW_HOSTS": "127.0.0.1",
                     "NEWSROOM_FETCH_HOST_DELAY": "0", "NEWSROOM_DATA_DIR": str(work / "store")})
    newsroom = str(Path(sys.executable).with_name("newsroom"))
    es_url = subprocess.run([newsroom, "store", "up"], env=base_env, capture_output=True, text=True,
                            check=True).stdout.strip().splitlines()[-1]
    figures = {"feeds": args.feeds, "articles": args.feeds * args.per_feed, "parallelism": args.parallelism,
               "cpus": os.cpu_count()}
    try:
        for name in ("before", "after"):
            env = {**base_env, "NEWSROOM_ES_URL": es_url, "NEWSROOM_ES_INDEX_PREFIX": f"bench-{name}",
                   "NEWSROOM_DATA_DIR": str(work / f"data-{name}")}
            figures[name] = _layout(name, [f["name"] for f in feed_defs], env, args.parallelism)
            if not args.json:
                print(f"{name}: {json.dumps(figures[name])}", file=sys.stderr, flush=True)
    finally:
        subprocess.run([newsroom, "store", "down"], env=base_env, capture_output=True)
        server.shutdown()
    b, a = figures["before"], figures["after"]
    figures["cpu_ratio_after_vs_before"] = round(a["cpu_s"] / b["cpu_s"], 2) if b["cpu_s"] else None
    figures["wall_ratio_after_vs_before"] = round(a["wall_s"] / b["wall_s"], 2) if b["wall_s"] else None
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
