"""The embedded Elasticsearch-compatible stand-in (noida-db), used when NEWSROOM_ES_URL is unset.

It runs on 127.0.0.1 only, keeps its data under <data_dir>/es, and is started/stopped by the project
(`newsroom store up|down|status`, the ingest command, the tests).
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import StoreError

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


def _ping(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback only
            return resp.status == 200 and "version" in json.loads(resp.read())
    except Exception:  # noqa: BLE001
        return False


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
            if _ping(url):
                self.port = port
                return url
        return None

    def up(self, wait: float = 20.0) -> str:
        """Start (or reuse) the stand-in; return its URL."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        existing = self.running_url()
        if existing:
            return existing
        self._run("down")  # a stale server on another port for this directory
        port = self.port or free_port()
        result = self._run("up", "--only", "elasticsearch", "--host", HOST, "--elasticsearch-port", str(port))
        self.port = port
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if _ping(self.url, timeout=0.5):
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
        return {"running": bool(url), "url": url, "data_dir": str(self.data_dir)}
