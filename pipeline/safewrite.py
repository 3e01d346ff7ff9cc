"""Writing an output file durably without harming what the path already is.

The temp-file-then-rename protocol (`<target>.part`, fsync, `os.replace`) keeps an earlier output intact when a run
crashes, but applied blindly it replaces a symlink by a regular file (the target never gets the data), turns a
device or a FIFO (`-o /dev/null` run as root) into a regular file, and loses a file's mode (a 0600 feeds file holding
credentials became world-readable). `atomic_output` resolves symlinks, writes a device or FIFO directly, refuses a
directory, and gives the new file the old one's mode and owner.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pipeline.errors import ConfigError


def resolve_output(path: Path, what: str = "Output file") -> tuple[Path, bool]:
    """The real path to write (symlinks followed) and whether it must be written in place (device, FIFO, socket).

    Raises ConfigError for a directory, so commands can check their output before doing any work.
    """
    path = Path(path)
    if path == Path("."):  # what an empty value (`--csv ""`, a shell variable left unset) reaches us as
        raise ConfigError(f"{what} is empty or `.`, the current directory; give a file name.")
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target, False
    except OSError as exc:  # a symlink loop, a permission problem
        raise ConfigError(f"{what} {path} cannot be used: {exc.strerror or exc}.") from None
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{what} {path} is a directory; give a file name.")
    return target, not stat.S_ISREG(mode)


def prepare_output(path: Path, what: str = "Output file") -> Path:
    """`path` checked as resolve_output does, and the directory it goes into created now: a command that writes its
    file last (a chart, a CSV, a report) used to find a directory it cannot create (`/impossible/dir/x.png`) only
    after all its queries ran. Returns the real path to write."""
    target, direct = resolve_output(path, what)
    if not direct:
        prepare_directory(target.parent, what, path)
    return target


def prepare_directory(directory: Path, what: str, given: Path | None = None) -> None:
    """`directory` created now if missing (parents too) and writable, else one sentence naming `given` (the option's
    value) and the directory at fault."""
    named = f"{what} {given}: its directory {directory}" if given is not None else f"{what} {directory}"
    if not directory.is_dir():
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"{named} cannot be created ({exc.strerror or exc}).") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ConfigError(f"{named} is not writable.")


@contextmanager
def atomic_output(path: Path, *, what: str = "Output file", suffix: str = ".part",
                  binary: bool = False) -> Iterator[IO]:
    """Open `path` for writing text (bytes when `binary`); on success the content replaces the old file at once, on error nothing changes.

    A device or FIFO is written directly (there is nothing to replace); a symlink is followed and its target
    replaced; a file that existed keeps its permissions and (when allowed) its owner.
    """
    target, direct = resolve_output(path, what)
    mode, encoding = ("wb", None) if binary else ("w", "utf-8")
    if direct:
        with target.open(mode, encoding=encoding) as fh:
            yield fh
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + suffix)
    try:
        with partial.open(mode, encoding=encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode_and_owner(target, partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _copy_mode_and_owner(old: Path, new: Path) -> None:
    try:
        st = old.stat()
    except FileNotFoundError:
        return
    if hasattr(os, "chown"):
        try:
            os.chown(new, st.st_uid, st.st_gid)
        except PermissionError:  # only root may give a file away; the mode is what protects its content
            pass
    os.chmod(new, stat.S_IMODE(st.st_mode))


class LockBusy(TimeoutError):
    """Another process held the lock for longer than the caller would wait."""


@contextmanager
def exclusive_lock(path: Path, patience: float) -> Iterator[None]:
    """An advisory lock (flock) on `path` between processes of this machine, waited for up to `patience` seconds;
    LockBusy past that. The kernel releases it when its holder dies, so a killed run never leaves it taken."""
    import fcntl
    import time

    with Path(path).open("a") as handle:
        deadline = time.monotonic() + patience
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(str(path)) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
