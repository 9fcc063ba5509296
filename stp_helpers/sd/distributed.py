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

from stp_helpers.errors import EnsembleUnsupported, ModelError
from stp_helpers.paths import cache_dir
from stp_helpers.sd.ensemble import Ensemble, per_run_chunk
from stp_helpers.sd.load import open_translated
from stp_helpers.sd.model import Model

__all__ = ["chunk_results", "is_dask_client", "resolve_workers", "run_chunk", "worker_model",
           "cached_models"]

Spec = tuple[str, str, tuple[str, ...]]
ChunkResult = tuple[np.ndarray, np.ndarray, list[str], str]


# ------------------------------------------------------------------ worker state
# Per process: "<cache folder>|<thread id>" → the model opened there, and its
# ensemble engine (or why the model has none).  A worker opens each model once
# and keeps it for every later chunk; the calling process lends its own model
# for the duration of an in-process study.
_WORKER_MODELS: dict[str, Model] = {}
_WORKER_ENGINES: dict[str, Ensemble | EnsembleUnsupported] = {}


def _key(folder: str) -> str:
    return f"{folder}|{threading.get_ident()}"


def worker_model(folder: str, source: str, data_files: tuple[str, ...]) -> Model:
    """Open the translated model once per process and thread, and keep it.

    Parameters
    ----------
    folder, source, data_files
        The model's spec: cache folder, source file, data files.

    Returns
    -------
    Model
    """
    key = _key(folder)
    model = _WORKER_MODELS.get(key)
    if model is None:
        model = open_translated(Path(folder), Path(source), data_files)
        _WORKER_MODELS[key] = model
    return model


def _init_worker(folder: str, source: str, data_files: tuple[str, ...]) -> None:
    worker_model(folder, source, data_files)


def cached_models() -> list[str]:
    """Cache folders of the models this process holds open (one entry per thread).

    Examples
    --------
    >>> isinstance(cached_models(), list)
    True
    """
    return [k.split("|")[0] for k in _WORKER_MODELS]


def _engine(key: str, model: Model) -> Ensemble | EnsembleUnsupported:
    engine = _WORKER_ENGINES.get(key)
    if engine is None or (isinstance(engine, Ensemble) and engine.model is not model):
        try:
            engine = Ensemble(model)
        except EnsembleUnsupported as err:
            engine = err
        _WORKER_ENGINES[key] = engine
    return engine


def run_chunk(
    spec: Spec,
    names: list[str],
    values: np.ndarray,
    columns: list[str],
    final_time: float | None,
    fixed: dict[str, float] | None = None,
    vectorise: bool = True,
) -> ChunkResult:
    """Run one chunk of samples in this process.

    With ``vectorise`` the chunk runs at once on the ensemble engine
    (:mod:`stp_helpers.sd.ensemble`); a model the engine cannot vectorise
    runs one run at a time instead, and the reason is returned.

    Parameters
    ----------
    spec : tuple
        ``(cache folder, source, data files)`` of the translated model.
    names : list of str
        Sampled parameters.
    values : numpy.ndarray
        Samples, runs × parameters.
    columns : list of str
        Variables to keep.
    final_time : float or None
    fixed : dict or None
        Parameters set to one value in every run.
    vectorise : bool
        Use the ensemble engine (default True).

    Returns
    -------
    tuple
        ``(times, array runs × times × columns, errors, note)``: errors ""
        for runs that worked; note "" or why the chunk ran per run.
    """
    model = worker_model(*spec)
    if vectorise:
        engine = _engine(_key(spec[0]), model)
        if isinstance(engine, Ensemble):
            try:
                return (*engine.run_chunk(names, values, columns, final_time, fixed), "")
            except EnsembleUnsupported as err:
                _WORKER_ENGINES[_key(spec[0])] = err
                engine = err
        note = str(engine)
    else:
        note = ""
    return (*per_run_chunk(model, names, values, columns, final_time, fixed), note)


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


def _run_remote(bundle: _Bundle, spec, names, values, columns, final_time, fixed,
                vectorise=True):
    """Run one chunk on a Dask worker, fetching the model from ``bundle`` if needed."""
    if not (Path(spec[0]) / "model.py").is_file():
        spec = _materialise(bundle, spec)
    return run_chunk(spec, names, values, columns, final_time, fixed, vectorise)


def chunk_results(
    model,
    spec: tuple[str, str, tuple[str, ...]],
    job: tuple[list[str], list[str], float | None, dict[str, float], bool],
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
        ``(parameter names, output columns, final_time, fixed params,
        vectorise)``.
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
        The chunk's row indices and ``(times, values, errors, note)`` (see
        :func:`run_chunk`).

    Examples
    --------
    >>> list(chunk_results(None, ("", "", ()), ([], [], None, {}, True), np.empty((0, 0)),
    ...                    []))
    []
    """
    names, columns, final_time, fixed, vectorise = job
    if executor is None and workers <= 1:
        key = _key(spec[0])
        _WORKER_MODELS[key] = model
        try:
            for idx in chunks:
                yield idx, run_chunk(spec, names, values[idx], columns, final_time, fixed,
                                     vectorise)
        finally:
            _WORKER_MODELS.pop(key, None)
            _WORKER_ENGINES.pop(key, None)
            if model is not None:
                model.reset()
        return
    own_pool = bundle = None
    if is_dask_client(executor):
        client = executor
        [bundle] = client.scatter([_bundle(spec)], broadcast=True, hash=False)

        def submit(idx):
            return client.submit(_run_remote, bundle, spec, names, values[idx], columns,
                                 final_time, fixed, vectorise, pure=False)
    else:
        if executor is None:
            own_pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                           initargs=spec)
        pool = own_pool or executor

        def submit(idx):
            return pool.submit(run_chunk, spec, names, values[idx], columns, final_time, fixed,
                               vectorise)

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
