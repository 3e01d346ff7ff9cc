"""A local Airflow for this project, without Docker: `make airflow`, `make airflow-down`, `make airflow-check`.

    python infra/airflow_local.py up      # store + api-server, scheduler, dag-processor, triggerer; prints the UI URL
    python infra/airflow_local.py down    # stops everything `up` started (whole process groups), then the store
    python infra/airflow_local.py check   # a throw-away instance: triggers newsroom_ingest on the sample site,
                                          # waits (bounded) for success, stops everything, checks nothing is left

LocalExecutor; the metadata DB is SQLite under AIRFLOW_HOME unless AIRFLOW_DB_URL is set (PostgreSQL: install the
drivers with `make install-postgres`). Each component is its own process group, so stopping it also stops the
workers it forked. See docs/production.md for which component reads which variable.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPONENTS = ("scheduler", "dag-processor", "triggerer", "api-server")


def component_command(name: str) -> list[str]:
    """The command line of one component. The scheduler and the triggerer would each start a log server on every
    interface (0.0.0.0 or [::], ports 8793 and 8794, whatever AIRFLOW__API__HOST says; a second local instance
    fails to bind them): LocalExecutor's task logs are local files the api-server reads itself."""
    skip = ["--skip-serve-logs"] if name in ("scheduler", "triggerer") else []
    return [str(BIN / "airflow"), name, *skip]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalAirflow:
    def __init__(self, home: Path, data_dir: Path, port: int | None = None, extra_env: dict | None = None):
        self.home = home.resolve()
        self.data_dir = data_dir.resolve()
        self.state = self.home / "newsroom-local.json"
        saved = json.loads(self.state.read_text()) if self.state.exists() else {}
        self.port = port or saved.get("port") or 8080
        self.extra_env = extra_env or {}

    # ---- environment

    def env(self, es_url: str | None) -> dict:
        self.home.mkdir(parents=True, exist_ok=True)
        secret_file = self.home / "jwt_secret"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_hex(32))
            secret_file.chmod(0o600)
        db = os.environ.get("AIRFLOW_DB_URL") or f"sqlite:///{self.home}/airflow.db"
        env = dict(os.environ)
        env.update({
            # Airflow itself (every component reads these)
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": os.environ.get("AIRFLOW__CORE__PARALLELISM", "4"),  # pre-forked workers
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": secret_file.read_text().strip(),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "INFO"),
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # components spawn `airflow` via PATH
            # newsroom: read at run time by the task processes (the executor's children)
            "NEWSROOM_DATA_DIR": str(self.data_dir),
        })
        if es_url:  # several processes share one store: the running stand-in, by URL
            env["NEWSROOM_ES_URL"] = es_url
        env.update(self.extra_env)
        return env

    def _pid_file(self, name: str) -> Path:
        return self.home / "pids" / f"{name}.pid"

    # ---- up / down

    def up(self, timeout: float = 240.0) -> dict:
        es_url, started_store = os.environ.get("NEWSROOM_ES_URL"), False
        if not es_url:
            out = subprocess.run([str(BIN / "newsroom"), "store", "up"], env={**os.environ, "NEWSROOM_DATA_DIR": str(self.data_dir)},
                                 capture_output=True, text=True, check=True)
            es_url, started_store = out.stdout.strip().splitlines()[-1], True
        env = self.env(es_url)
        # the state file and the terminal never carry the store's credentials (NEWSROOM_ES_URL=https://user:pw@…)
        self.state.write_text(json.dumps({"port": self.port, "store": started_store, "es_url": _masked(es_url)}))
        subprocess.run([str(BIN / "airflow"), "db", "migrate"], env=env, cwd=self.home, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        (self.home / "pids").mkdir(exist_ok=True)
        (self.home / "logs").mkdir(exist_ok=True)
        for name in COMPONENTS:
            if self._alive(name):
                continue
            log = open(self.home / "logs" / f"{name}.out", "ab")  # noqa: SIM115 - handed to the child
            proc = subprocess.Popen(component_command(name), env=env, cwd=self.home, stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            self._pid_file(name).write_text(str(proc.pid))
        self._wait_healthy(timeout)
        return {"url": f"http://127.0.0.1:{self.port}", "es_url": _masked(es_url), "home": str(self.home), "env": env}

    def _alive(self, name: str) -> bool:
        pid_file = self._pid_file(name)
        if not pid_file.exists():
            return False
        try:
            os.kill(int(pid_file.read_text()), 0)
            return True
        except (ProcessLookupError, ValueError):
            return False

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/api/v2/monitor/health"
        last = "no answer"
        while time.monotonic() < deadline:
            dead = [n for n in COMPONENTS if not self._alive(n)]
            if dead:
                raise SystemExit(f"airflow {dead[0]} exited at start: see {self.home}/logs/{dead[0]}.out")
            try:
                with urllib.request.urlopen(url, timeout=3) as resp:
                    health = json.load(resp)
                states = {k: (v or {}).get("status") for k, v in health.items()}
                if all(states.get(k) == "healthy" for k in ("metadatabase", "scheduler", "dag_processor", "triggerer")):
                    return
                last = json.dumps(states)
            except OSError as exc:
                last = str(exc)
            time.sleep(2)
        raise SystemExit(f"Airflow not healthy after {timeout:.0f} s ({last}): see {self.home}/logs/")

    def down(self, grace: float = 30.0) -> list[str]:
        """Stop every component's whole process group (SIGTERM, then SIGKILL after `grace`), then the store."""
        stopped = []
        groups = []
        for name in COMPONENTS:
            pid_file = self._pid_file(name)
            if pid_file.exists():
                pid = int(pid_file.read_text())
                try:
                    os.killpg(pid, signal.SIGTERM)
                    groups.append(pid)
                    stopped.append(name)
                except ProcessLookupError:
                    pass
                pid_file.unlink()
        deadline = time.monotonic() + grace
        for pgid in groups:
            while time.monotonic() < deadline and _group_alive(pgid):
                time.sleep(0.5)
            if _group_alive(pgid):
                os.killpg(pgid, signal.SIGKILL)
        saved = json.loads(self.state.read_text()) if self.state.exists() else {}
        if saved.get("store"):
            subprocess.run([str(BIN / "newsroom"), "store", "down"], env={**os.environ, "NEWSROOM_DATA_DIR": str(self.data_dir)},
                           capture_output=True, text=True)
            stopped.append("store")
        self.state.unlink(missing_ok=True)
        return stopped

    def leftovers(self) -> list[str]:
        """Processes still carrying this instance's AIRFLOW_HOME or data dir in their environment or command line."""
        marks = (f"AIRFLOW_HOME={self.home}".encode(), str(self.data_dir).encode())
        found = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit() or int(proc.name) == os.getpid():
                continue
            try:
                blob = (proc / "environ").read_bytes() + (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if any(m in blob for m in marks):
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")[:120].decode(errors="replace")
                found.append(f"{proc.name}: {cmdline}")
        return found


def _masked(url: str) -> str:
    sys.path.insert(0, str(REPO))
    from pipeline.sinks import mask_url

    return mask_url(url)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def _airflow(env: dict, *args: str, timeout: float = 120) -> str:
    out = subprocess.run([str(BIN / "airflow"), *args], env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode:
        raise SystemExit(f"airflow {' '.join(args)} failed: {out.stderr[-2000:]}")
    return out.stdout


def _json_tail(text: str):
    for line in reversed(text.strip().splitlines()):
        if line.startswith(("[", "{")):
            return json.loads(line)
    return []


def check(timeout: float = 900.0, port: int | None = None) -> int:
    """Start a throw-away instance, run newsroom_ingest on the sample site, stop everything; 0 when it succeeded.
    Its API server listens on `port` (AIRFLOW_PORT, as for `up`), else on any free port."""
    sys.path.insert(0, str(REPO))
    from pipeline.demo import demo_env, serve_site, write_feeds_file

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="newsroom-airflow-check-"))
    server, base = serve_site()
    feeds = write_feeds_file(base, work / "config")
    extra = {k: v for k, v in demo_env({}).items() if k.startswith("NEWSROOM_FETCH")}
    extra.update({"NEWSROOM_FEEDS_FILE": str(feeds), "NEWSROOM_TASK_RETRIES": "0"})
    instance = LocalAirflow(work / "airflow-home", work / "data", port=port or _free_port(), extra_env=extra)
    saved_es = os.environ.pop("NEWSROOM_ES_URL", None)  # its own store, never the user's
    state, ok = "not started", False
    try:
        info = instance.up()
        print(f"[check] Airflow healthy at {info['url']} after {time.monotonic() - started:.0f} s", flush=True)
        env = info["env"]
        deadline = time.monotonic() + timeout
        while "newsroom_ingest" not in _airflow(env, "dags", "list", "-o", "plain"):
            if time.monotonic() > deadline:
                raise SystemExit("newsroom_ingest was never parsed: see the dag-processor log")
            time.sleep(3)
        run_id = f"newsroom-check-{int(time.time())}"
        _airflow(env, "dags", "unpause", "newsroom_ingest")  # also schedules the latest interval: not waited for
        _airflow(env, "dags", "trigger", "newsroom_ingest", "--run-id", run_id)
        print(f"[check] newsroom_ingest triggered (run {run_id}); waiting for it", flush=True)
        while time.monotonic() < deadline:
            runs = _json_tail(_airflow(env, "dags", "list-runs", "newsroom_ingest", "-o", "json"))
            state = next((r["state"] for r in runs if r.get("run_id") == run_id), "queued")
            if state in ("success", "failed"):
                break
            time.sleep(5)
        ok = state == "success"
        print(f"[check] DAG run state: {state} after {time.monotonic() - started:.0f} s", flush=True)
        logs = list((instance.home / "logs").glob(f"dag_id=newsroom_ingest/run_id={run_id}/**/*.log"))
        noisy = sum(p.read_text(errors="replace").count("XCom not found") for p in logs)
        print(f"[check] {len(logs)} task logs; 'XCom not found' lines in them: {noisy}", flush=True)
    finally:
        stopped = instance.down()
        server.shutdown()
        if saved_es:
            os.environ["NEWSROOM_ES_URL"] = saved_es
        time.sleep(1)
        left = instance.leftovers()
        print(f"[check] stopped: {', '.join(stopped) or 'nothing'}; processes left behind: {len(left)}", flush=True)
        for line in left:
            print(f"[check]   {line}", flush=True)
        ok = ok and not left
        if ok:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"[check] logs kept in {work}/airflow-home/logs", flush=True)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "down", "check"])
    args = parser.parse_args(argv)
    home = Path(os.environ.get("AIRFLOW_HOME", REPO / ".airflow"))
    data_dir = Path(os.environ.get("NEWSROOM_DATA_DIR", REPO / "data"))
    port = int(os.environ["AIRFLOW_PORT"]) if os.environ.get("AIRFLOW_PORT") else None
    if args.command == "check":  # on a shared machine the operator's own port, not whichever is free
        return check(port=port)
    instance = LocalAirflow(home, data_dir, port=port)
    if args.command == "up":
        info = instance.up()
        print(f"Airflow UI: {info['url']}  (login: none needed; every local user is admin — simple auth manager)")
        print(f"Elasticsearch: {info['es_url']}; AIRFLOW_HOME: {info['home']}; logs: {info['home']}/logs/")
        print("The DAGs start paused (Airflow's default): unpause them in the UI, or with "
              f"AIRFLOW_HOME={info['home']} {BIN}/airflow dags unpause newsroom_ingest "
              "(and newsroom_alerts, newsroom_maintenance)")
        print("Stop everything with: make airflow-down")
        return 0
    stopped = instance.down()
    print(f"stopped: {', '.join(stopped) or 'nothing was running'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
