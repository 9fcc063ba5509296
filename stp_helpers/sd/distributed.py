"""Where Monte Carlo runs go: the calling process, local processes or Dask.

:func:`~stp_helpers.sd.monte_carlo` and
:func:`~stp_helpers.sd.parquet.monte_carlo_to_parquet` run chunks of a
Latin hypercube sample through :func:`chunk_results`, on one of three
executors, and give the same numbers, bit for bit, on each for the same
seed (the sample is drawn in the calling process; a run depends only on
its parameter values):

* the calling process (``workers=1``);
* local processes (default: a ``ProcessPoolExecutor`` whose workers load
  the translated model once each), or any ``concurrent.futures.Executor``;
* a Dask ``distributed.Client``, on a laptop's ``LocalCluster`` or on a
  cluster.  The translated model (a few kilobytes) is scattered to every
  worker once; a worker that cannot see the client's cache folder writes
  it into its own cache under the same content hash.  Each worker thread
  opens the model once and keeps it for later chunks.  Workers need the
  same Python environment as the client (as Dask itself requires).

Results come back in chunk order with at most ``max_pending`` chunks
submitted or finished but not yet consumed, which is what lets the
Parquet writer stream a large study in bounded memory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np

from stp_helpers.errors import ModelError
from stp_helpers.paths import cache_dir
from stp_helpers.sd.sensitivity import _WORKER_MODELS, _init_worker, _run_chunk

__all__ = ["chunk_results", "is_dask_client", "resolve_workers"]


# ------------------------------------------------------------------ executors
def is_dask_client(obj: object) -> bool:
    """Tell whether ``obj`` is a Dask ``distributed.Client`` (without importing Dask).

    Examples
    --------
    >>> is_dask_client(None)
    False
    """
    return (type(obj).__module__.split(".")[0] == "distributed"
            and hasattr(obj, "scatter") and hasattr(obj, "submit"))


def resolve_workers(executor: object, workers: int | None) -> int:
    """Return how many chunks can run at once (used to size and queue chunks).

    Parameters
    ----------
    executor : Executor, distributed.Client or None
    workers : int or None
        Given: used as is.  None (or 0): the Dask client's total threads,
        else the CPU count.

    Returns
    -------
    int

    Raises
    ------
    ModelError
        If ``workers`` is not a whole number of at least 1.

    Examples
    --------
    >>> resolve_workers(None, 3)
    3
    """
    if workers:
        if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
            raise ModelError(f"workers={workers!r} is not a number of workers.",
                             "Give a whole number of at least 1, or None for the default.")
        return int(workers)
    if is_dask_client(executor):
        return max(1, sum(executor.nthreads().values()))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class _Bundle:
    """The files of a translated model, for workers that cannot see the cache."""

    name: str
    files: tuple[tuple[str, bytes], ...]


def _bundle(spec: tuple[str, str, tuple[str, ...]]) -> _Bundle:
    folder = Path(spec[0])
    files = tuple((p.relative_to(folder).as_posix(), p.read_bytes())
                  for p in sorted(folder.rglob("*"))
                  if p.is_file() and "__pycache__" not in p.parts)
    return _Bundle(folder.name, files)


def _materialise(bundle: _Bundle, spec: tuple[str, str, tuple[str, ...]]):
    """Write ``bundle`` into this machine's cache (once); return the local spec."""
    target = cache_dir("models") / bundle.name
    if not (target / "model.py").is_file():
        tmp = Path(tempfile.mkdtemp(prefix=f".{bundle.name[:12]}-", dir=target.parent))
        try:
            for rel, data in bundle.files:
                dest = (tmp / rel).resolve()
                if not dest.is_relative_to(tmp.resolve()):
                    raise ModelError(f"Model bundle names a file outside its folder: {rel!r}.",
                                     "Send only models opened with load_model.")
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
            try:
                os.rename(tmp, target)
            except OSError:  # another worker finished first: use theirs
                if not (target / "model.py").is_file():
                    raise
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    old = Path(spec[0])
    data = tuple(str(target / Path(d).relative_to(old)) for d in spec[2])
    return (str(target), spec[1], data)


def _run_remote(bundle: _Bundle, spec, names, values, columns, final_time, fixed):
    """Run one chunk on a Dask worker, fetching the model from ``bundle`` if needed."""
    if not (Path(spec[0]) / "model.py").is_file():
        spec = _materialise(bundle, spec)
    return _run_chunk(spec, names, values, columns, final_time, fixed)


def chunk_results(
    model,
    spec: tuple[str, str, tuple[str, ...]],
    job: tuple[list[str], list[str], float | None, dict[str, float]],
    values: np.ndarray,
    chunks: Sequence[np.ndarray],
    executor: object = None,
    workers: int = 1,
    max_pending: int | None = None,
) -> Iterator[tuple[np.ndarray, tuple[np.ndarray, np.ndarray, list[str]]]]:
    """Run chunks of samples and yield their results in chunk order.

    At most ``max_pending`` chunks (default: all) are submitted or finished
    and not yet consumed; the next is submitted before a result is yielded,
    so workers stay busy while the caller writes.  Close the generator
    (``contextlib.closing``) to cancel what is still queued.

    Parameters
    ----------
    model : Model
        Used directly when ``executor`` is None and ``workers == 1``.
    spec : tuple
        ``(cache folder, source, data files)`` of the translated model.
    job : tuple
        ``(parameter names, output columns, final_time, fixed params)``.
    values : numpy.ndarray
        Samples, runs × parameters.
    chunks : sequence of numpy.ndarray
        Row indices of each chunk.
    executor : Executor, distributed.Client or None
    workers : int
    max_pending : int or None

    Yields
    ------
    (numpy.ndarray, tuple)
        The chunk's row indices and ``(times, values, errors)``.

    Examples
    --------
    >>> list(chunk_results(None, ("", "", ()), ([], [], None, {}), np.empty((0, 0)), []))
    []
    """
    names, columns, final_time, fixed = job
    if executor is None and workers <= 1:
        key = f"{spec[0]}|{threading.get_ident()}"
        _WORKER_MODELS[key] = model
        try:
            for idx in chunks:
                yield idx, _run_chunk(spec, names, values[idx], columns, final_time, fixed)
        finally:
            _WORKER_MODELS.pop(key, None)
            if model is not None:
                model.reset()
        return
    own_pool = bundle = None
    if is_dask_client(executor):
        client = executor
        [bundle] = client.scatter([_bundle(spec)], broadcast=True, hash=False)

        def submit(idx):
            return client.submit(_run_remote, bundle, spec, names, values[idx], columns,
                                 final_time, fixed, pure=False)
    else:
        if executor is None:
            own_pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                           initargs=spec)
        pool = own_pool or executor

        def submit(idx):
            return pool.submit(_run_chunk, spec, names, values[idx], columns, final_time, fixed)

    queue: deque = deque()
    todo = iter(chunks)
    try:
        for idx in islice(todo, max(1, max_pending or len(chunks))):
            queue.append((idx, submit(idx)))
        while queue:
            idx, future = queue.popleft()
            result = future.result()
            nxt = next(todo, None)
            if nxt is not None:
                queue.append((nxt, submit(nxt)))
            yield idx, result
    finally:
        for _, future in queue:
            future.cancel()
        if own_pool is not None:
            own_pool.shutdown(cancel_futures=True)
        if bundle is not None:
            bundle.release()
