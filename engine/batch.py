"""Parse many returned forms: one JSON record each, then CSV and XLSX per template.

Files are parsed in worker processes (any `concurrent.futures` executor works). Each
worker writes the JSON records of its files, and the main process the tables; every
output is written atomically. One bad file never stops the batch: its
failure is listed in the summary with the reason, and every other record is written.
A record file is named after the source's SHA-256, so a re-run replaces it instead of
adding a duplicate.
"""

from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from queue import SimpleQueue
from typing import Any

from engine.atomic import flush_to_disk, write_bytes_atomic, write_text_atomic
from engine.errors import DanganError
from engine.exports import RecordTables, TableLine, table_line
from engine.outlock import drop_inherited_lock, output_lock
from engine.privacy import scrub
from engine.spec.loader import Catalog

logger = logging.getLogger(__name__)

# Scans of paper forms come as images too (engine.paper).
FORM_SUFFIXES = (".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
_worker_catalog: Catalog | None = None
# prctl's option for the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
# The catalog the main process loaded, by its root. Workers started by fork find it
# here and skip loading it again before their first form.
_loaded: tuple[str, Catalog, int] | None = None


@dataclass(slots=True)
class FileOutcome:
    """The outcome of one file of a batch: its record, or why it failed."""

    source: Path
    record: dict[str, Any] | None = None
    failure: str | None = None
    record_file: Path | None = None

    @property
    def status(self) -> str:
        if self.failure is not None:
            return "failed"
        return "valid" if self.record and self.record["valid"] else "invalid"


@dataclass(frozen=True)
class WorkerJob:
    """The work a worker does with each form besides reading it."""

    strict: bool = False
    # Folder for each JSON record and its review images. None writes no records.
    records: str | None = None
    # Return each record's table row, so the main process only appends it.
    tables: bool = False
    # False returns only each record's summary (see `_summary`), to keep memory flat.
    keep_records: bool = True


@dataclass
class Parsed:
    """The result a worker returns for one form, kept small because it is pickled."""

    record: dict[str, Any] | None = None
    failure: str | None = None
    record_file: str | None = None
    table_line: TableLine | None = None


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Return the form files named, and those found in the folders named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in FORM_SUFFIXES
            )
        else:
            files.append(path)
    return files


def _init_worker(root: str, ocr_threads: int = 1) -> None:
    global _worker_catalog
    if multiprocessing.parent_process() is not None:
        # A worker process; threads of the batch's own process leave it alone.
        _share_cores(ocr_threads)
    if _loaded is not None and _loaded[2] != os.getpid():
        # A forked worker process, not a thread of the batch's own process.
        drop_inherited_lock()
        _die_with_parent()
    if _loaded is not None and _loaded[0] == root:
        _worker_catalog = _loaded[1]
    else:
        _worker_catalog = Catalog.load(Path(root))


def _share_cores(threads: int) -> None:
    """Give the scan reader's model of this worker its share of the cores."""
    from engine.paper.threads import use_threads

    use_threads(threads)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the process that started it dies.

    A pool's workers otherwise wait for work forever once their parent is killed.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        logger.debug("prctl is not available; workers outlive a killed parent")


def _load_catalog(root: Path) -> Catalog:
    """Load the catalog in the main process, where forked workers will find it."""
    global _loaded
    catalog = Catalog.load(root)
    _loaded = (str(root), catalog, os.getpid())
    return catalog


def _parse_in_worker(job: WorkerJob, path: str) -> Parsed:
    """Read one form, write its record, and return its summary and table row.

    Workers write their own records: when the main process wrote them, its share
    of the work kept two workers from using two cores (docs/benchmarks.md).
    """
    from engine.parse import parse_file, review_image_name

    assert _worker_catalog is not None
    try:
        parsed = parse_file(Path(path), _worker_catalog, strict=job.strict)
    except DanganError as error:
        return Parsed(failure=str(error))
    except Exception as error:  # noqa: BLE001 (one bad file must not stop the batch)
        # The error's text may quote the file, so keep its numbers out of the log.
        failure = scrub(f"{path}: unexpected error {type(error).__name__}: {error}")
        logger.error("%s", failure)
        return Parsed(failure=failure)
    record = parsed.to_json()
    result = Parsed(record)
    if job.records is not None:
        target = Path(job.records) / record_file_name(record)
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        try:
            write_text_atomic(target, text, durable=False)
            for image, png in parsed.images.items():
                name = review_image_name(image)
                write_bytes_atomic(target.with_suffix(".review") / name, png, False)
        except OSError as error:
            failure = f"{path}: could not write its record {target}: {error}"
            logger.error("%s", failure)
            return Parsed(failure=failure)
        result.record_file = str(target)
    if job.tables:
        template = _worker_catalog.get(record["template"], record["version"])
        result.table_line = table_line(template, record)
    if not job.keep_records:
        result.record = _summary(record)
    return result


def _parse_chunk(job: WorkerJob, paths: list[str]) -> list[Parsed]:
    """Read several forms in one task: fewer messages between the processes."""
    return [_parse_in_worker(job, path) for path in paths]


def record_file_name(record: dict[str, Any]) -> str:
    stem = Path(record["source"]).stem
    return f"{stem}.{record['sha256'][:12]}.json"


def parse_batch(
    files: list[Path],
    root: Path,
    output: Path,
    formats: tuple[str, ...] = ("json", "csv", "xlsx"),
    executor: Executor | None = None,
    workers: int | None = None,
    strict: bool = False,
    on_done: Callable[[FileOutcome], None] | None = None,
    keep_records: bool = True,
) -> list[FileOutcome]:
    """Parse `files` and write the outputs under `output`; return one outcome a file.

    With `keep_records` False, each outcome's record keeps only its summary
    (template, version, valid, the first errors and `error_count`) and no
    `record_file`, so memory stays flat however many files the batch has.
    A given `executor` must run `_init_worker` in each of its workers.
    """
    with output_lock(output):
        return _parse_locked(
            files,
            root,
            output,
            formats,
            executor,
            workers,
            strict,
            on_done,
            keep_records,
        )


def _parse_locked(
    files: list[Path],
    root: Path,
    output: Path,
    formats: tuple[str, ...],
    executor: Executor | None,
    workers: int | None,
    strict: bool,
    on_done: Callable[[FileOutcome], None] | None,
    keep_records: bool,
) -> list[FileOutcome]:
    tables = _Tables(output, formats, _load_catalog(root))
    records = output / "records" if "json" in formats else None
    job = WorkerJob(
        strict,
        None if records is None else str(records),
        bool(tables.formats),
        keep_records,
    )
    earlier = _earlier_records(records) if records is not None else {}
    owned = executor is None
    restart = None
    count = workers or min(2, os.cpu_count() or 1)
    if executor is None:

        def restart() -> Executor:
            return ProcessPoolExecutor(
                count,
                initializer=_init_worker,
                initargs=(str(root), max(1, (os.cpu_count() or 1) // count)),
            )

        executor = restart()
    pool = _Pool(executor, restart)
    outcomes: list[FileOutcome] = []
    written: dict[str, Path] = {}
    try:
        task = partial(_parse_chunk, job)
        for outcome, line in _run(pool, files, task, _chunk_size(len(files), count)):
            if outcome.record_file is not None:
                _note_written(outcome.record_file, outcome.source, written, earlier)
            if outcome.record is not None and line is not None:
                tables.add_line(outcome.record, line)
            if on_done:
                on_done(outcome)
            if not keep_records:
                # Kept for every form of the batch, the record file's path is
                # a few hundred bytes that nothing reads again.
                outcome.record_file = None
            outcomes.append(outcome)
    except BaseException:
        tables.discard()
        raise
    finally:
        if owned:
            pool.executor.shutdown(cancel_futures=True)
    tables.close()
    _drop_renamed(written, earlier)
    if records is not None:
        flush_to_disk()
    outcomes.sort(key=lambda o: str(o.source))
    return outcomes


# The errors a summary keeps; `error_count` gives how many there were.
SUMMARY_ERRORS = 3


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    """Return the little a batch keeps of a record once it is written.

    Kept for each of thousands of forms, a whole summary (sources, digests, notes,
    every error) made the main process grow by about 3 KB a form.
    """
    return {
        "template": sys.intern(record["template"]),
        "version": record["version"],
        "valid": record["valid"],
        "errors": record["errors"][:SUMMARY_ERRORS],
        "error_count": len(record["errors"]),
    }


def _earlier_records(folder: Path) -> dict[str, list[Path]]:
    """Return the record files already in `folder`, by the SHA-256 prefix in their name."""
    found: dict[str, list[Path]] = {}
    for path in folder.glob("*.json") if folder.is_dir() else []:
        found.setdefault(path.stem.rsplit(".", 1)[-1], []).append(path)
    return found


def _sha_prefix(record_file: Path) -> str:
    # The name ends in the first 12 digits of the source's SHA-256 (record_file_name).
    return record_file.stem.rsplit(".", 1)[-1]


def _note_written(
    target: Path, source: Path, written: dict[str, Path], earlier: dict[str, list[Path]]
) -> None:
    """Remember a record written by this batch that shares its source with an earlier one.

    Only those are kept, so a first run into an empty folder remembers nothing.
    """
    if _sha_prefix(target) in earlier:
        written[target.name] = source


def _recorded_source(record_file: Path) -> str | None:
    """Return the source file name an earlier record names, or None if unreadable."""
    try:
        source = json.loads(record_file.read_text(encoding="utf-8")).get("source")
    except (OSError, ValueError, AttributeError):
        return None
    return source if isinstance(source, str) else None


def _drop_renamed(written: dict[str, Path], earlier: dict[str, list[Path]]) -> None:
    """Remove records of the same content written by an earlier run under another name.

    A source renamed between runs would otherwise leave two records of one file.
    An earlier record stays while a file of its name is still beside the form read
    now: that is a second copy of the form, not a rename. This runs once the batch
    is done, because workers write records in any order.
    """
    for name, source in written.items():
        for other in earlier[_sha_prefix(Path(name))]:
            if other.name in written:
                continue
            other_source = _recorded_source(other)
            if other_source is not None and (source.parent / other_source).exists():
                continue
            other.unlink(missing_ok=True)


WORKER_DIED = (
    "the worker process died while reading this file (it may be crafted to exhaust "
    "memory); the file was skipped and every other file was read"
)
Task = Callable[[list[str]], list[Parsed]]


class _Pool:
    """The executor of a batch, replaced by a fresh one when a worker dies."""

    def __init__(
        self, executor: Executor, restart: Callable[[], Executor] | None
    ) -> None:
        self.executor = executor
        self.restart = restart

    def renew(self) -> bool:
        """Replace a broken executor; return False when it is not ours to replace."""
        if self.restart is None:
            return False
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self.restart()
        return True


Finished = tuple[FileOutcome, TableLine | None]


def _chunk_size(files: int, workers: int) -> int:
    """Return how many files a task reads: up to MAX_CHUNK, four tasks a worker at least."""
    return max(1, min(MAX_CHUNK, files // (4 * max(workers, 1))))


# Files one task reads at most. Each task is a round of messages between the main
# process and a worker, which for one file at a time cost the main process about
# 0.6 ms a form, a tenth of reading one.
MAX_CHUNK = 8
# Tasks in flight at once. Sending every file at the start made the main process
# hold a future and a queued task for each, so its memory grew with the batch.
IN_FLIGHT = 16


def _run(
    pool: _Pool, files: list[Path], task: Task, chunk: int = 1
) -> Iterator[Finished]:
    """Yield one outcome a file, with its table row, in the order they finish.

    A worker that dies (killed, out of memory) breaks the whole process pool, and
    every file in flight fails with it. Those files are then read again one at a
    time in a fresh pool, so only the file that kills a worker is lost. Files not
    yet sent to the pool then go on as a batch again.
    """
    suspects: list[Path] = []
    unsent: list[Path] = []
    yield from _submit(pool.executor, files, task, chunk, suspects, unsent)
    if not suspects and not unsent:
        return
    logger.warning(
        "a worker process died; reading %d files again one at a time", len(suspects)
    )
    pool_is_broken = True
    for source in suspects:
        if pool_is_broken and not pool.renew():
            yield FileOutcome(source, failure=f"{source}: {WORKER_DIED}"), None
            continue
        retry: list[Path] = []
        yield from _submit(pool.executor, [source], task, 1, retry, retry)
        pool_is_broken = bool(retry)
        if retry:
            yield FileOutcome(source, failure=f"{source}: {WORKER_DIED}"), None
    if not unsent:
        return
    if pool_is_broken and not pool.renew():
        for source in unsent:
            yield FileOutcome(source, failure=f"{source}: {WORKER_DIED}"), None
        return
    yield from _run(pool, unsent, task, chunk)


def _submit(
    executor: Executor,
    files: list[Path],
    task: Task,
    chunk: int,
    suspects: list[Path],
    unsent: list[Path],
) -> Iterator[Finished]:
    """Yield the outcomes of `files`, `chunk` files a task, IN_FLIGHT tasks at most.

    When the pool breaks, the files in flight go to `suspects` and the files not
    yet sent to `unsent`.
    """
    chunks = iter([files[i : i + chunk] for i in range(0, len(files), chunk)])
    futures: dict[Future, list[Path]] = {}
    # Each future puts itself here when done: one hand-over a task, where
    # `concurrent.futures.wait` would watch every future in flight on each call.
    finished: SimpleQueue[Future] = SimpleQueue()
    while True:
        for sources in chunks:
            try:
                future = executor.submit(task, [str(source) for source in sources])
            except BrokenProcessPool:
                unsent.extend(sources)
                for rest in chunks:
                    unsent.extend(rest)
                break
            futures[future] = sources
            future.add_done_callback(finished.put)
            if len(futures) >= IN_FLIGHT:
                break
        if not futures:
            return
        future = finished.get()
        # Dropping the future frees its records once the caller is done with them.
        sources = futures.pop(future)
        try:
            results = future.result()
        except BrokenProcessPool:
            suspects.extend(sources)
            continue
        except Exception as error:  # noqa: BLE001 (a failed task fails its files)
            failure = f"the worker failed: {type(error).__name__}: {error}"
            results = [Parsed(failure=f"{source}: {failure}") for source in sources]
        for source, parsed in zip(sources, results, strict=True):
            record_file = Path(parsed.record_file) if parsed.record_file else None
            outcome = FileOutcome(source, parsed.record, parsed.failure, record_file)
            yield outcome, parsed.table_line


def write_tables(
    outcomes: list[FileOutcome],
    output: Path,
    formats: tuple[str, ...],
    catalog: Catalog,
) -> list[Path]:
    """Write one CSV and one XLSX per template and version; return the paths."""
    tables = _Tables(output, formats, catalog)
    for outcome in outcomes:
        if outcome.record is not None:
            tables.add(outcome.record)
    return tables.close()


class _Tables:
    """The CSV and XLSX of every template and version met, fed as records arrive."""

    def __init__(
        self, output: Path, formats: tuple[str, ...], catalog: Catalog
    ) -> None:
        self.output = output
        self.formats = tuple(f for f in formats if f in ("csv", "xlsx"))
        self.catalog = catalog
        self.by_template: dict[tuple[str, int], RecordTables] = {}

    def _tables(self, record: dict[str, Any]) -> RecordTables:
        key = (record["template"], record["version"])
        if key not in self.by_template:
            template = self.catalog.get(*key)
            stem = self.output / f"{key[0]}-v{key[1]}"
            self.by_template[key] = RecordTables(template, stem, self.formats)
        return self.by_template[key]

    def add(self, record: dict[str, Any]) -> None:
        if self.formats:
            self._tables(record).add(record)

    def add_line(self, record: dict[str, Any], line: TableLine) -> None:
        """Add a row made in a worker. `record` needs only its summary."""
        if self.formats:
            self._tables(record).add_line(line)

    def close(self) -> list[Path]:
        written = []
        for key in sorted(self.by_template):
            written += self.by_template[key].close()
        return written

    def discard(self) -> None:
        for tables in self.by_template.values():
            tables.discard()
