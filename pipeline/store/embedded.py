"""The embedded Elasticsearch-compatible stand-in (noida-db), used when NEWSROOM_ES_URL is unset.

It runs on 127.0.0.1 only, keeps its data under <data_dir>/es, and is started/stopped by the project
(`newsroom store up|down|status`, the ingest command, the tests).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import StoreError, StoreRefused

log = logging.getLogger(__name__)
HOST = "127.0.0.1"


def _noida_binary() -> str:
    candidate = Path(sys.executable).parent / "noida-db"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("noida-db")
    if not found:
        raise StoreError(
            "The embedded Elasticsearch stand-in (noida-db) is not installed; run `make install` "
            "or set NEWSROOM_ES_URL to an Elasticsearch cluster."
        )
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


DATA_FILE = "elasticsearch.json"  # where noida-db keeps every index of the data dir, rewritten whole
CONTROL_FILE = "noida.control.json"  # {"pid": ..., "port": <control port>, ...}, written by a running noida-db
FULL_PARSE_MAX = 64 * 1024 * 1024  # parsed whole up to this size (~0.25 s, ~140 MB peak); only its ends above


def data_file_problem(data_dir: Path) -> str | None:
    """One sentence when the store's data file is not whole JSON, else None.

    noida-db reads a half-written file as an empty store and its next write replaces it: every article,
    correction and alert record would be lost. So the file is checked before the store starts. A file up to
    FULL_PARSE_MAX is parsed whole; a larger one must start with `{` and end with `}`, which catches truncation
    almost always (a full parse costs ~0.5 s and ~280 MB per 130 MB).
    """
    path = data_dir / DATA_FILE
    try:
        size = path.stat().st_size
        if size == 0:
            return None
        with path.open("rb") as fh:
            if size <= FULL_PARSE_MAX:
                json.loads(fh.read())
                return None
            head = fh.read(4096).lstrip()
            fh.seek(max(0, size - 4096))
            tail = fh.read().rstrip()
    except FileNotFoundError:
        return None
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return _damaged(path, f"{type(exc).__name__}: {exc}")
    except OSError as exc:
        # not a damaged file: a data directory under a file, no permission to read, the file a directory (`store
        # status` said "damaged or half-written … restore it from a backup" of a file that may be intact)
        return (f"The embedded store's data file {path} cannot be read ({exc.strerror or exc}), so the store was not "
                f"started; check NEWSROOM_DATA_DIR ({data_dir.parent}) and the file's permissions.")
    if head[:1] == b"{" and tail[-1:] == b"}":
        return None
    return _damaged(path, "it does not start with { and end with }")


def _damaged(path: Path, why: str) -> str:
    return (f"The embedded store's data file {path} is damaged or half-written ({why}), so the store was not "
            f"started and nothing was overwritten: restore it from a backup, or move it away to start an empty "
            f"store.")


def _ping(url: str, timeout: float = 1.0) -> bool:
    """True when `url` answers like the noida-db stand-in (GET / names it: build_hash "noida")."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback only
            if resp.status != 200:
                return False
            body = json.loads(resp.read(65536))
    except Exception:  # noqa: BLE001
        return False
    version = body.get("version") if isinstance(body, dict) else None
    return isinstance(version, dict) and version.get("build_hash") == "noida" and bool(version.get("number"))


def _noida_of(pid: int) -> tuple[Path, str | None] | None:
    """(data dir, Elasticsearch port) on the command line of a live noida-db process `pid`, else None."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return None
    if "noida-db" not in Path(args[0]).name:
        return None
    option = {a: b for a, b in zip(args, args[1:]) if a.startswith("--")}
    their_dir = Path(option.get("--data-dir", ".noida-db"))
    try:
        if not their_dir.is_absolute():
            their_dir = Path(f"/proc/{pid}/cwd").resolve() / their_dir
        return their_dir.resolve(), option.get("--elasticsearch-port")
    except OSError:
        return None


def store_on_port(port: int) -> tuple[int, Path] | None:
    """(pid, data dir) of the live noida-db whose Elasticsearch listens on `port`, read from the processes' command
    lines (None without /proc, as on macOS: the check is then skipped)."""
    proc = Path("/proc")
    if not port or not proc.is_dir():
        return None
    for entry in proc.iterdir():
        if entry.name.isdigit() and (found := _noida_of(int(entry.name))) and found[1] == str(port):
            return int(entry.name), found[0]
    return None


def _serves_dir(data_dir: Path, port: int) -> bool:
    """True when the live noida-db of `data_dir` (pid in its control file) is the one started on `port`.

    A stale port file may name a port that another local program took since: only the process noida-db
    recorded for this directory, still alive, with this port on its command line, is our store.
    """
    try:
        pid = int(json.loads((data_dir / CONTROL_FILE).read_text())["pid"])
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not Path(f"/proc/{pid}/cmdline").exists():  # no /proc (macOS): a live pid noida-db recorded for this directory
        return True
    found = _noida_of(pid)
    return found is not None and found == (data_dir.resolve(), str(port))


@dataclass
class EmbeddedStore:
    data_dir: Path  # the store's own directory, e.g. <NEWSROOM_DATA_DIR>/es
    port: int = 0

    @property
    def port_file(self) -> Path:
        return self.data_dir / "newsroom-port"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [_noida_binary(), *args, "--data-dir", str(self.data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
        )

    def running_url(self) -> str | None:
        """The URL of a stand-in already running on this data directory, if any."""
        if self.port_file.exists():
            try:
                port = int(self.port_file.read_text().strip())
            except ValueError:
                return None
            url = f"http://{HOST}:{port}"
            if _serves_dir(self.data_dir, port) and _ping(url):
                self.port = port
                return url
        return None

    def refuse_a_foreign_port(self) -> None:
        """StoreRefused when the configured port is the embedded store of another data directory: that store answers
        like ours, so a run would index into it and record its runs there (a second data dir given the first one's
        NEWSROOM_EMBEDDED_ES_PORT did, hostile-input audit, third round)."""
        found = store_on_port(self.port)
        if found is None or found[1] == self.data_dir.resolve():
            return
        pid, theirs = found
        raise StoreRefused(
            f"Port {self.port} (NEWSROOM_EMBEDDED_ES_PORT) is the embedded store of another data directory, {theirs} "
            f"(noida-db pid {pid}): the store of this one, {self.data_dir}, cannot use it, and nothing was written to "
            f"either. Set NEWSROOM_EMBEDDED_ES_PORT to a free port (0 picks one)"
            + (f", or NEWSROOM_DATA_DIR to {theirs.parent} to work with that store." if theirs.name == "es" else "."))

    def up(self, wait: float = 20.0) -> str:
        """Start (or reuse) the stand-in; return its URL. Starts are serialised per data directory: of five
        `store up` at once, one printed a URL where nothing listened and three timed out, and two ingests on a
        stopped store ran as if it were down."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        existing = self.running_url()
        if existing:
            return existing
        self.refuse_a_foreign_port()
        with self._start_lock(wait + 30):
            return self.running_url() or self._start(wait)  # another process may have started it meanwhile

    @contextlib.contextmanager
    def _start_lock(self, patience: float) -> Iterator[None]:
        from pipeline.safewrite import LockBusy, exclusive_lock

        try:
            with exclusive_lock(self.data_dir / "newsroom-start.lock", patience):
                yield
        except LockBusy:
            raise StoreError(f"Another process has been starting the embedded store in {self.data_dir} "
                             f"for over {patience:.0f} s; run `newsroom store status`.") from None

    def _start(self, wait: float) -> str:
        problem = data_file_problem(self.data_dir)
        if problem:
            raise StoreError(problem)
        self._run("down")  # a stale server on another port for this directory
        port = self.port or free_port()
        result = self._run("up", "--only", "elasticsearch", "--host", HOST, "--elasticsearch-port", str(port))
        self.port = port
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if _serves_dir(self.data_dir, port) and _ping(self.url, timeout=0.5):
                self.port_file.write_text(str(port))
                log.info("embedded Elasticsearch stand-in up at %s (data in %s)", self.url, self.data_dir)
                return self.url
            time.sleep(0.1)
        detail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        raise StoreError(
            f"The embedded Elasticsearch stand-in did not start on {self.url} within {wait:.0f} s "
            f"(data dir {self.data_dir}; see {self.data_dir / 'noida.log'}): {' '.join(detail)}"
        )

    def down(self) -> None:
        if self.data_dir.exists():
            self._run("down")
        self.port_file.unlink(missing_ok=True)

    def status(self) -> dict:
        url = self.running_url()
        status = {"running": bool(url), "url": url, "data_dir": str(self.data_dir)}
        problem = None if url else data_file_problem(self.data_dir)
        if problem:
            status["data_file_error"] = problem
        return status
