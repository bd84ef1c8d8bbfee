"""One batch at a time per output folder, and no temporary files left from a killed one.

`engine.atomic` writes each file as a hidden `.NAME.XXXX.part` beside it and renames
it when whole. A batch killed mid-write leaves its `.part` files behind. While a
batch holds the folder's lock no other batch writes there, so any `.part` file found
then is a leftover and is removed.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.errors import DanganError

logger = logging.getLogger(__name__)

LOCK_NAME = ".dangan.lock"
# The descriptor of the lock held, and the process that holds it, for forked
# workers to close their copy.
_held_lock: tuple[int, int] | None = None


class OutputBusyError(DanganError):
    """Another batch is writing to the same output folder."""


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the lock of `output` for the block; raise OutputBusyError if it is taken.

    The lock is an flock on a hidden file, so the system releases it when its
    holder dies, however it dies.
    """
    output.mkdir(parents=True, exist_ok=True)
    with open(output / LOCK_NAME, "a+b") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            raise OutputBusyError(
                f"{output}: another `dangan parse` is writing to this folder; wait "
                "for it to finish or choose another folder with --output"
            ) from None
        global _held_lock
        _held_lock = (os.getpid(), lock.fileno())
        try:
            _remove_leftovers(output)
            yield
        finally:
            _held_lock = None
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def drop_inherited_lock() -> None:
    """Close, in a forked worker, its copy of the lock its parent holds.

    An flock lasts while any copy of its file descriptor is open. A worker that
    outlived a killed parent kept the folder locked for every later batch.
    """
    global _held_lock
    if _held_lock is not None and _held_lock[0] != os.getpid():
        os.close(_held_lock[1])
        _held_lock = None


def _remove_leftovers(output: Path) -> None:
    """Remove the temporary files of a batch that was killed while writing."""
    # The folders a batch writes into: tables, records and review images.
    folders = [output, output / "records", *output.glob("records/*.review")]
    for folder in folders:
        for part in folder.glob(".*.part"):
            logger.info("removing %s, left by a batch that was stopped", part)
            part.unlink(missing_ok=True)
