"""Airflow scenarios for tests/test_dags.py, run in a subprocess so Airflow's environment (AIRFLOW_HOME, SQLite,
dags folder) is set before Airflow is imported and never leaks into the rest of the test suite.

    python tests/_dags_helpers.py integrity
    python tests/_dags_helpers.py test-ingest 2026-11-20T00:00:00+00:00 [--migrate] [--conf JSON]
    python tests/_dags_helpers.py test-dag newsroom_alerts 2026-11-20T06:15:00+00:00
    python tests/_dags_helpers.py task-log FEED_NAME RECORD_ID
    python tests/_dags_helpers.py call-task newsroom_ingest check '{"record_id": "r", "xcom": {"finalize": {…}}}'

Each prints one JSON line (prefixed RESULT=) with what the test checks.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DAGS = REPO / "dags"


def airflow_env(home: Path, base: dict | None = None) -> dict:
    """Environment for an isolated Airflow: temporary home, SQLite, our dags folder, no examples."""
    env = dict(base if base is not None else os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    })
    return env


def _emit(data: dict) -> None:
    print("RESULT=" + json.dumps(data, default=str), flush=True)


def integrity() -> None:
    from airflow.dag_processing.dagbag import BundleDagBag

    started = time.perf_counter()
    bag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS)  # as the dag-processor: dags/ on sys.path
    dags = {}
    for dag_id, dag in bag.dags.items():
        dags[dag_id] = {
            "tags": sorted(dag.tags or []),
            "owners": sorted({t.owner for t in dag.tasks}),
            "retries": {t.task_id: t.retries for t in dag.tasks},
            "backoff": {t.task_id: float(t.retry_exponential_backoff or 0) for t in dag.tasks},
            "timeouts": {t.task_id: t.execution_timeout.total_seconds() if t.execution_timeout else None
                         for t in dag.tasks},
            "max_active_runs": dag.max_active_runs,
            "catchup": dag.catchup,
            "timetable": type(dag.timetable).__name__,
            "cron": _cron(dag.timetable),
            "assets": sorted(a.uri for a in _assets(dag.timetable)),
            "mapped_limits": {t.task_id: t.max_active_tis_per_dagrun for t in dag.tasks
                              if "Mapped" in type(t).__name__},
            "one_at_a_time": sorted(t.task_id for t in dag.tasks if getattr(t, "max_active_tis_per_dag", None) == 1),
            "tasks": sorted(dag.task_ids),
            "has_cycle": _has_cycle(dag),
            "fileloc": dag.fileloc,
            "outlets": {t.task_id: [getattr(o, "uri", str(o)) for o in t.outlets] for t in dag.tasks},
            "mapped": [t.task_id for t in dag.tasks if "Mapped" in type(t).__name__],
            "triggers": {t.task_id: str(t.trigger_rule) for t in dag.tasks},
        }
    _emit({"import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": dags,
           "seconds": round(time.perf_counter() - started, 3)})


def _cron(timetable) -> str | None:
    inner = getattr(timetable, "timetable", None) or timetable  # AssetOrTimeSchedule wraps a cron timetable
    return getattr(inner, "expression", None)


def _assets(timetable) -> list:
    """The assets a schedule waits on (walks AssetAll/AssetAny conditions down to their assets)."""
    pending, found = [getattr(timetable, "asset_condition", None)], []
    while pending:
        node = pending.pop()
        if node is None:
            continue
        if hasattr(node, "uri"):
            found.append(node)
        else:
            pending.extend(getattr(node, "objects", ()))
    return found


def _has_cycle(dag) -> bool:
    state: dict[str, int] = {}

    def visit(task_id: str) -> bool:
        if state.get(task_id) == 1:
            return True
        if state.get(task_id) == 2:
            return False
        state[task_id] = 1
        if any(visit(child) for child in dag.get_task(task_id).downstream_task_ids):
            return True
        state[task_id] = 2
        return False

    return any(visit(t) for t in dag.task_ids)


def test_ingest(logical_date: str, migrate: bool, conf: dict | None = None) -> None:
    if migrate:
        from airflow.utils.db import resetdb

        resetdb()
    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    bag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS)  # as the dag-processor: dags/ on sys.path
    dag = bag.get_dag("newsroom_ingest")
    started = time.perf_counter()
    try:
        run = dag.test(logical_date=datetime.fromisoformat(logical_date), run_conf=conf)
    except Exception as exc:  # noqa: BLE001 - e.g. a param refused by its schema: the run is never created
        _emit({"refused": f"{type(exc).__name__}: {exc}"})
        return
    seconds = time.perf_counter() - started
    with create_session() as session:
        tis = {f"{ti.task_id}[{ti.map_index}]": str(ti.state) for ti in run.get_task_instances(session=session)}
        events = session.scalars(
            select(AssetEvent).join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .where(AssetModel.uri.in_(["newsroom://articles", "newsroom://articles/"]))
        ).all()
        asset_events = [{"extra": e.extra, "source_run_id": e.source_run_id} for e in events]
    from airflow.models.xcom import XComModel

    with create_session() as session:
        row = session.scalars(
            select(XComModel).where(XComModel.dag_id == "newsroom_ingest", XComModel.run_id == run.run_id,
                                    XComModel.task_id == "finalize", XComModel.key == "return_value")
        ).first()
        record = _value(row)
        feed_rows = session.scalars(
            select(XComModel).where(XComModel.dag_id == "newsroom_ingest", XComModel.run_id == run.run_id,
                                    XComModel.task_id == "collect_feed", XComModel.key == "return_value")
        ).all()
        feeds = {str((_value(r) or {}).get("feeds")): (_value(r) or {}).get("counts") for r in feed_rows}
        indexed_row = session.scalars(
            select(XComModel).where(XComModel.dag_id == "newsroom_ingest", XComModel.run_id == run.run_id,
                                    XComModel.task_id == "enrich_index", XComModel.key == "return_value")
        ).first()
        rows = [row, indexed_row, *feed_rows]
        xcom_bytes = max([len(json.dumps(_value(r), default=str)) for r in rows if r is not None] or [0])
    _emit({"state": str(run.state), "run_id": run.run_id, "tis": tis, "asset_events": asset_events,
           "record": record, "feeds": feeds, "indexed": _value(indexed_row), "max_xcom_bytes": xcom_bytes,
           "seconds": round(seconds, 2)})


def test_dag(dag_id: str, logical_date: str) -> None:
    """Any DAG once: its run state and task states."""
    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.utils.session import create_session

    dag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS).get_dag(dag_id)
    run = dag.test(logical_date=datetime.fromisoformat(logical_date))
    with create_session() as session:
        tis = {ti.task_id: str(ti.state) for ti in run.get_task_instances(session=session)}
    _emit({"state": str(run.state), "tis": tis})


def task_log(feed_name: str, record_id: str) -> None:
    """A feed task's log as an Airflow worker writes it: logging set up as the task process sets it up (JSON lines
    for the supervisor, which the log file and the UI show), then the DAG's own `collect_feed` called as the task
    is. Emits each log line's logger and message, and the task's error."""
    import io

    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.sdk.log import configure_logging

    dag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS).dags["newsroom_ingest"]
    output = io.BytesIO()
    configure_logging(json_output=True, output=output, sending_to_supervisor=True)
    error = None
    try:
        dag.get_task("collect_feed").python_callable(feed_name, record_id, params={"since": None})
    except Exception as exc:  # noqa: BLE001 - the task's failure is part of what the test reads
        error = f"{type(exc).__name__}: {exc}"
    lines = [json.loads(line) for line in output.getvalue().decode("utf-8").splitlines() if line.strip()]
    _emit({"lines": [{"logger": line.get("logger"), "event": line.get("event")} for line in lines], "error": error})


def _value(row):
    if row is None:
        return None
    value = row.value
    return json.loads(value) if isinstance(value, str) else value


def call_task(dag_id: str, task_id: str, kwargs: dict) -> None:
    """A task's body as the DAG file wires it, called outside a run: `xcom` in `kwargs` answers `ti.xcom_pull`."""
    from types import SimpleNamespace

    from airflow.dag_processing.dagbag import BundleDagBag

    bag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS)
    task = bag.dags[dag_id].get_task(task_id)  # no metadata DB needed
    xcom = kwargs.pop("xcom", {})
    ti = SimpleNamespace(xcom_pull=lambda task_ids=None, **_: xcom.get(task_ids))
    try:
        _emit({"returned": task.python_callable(**kwargs, ti=ti)})
    except Exception as exc:  # noqa: BLE001 - what the task raises is what the test checks
        _emit({"raised": type(exc).__name__, "message": str(exc)})


if __name__ == "__main__":
    if sys.argv[1] == "integrity":
        integrity()
    elif sys.argv[1] == "test-ingest":
        conf = json.loads(sys.argv[sys.argv.index("--conf") + 1]) if "--conf" in sys.argv else None
        test_ingest(sys.argv[2], "--migrate" in sys.argv, conf)
    elif sys.argv[1] == "test-dag":
        test_dag(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "call-task":
        call_task(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
    elif sys.argv[1] == "task-log":
        task_log(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown scenario {sys.argv[1]!r}")
