"""Where runs are computed: this process, local worker processes, or a Dask cluster.

Every lab command hands its runs to one `concurrent.futures.Executor`:

- `workers=1`: in this process, one after another (no start-up cost; for small
  jobs and tests);
- otherwise a pool of local processes, one per core by default;
- with a scheduler address, a Dask cluster's executor (`dask scheduler` and
  `dask worker` on the machines; each worker needs samenspel installed).

The executor only computes rows; this process writes them, as each run
finishes, to the run store. Rows depend on the run spec alone, so they are the
same whatever computes them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import Any

from lab.runs import RunSpec, run_key, run_one
from lab.store import RunStore
from sim.errors import UserError, shorten

CONNECT_TIMEOUT_S = 10


class InlineExecutor(Executor):
    """Runs each task when it is submitted, in this process (the futures are done at once)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(exc)
        return future


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def open_executor(workers: int | None = None,
                  scheduler: str | None = None) -> Iterator[Executor]:
    """The executor for `--workers` / `--scheduler`, shut down when the block ends."""
    if scheduler:
        with _dask_executor(scheduler) as executor:
            yield executor
        return
    workers = workers or default_workers()
    if workers == 1:
        yield InlineExecutor()
        return
    # forkserver: workers start from a clean interpreter, not a copy of this one's state.
    context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _dask_executor(address: str) -> Iterator[Executor]:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - a dependency of the package
        raise UserError("--scheduler needs dask.distributed: pip install 'distributed'") from None
    if not address.startswith(("tcp://", "tls://", "inproc://")) or len(address) > 200:
        raise UserError(f"--scheduler {shorten(address)!r} is not a scheduler address; give "
                        "one like tcp://host:8786, as printed by `dask scheduler`.")
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"--scheduler {shorten(address)!r}: no Dask scheduler answered within "
                        f"{CONNECT_TIMEOUT_S} s ({exc.__class__.__name__}); start one with "
                        "`dask scheduler` and give the address it prints.") from None
    try:
        yield client.get_executor()
    finally:
        client.close()


def run_specs(specs: Sequence[RunSpec], store: RunStore, executor: Executor,
              progress: bool = True, desc: str = "runs") -> list[str]:
    """Compute every spec whose row is not stored yet; return all run keys in plan order.

    Rows are stored as their runs finish. On an interruption the runs still
    queued are cancelled and the finished rows stay, so the same command
    resumes where it stopped.
    """
    from tqdm import tqdm

    keys = [run_key(spec) for spec in specs]
    if len(set(keys)) != len(keys):
        raise UserError("the plan runs the same scenario and seed twice; give each scenario "
                        "once (or a different label).")
    done = store.done()
    todo = [(key, spec) for key, spec in zip(keys, specs, strict=True) if key not in done]
    with tqdm(total=len(specs), initial=len(specs) - len(todo), desc=desc, unit="run",
              file=sys.stderr, disable=True if not progress else None, leave=False) as bar:
        pending: dict[Future, str] = {}
        try:
            for key, spec in todo:
                pending[executor.submit(run_one, spec)] = key
                # Keep at most a few runs queued per worker, so an interruption loses little.
                if len(pending) >= 64:
                    _collect(pending, store, bar)
            while pending:
                _collect(pending, store, bar)
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return keys


def _collect(pending: dict[Future, str], store: RunStore, bar: Any) -> None:
    """Store the runs that have finished (waiting for at least one)."""
    finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    for future in finished:
        key = pending.pop(future)
        row = future.result()
        if row["run_key"] != key:
            raise RuntimeError(f"run {key} came back as {row['run_key']}")
        store.add(row)
        bar.update(1)
