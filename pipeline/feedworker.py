"""Feeds parsed in a worker process, off the collector's event loop, each parse bounded in wall time and memory.

feedparser is superlinear on shapes that cost a server nothing (hostile-input audit, third round): one element with
100,000 attributes took 216 s of CPU, a 40 KB `<dc:creator>` 7.9 s per item (its author e-mail regex). Parsed on the
event loop, such a feed froze every download of the run, and innocent feeds and hosts were failed as timeouts.
`parse_feed` refuses the obviously pathological shapes cheaply (pipeline/feeds.py, `feed_shape_problem`); whatever
else is slow is parsed here, in one reused worker process: the event loop only waits on a pipe, and a parse that
runs past `feed_parse_timeout` seconds is stopped by killing the worker. The feed is then failed with a sentence
naming it, and the next feed gets a fresh worker.

One worker per run, started when the first feed body needs parsing (a clean interpreter: ~0.6 s and ~70 MB, paid
once; not a process per feed) and reused for every feed. It is retired when a parse left it holding more than
RETIRE_RSS_MIB, so one huge feed does not keep its memory for the rest of the run. It never outlives its run: it
ends at the end of its input (its parent closed the pipe or died), and an alarm ends it if its parent died while it
was parsing.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

_HEADER = struct.Struct("!Q")  # each message: its length, then a pickle
START_TIMEOUT = 120.0  # seconds for a new worker to import its modules (~0.6 s; much more only on a starved machine)
MEMORY_LIMIT_MIB = 1024  # address space a parse may add to the worker's (a 10 MB feed of 2,000,000 elements: ~430 MB)
RETIRE_RSS_MIB = 400  # a worker holding more after a parse is replaced before the next one


class FeedParseFailed(Exception):
    """The feed could not be parsed within its budget (time, memory), or the worker failed: the message says which,
    in words for the feed's error line."""


# --------------------------------------------------------------------------------------------- parent side


class FeedParserProcess:
    """The collector's handle on the worker: `parse` is blocking (the collector calls it from a thread, so its event
    loop goes on), one parse at a time."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._proc: subprocess.Popen | None = None
        self._ready = False  # the worker said it has imported its modules
        self._lock = threading.Lock()
        self.started = 0  # workers started in this run (1, plus one after each stopped parse)

    def start(self) -> None:
        """Start the worker now, without waiting for it (its imports overlap the feeds' downloads)."""
        with self._lock:
            if self._proc is None:
                try:
                    self._spawn()
                except OSError:  # tried again, and said, by the first parse
                    self._proc = None

    def parse(self, body: bytes, feed, **options) -> Any:
        """`pipeline.feeds.parse_feed(body, feed, **options)` in the worker; the log lines it wrote are emitted here.
        FeedParseFailed when it ran past the time limit (the worker is killed), hit the memory limit or died."""
        with self._lock:
            proc = self._worker()
            request = pickle.dumps({"body": body, "feed": feed, "options": options}, protocol=pickle.HIGHEST_PROTOCOL)
            started = time.monotonic()
            deadline = started + self.timeout if self.timeout else None
            try:
                _write_message(proc.stdin.fileno(), request, deadline)
                reply = _read_message(proc.stdout.fileno(), deadline)
            except TimeoutError:
                self._stop(kill=True)
                raise FeedParseFailed(f"parsing it took more than {self.timeout:g} s (NEWSROOM_FEED_PARSE_TIMEOUT), "
                                      "so it was stopped: a feed of a shape that makes feedparser slow") from None
            except (OSError, EOFError) as exc:  # the worker died (killed by hand, or by the kernel)
                code = self._stop(kill=True)
                raise FeedParseFailed(f"the feed parser process ended while parsing it ({_exit_text(code)}; "
                                      f"{type(exc).__name__})") from None
            kind, payload, records, rss_mib = pickle.loads(reply)
            for record in records:
                _emit(record)
            if rss_mib > RETIRE_RSS_MIB:
                log.info("feed parser process holds %.0f MiB after parsing %s: replaced before the next feed",
                         rss_mib, getattr(feed, "name", "a feed"))
                self._stop(kill=False)
            if kind == "error":
                raise FeedParseFailed(payload)
            return payload

    def close(self) -> None:
        """Stop the worker: at the end of its input when idle; killed when a parse is still running (the run is
        being stopped), which then fails that feed."""
        if self._lock.acquire(blocking=False):
            try:
                self._stop(kill=not self._ready)  # still importing: nothing to finish
            finally:
                self._lock.release()
        elif (proc := self._proc) is not None:
            proc.kill()

    def _worker(self) -> subprocess.Popen:
        """The running worker, ready (started if there is none); FeedParseFailed when it cannot start."""
        if self._proc is None or self._proc.poll() is not None:
            self._stop(kill=True)
            try:
                self._spawn()
            except OSError as exc:  # no memory or process left to start it
                raise FeedParseFailed(f"the feed parser process could not be started ({exc})") from None
        if not self._ready:  # its start-up is not counted in a feed's parse time
            try:
                _read_message(self._proc.stdout.fileno(), time.monotonic() + START_TIMEOUT)
            except (TimeoutError, OSError, EOFError) as exc:
                code = self._stop(kill=True)
                raise FeedParseFailed(f"the feed parser process did not start ({_exit_text(code)}; "
                                      f"{type(exc).__name__}; its reason, if any, is on stderr)") from None
            self._ready = True
        return self._proc

    def _spawn(self) -> None:
        # a clean interpreter (not a fork: the collector has threads, and may hold the models' memory); one thread
        # for numpy's libraries, which the imports load
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.feedworker", str(self.timeout)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=env, close_fds=True, start_new_session=True)  # Ctrl-C is the parent's
        for stream in (self._proc.stdin, self._proc.stdout):
            os.set_blocking(stream.fileno(), False)
        self._ready = False
        self.started += 1

    def _stop(self, kill: bool) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if kill:
            proc.kill()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            return proc.wait(timeout=10)  # end of input: the worker exits by itself
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


def _exit_text(code: int | None) -> str:
    if code is not None and code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"


def _emit(data: dict) -> None:
    logger = logging.getLogger(data["name"])
    if logger.isEnabledFor(data["levelno"]):
        logger.handle(logging.makeLogRecord(data))


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _write_message(fd: int, data: bytes, deadline: float | None) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        _, ready, _ = select.select([], [fd], [], _remaining(deadline))
        if not ready:
            raise TimeoutError
        try:
            view = view[os.write(fd, view[:65536]):]
        except BlockingIOError:
            continue


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        ready, _, _ = select.select([fd], [], [], _remaining(deadline))
        if not ready:
            raise TimeoutError
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_message(fd: int, deadline: float | None) -> bytes:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return _read_exact(fd, size, deadline)


# --------------------------------------------------------------------------------------------- worker side


class _Collected(logging.Handler):
    """The worker's log records, handed back with the reply (the parent emits them through its own handlers)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append({"name": record.name, "levelno": record.levelno, "levelname": record.levelname,
                             "pathname": record.pathname, "lineno": record.lineno, "funcName": record.funcName,
                             "created": record.created, "msecs": record.msecs, "process": record.process,
                             "processName": "newsroom-feed-parser", "threadName": record.threadName,
                             "msg": record.getMessage(), "args": None})


def _rss_mib() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _limit_memory() -> None:
    """The worker's address space: what it holds now plus MEMORY_LIMIT_MIB (a MemoryError fails that feed only)."""
    try:
        import resource

        with open("/proc/self/status") as fh:
            size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
        limit = size + MEMORY_LIMIT_MIB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, StopIteration, ImportError):
        pass  # no /proc or no limit: the time limit still holds


def _serve(timeout: float) -> None:
    import signal
    import warnings

    # The protocol owns stdout: a library's print goes to stderr instead of corrupting a reply.
    reply_fd = os.dup(1)
    os.dup2(2, 1)
    warnings.simplefilter("ignore")
    import pipeline.extract  # noqa: F401 - parse_feed imports it on the first item: before the first parse's clock
    from pipeline.feeds import parse_feed

    collected = _Collected()
    root = logging.getLogger()
    root.handlers[:] = [collected]
    root.setLevel(logging.INFO)
    _limit_memory()
    # If the parent dies while a parse runs, nobody kills this process: the alarm (default action: terminate) does.
    guard = int(timeout) + 5 if timeout else 0
    _write_message(reply_fd, pickle.dumps("ready"), None)
    while True:
        try:
            request = pickle.loads(_read_message(0, None))
        except (EOFError, OSError):
            return  # the parent closed the pipe, or is gone
        collected.records = []
        signal.alarm(guard)
        try:
            reply = ("ok", parse_feed(request["body"], request["feed"], **request["options"]))
        except MemoryError:
            reply = ("error", f"parsing it needed more than {MEMORY_LIMIT_MIB} MiB of memory, so it was stopped")
        except Exception as exc:  # noqa: BLE001 - one feed's failure, said in its error line
            reply = ("error", f"the feed parser failed on it ({type(exc).__name__}: {str(exc)[:300]})")
        signal.alarm(0)
        data = pickle.dumps((*reply, collected.records, _rss_mib()), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            _write_message(reply_fd, data, None)
        except OSError:  # the parent is gone
            return


if __name__ == "__main__":
    try:
        _serve(float(sys.argv[1]) if len(sys.argv) > 1 else 0.0)
    except (OSError, EOFError):  # the parent is gone (a run that ended while this process was starting): quietly
        pass
    except Exception as exc:  # noqa: BLE001 - one line for the parent's stderr, never a traceback
        print(f"newsroom feed parser: cannot run ({type(exc).__name__}: {exc})", file=sys.stderr)
        sys.exit(1)
