"""Fetch state kept between runs in <data_dir>/fetch-state.sqlite3: per-feed HTTP validators and health, seen ids,
and the hosts and URLs resting after a long Retry-After.

Feeds are keyed by their URL with credentials masked (`state_key`), and error texts are masked too: the state file
is copied around and read by `feeds list`, and must not hold the secrets of feeds.yaml.

SQLite (WAL) because the CLI, Airflow tasks and the collector's background thread may all touch it; each call opens
its own short connection, so the store is safe to use from any thread.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipeline.errors import NewsroomError
from pipeline.sinks import mask_secrets, mask_url

STATE_FILE = "fetch-state.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_state (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    last_success TEXT,
    last_attempt TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS retry_after (
    key TEXT PRIMARY KEY,
    until TEXT NOT NULL,
    status INTEGER NOT NULL,
    url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seen (
    article_id TEXT PRIMARY KEY,
    url TEXT,
    first_seen TEXT NOT NULL
);
"""


def state_key(url: str) -> str:
    """The feed's row key: its URL as is, or, when it holds credentials, masked plus a short digest of the real URL,
    so that two feeds differing only by their token keep separate rows. 32 bits cannot confirm a guessed secret."""
    masked = mask_url(url)
    if masked == str(url):
        return masked
    return f"{masked} #{hashlib.sha256(str(url).encode()).hexdigest()[:8]}"


class StateError(NewsroomError):
    """The fetch-state database cannot be read or written (disk full, locked, unreadable)."""


def _describe(path: Path, exc: sqlite3.Error) -> str:
    reason = str(exc)
    if "full" in reason:
        hint = "free some disk space, then run again (nothing was lost: the run is redone)"
    elif "locked" in reason or "busy" in reason:
        hint = "another newsroom process holds it; wait for it to finish, then run again"
    elif "malformed" in reason or "not a database" in reason:
        hint = ("the file is damaged: move it away and run again (a new state is started: every feed is read in full "
                "once, and articles already stored are recognised, not stored twice)")
    else:
        hint = "check that the file and its directory are readable and writable"
    return f"Fetch state {path} could not be used ({reason}): {hint}."


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_success: datetime | None = None
    last_attempt: datetime | None = None
    consecutive_failures: int = 0
    last_error: str | None = None


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StateStore:
    def __init__(self, data_dir: Path, timeout: float = 30.0):
        self.path = Path(data_dir) / STATE_FILE
        self.timeout = timeout  # seconds to wait for another process's write lock before giving up
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db(write=True) as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A short connection (a transaction when `write`); SQLite failures become one sentence naming the file."""
        try:
            with closing(self._connect()) as db:
                if write:
                    with db:
                        yield db
                else:
                    yield db
        except sqlite3.Error as exc:
            raise StateError(_describe(self.path, exc)) from exc

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.timeout)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    # ---- feeds

    def feed_state(self, url: str) -> FeedState:
        with self._db() as db:
            row = db.execute(
                "SELECT url, etag, last_modified, body_hash, last_success, last_attempt, consecutive_failures, last_error "
                "FROM feed_state WHERE url = ?",
                (state_key(url),),
            ).fetchone()
        if row is None:
            return FeedState(url=url)
        return FeedState(row[0], row[1], row[2], row[3], _dt(row[4]), _dt(row[5]), row[6], row[7])

    def all_feed_states(self) -> list[FeedState]:
        with self._db() as db:
            urls = [r[0] for r in db.execute("SELECT url FROM feed_state ORDER BY url")]
        return [self.feed_state(u) for u in urls]

    def save_feed_states(self, states: Iterable[FeedState]) -> None:
        rows = [
            (state_key(s.url), s.etag, s.last_modified, s.body_hash, _iso(s.last_success), _iso(s.last_attempt),
             s.consecutive_failures, mask_secrets(s.last_error) if s.last_error else None)
            for s in states
        ]
        if not rows:
            return
        with self._db(write=True) as db:
            db.executemany(
                "INSERT INTO feed_state (url, etag, last_modified, body_hash, last_success, last_attempt, consecutive_failures, last_error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, "
                "last_modified=excluded.last_modified, body_hash=excluded.body_hash, last_success=excluded.last_success, "
                "last_attempt=excluded.last_attempt, consecutive_failures=excluded.consecutive_failures, last_error=excluded.last_error",
                rows,
            )

    def record_failure(self, url: str, error: str, when: datetime | None = None) -> int:
        """Count one more consecutive failure (validators and hash untouched); returns the new count. The failure of
        an attempt already counted (same `when`: an Airflow run's failed feed committed again by a retry of its
        indexing task) is not counted twice."""
        when = when or datetime.now(timezone.utc)
        with self._db(write=True) as db:
            db.execute(
                "INSERT INTO feed_state (url, last_attempt, consecutive_failures, last_error) VALUES (?, ?, 1, ?) "
                "ON CONFLICT(url) DO UPDATE SET last_attempt=excluded.last_attempt, "
                "consecutive_failures=feed_state.consecutive_failures + "
                "(feed_state.last_attempt IS NOT excluded.last_attempt), last_error=excluded.last_error",
                (state_key(url), _iso(when), mask_secrets(error)),
            )
            return db.execute("SELECT consecutive_failures FROM feed_state WHERE url = ?", (state_key(url),)).fetchone()[0]

    # ---- hosts and URLs that asked not to be asked again before a time (a 429 or 503 with a long Retry-After)

    def resting(self, now: datetime | None = None) -> dict[str, tuple[datetime, int, str]]:
        """key (`rest_key`) → (until when, the status that asked for it, the URL it answered, masked), for the rests
        still running at `now`."""
        now = now or datetime.now(timezone.utc)
        with self._db() as db:
            rows = db.execute("SELECT key, until, status, url FROM retry_after WHERE until > ?", (_iso(now),))
            return {key: (_dt(until), status, url) for key, until, status, url in rows}

    def record_rest(self, key: str, until: datetime, status: int, url: str) -> None:
        """Remember that `key` asked not to be asked again before `until` (the later of two rests wins); rests
        already over are forgotten."""
        with self._db(write=True) as db:
            db.execute("DELETE FROM retry_after WHERE until <= ?", (_iso(datetime.now(timezone.utc)),))
            db.execute(
                "INSERT INTO retry_after (key, until, status, url) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "until=max(until, excluded.until), status=excluded.status, url=excluded.url",
                (key, _iso(until), status, mask_url(url)),
            )

    # ---- seen article ids (the `fetch` command's memory of what it already wrote)

    def known_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        with self._db() as db:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(r[0] for r in db.execute(f"SELECT article_id FROM seen WHERE article_id IN ({marks})", chunk))
        return found

    def mark_seen(self, items: Iterable[tuple[str, str]]) -> None:
        now = _iso(datetime.now(timezone.utc))
        rows = [(aid, url, now) for aid, url in items]
        if not rows:
            return
        with self._db(write=True) as db:
            db.executemany("INSERT OR IGNORE INTO seen (article_id, url, first_seen) VALUES (?, ?, ?)", rows)
