"""Planning a Monte Carlo study: its sample, its chunks, and where they run.

Shared by :func:`~stp_helpers.sd.monte_carlo` and
:func:`~stp_helpers.sd.parquet.monte_carlo_to_parquet`.  By default the
chunks run in the calling process on the ensemble engine
(:mod:`stp_helpers.sd.ensemble`), as few as fit
:data:`~stp_helpers.sd.ensemble.MEMORY_BUDGET`; with an executor or a
worker count they are spread as :mod:`stp_helpers.sd.distributed`
describes.  A model the engine cannot vectorise runs one run at a time,
with a ``RuntimeWarning`` saying why.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence

import numpy as np

from stp_helpers.errors import ModelError
from stp_helpers.sd.distributed import resolve_workers
from stp_helpers.sd.ensemble import ensemble_chunk_size, unsupported_reason
from stp_helpers.sd.model import Model
from stp_helpers.sd.sampling import sample_parameters

try:  # optional: draws a progress bar when installed
    from tqdm.auto import tqdm
except ImportError:  # pragma: no cover - tqdm comes with the test and app extras
    tqdm = None

__all__ = ["plan_study", "plan_chunks", "fallback_warning", "progress_reporter",
           "group_chunks", "split_groups", "BLOCK_BUDGET"]

#: Bytes of one block of chunks the ensemble engine runs at once for the Parquet writer.
BLOCK_BUDGET = 64 * 2**20


def plan_study(model: Model, distributions, n, seed, outputs, params):
    """Check a study and draw its sample.

    Returns
    -------
    tuple
        ``(names, samples, columns, fixed, spec)``: sampled parameters (model
        names), the sample (DataFrame), output variables, fixed parameters,
        and the translated model's ``(cache folder, source, data files)``.

    Raises
    ------
    ModelError
        For unknown names, samples outside a parameter's declared range, or
        a parameter both sampled and fixed.
    """
    names = [model.resolve(k) for k in distributions]
    samples = sample_parameters(dict(zip(names, distributions.values())), n, seed)
    for name in names:
        info = model.info(name)
        lo, hi = samples[name].min(), samples[name].max()
        if (not math.isnan(info.minimum) and lo < info.minimum) or (
                not math.isnan(info.maximum) and hi > info.maximum):
            raise ModelError(
                f"{model.name}: samples of {name!r} run from {lo:.4g} to {hi:.4g}, outside "
                f"its declared range [{info.minimum:g}, {info.maximum:g}].",
                "Narrow the distribution (a normal has unbounded tails: use triangular).")
    fixed = {k: float(v) for k, v in model.check_params(params).items()}
    clash = set(fixed) & set(names)
    if clash:
        raise ModelError(f"{model.name}: {', '.join(map(repr, sorted(clash)))} is both "
                         f"sampled and fixed.", "Leave it out of params or of distributions.")
    columns = [model.resolve(o) for o in (outputs or model.stocks)]
    spec = (str(model.cache), str(model.source), tuple(model.data_files))
    return names, samples, columns, fixed, spec


def plan_chunks(
    model: Model,
    n_runs: int,
    columns: Sequence[str],
    executor: object,
    workers: int | None,
    vectorise: bool,
    chunks_per_worker: int = 4,
) -> tuple[int, list[np.ndarray], str]:
    """Decide where runs go and how they are cut into chunks.

    With ``vectorise`` and no executor (and ``workers`` None or 1), every
    chunk runs in the calling process on the ensemble engine, as few chunks as fit
    :data:`~stp_helpers.sd.ensemble.MEMORY_BUDGET`.  Otherwise (or when the
    engine cannot vectorise the model) ``workers × chunks_per_worker``
    chunks.

    Returns
    -------
    tuple
        ``(workers, chunks, reason)``: reason "" or why the runs go one at
        a time although ``vectorise`` was asked for.

    Raises
    ------
    ModelError
        For a bad ``workers``.
    """
    reason = unsupported_reason(model) if vectorise else ""
    in_process = executor is None and (workers is None or (type(workers) is int and workers == 1))
    if vectorise and not reason and in_process:
        size = ensemble_chunk_size(model, len(columns))
        n_chunks = max(1, math.ceil(n_runs / size))
        workers = 1
    else:
        workers = resolve_workers(executor, workers)
        n_chunks = max(1, min(n_runs, workers * chunks_per_worker))
    chunks = [c for c in np.array_split(np.arange(n_runs), n_chunks) if c.size]
    return workers, chunks, reason


def fallback_warning(model: Model, reason: str) -> str:
    """Warn that a study runs one run at a time, and return its engine label."""
    if not reason:
        return "ensemble"
    message = (reason if reason.startswith(model.name) else
               f"{model.name}: the ensemble engine cannot run this model over arrays: "
               f"{reason}.")
    warnings.warn(f"{message} Its runs go one at a time instead (same numbers, slower).",
                  RuntimeWarning, stacklevel=3)
    return f"per run ({message})"


def progress_reporter(progress, total: int) -> Callable[[int | None], None]:
    """``report(done)`` after each chunk and ``report(None)`` at the end.

    Parameters
    ----------
    progress : callable, bool or None
        True: a tqdm bar (if tqdm is installed); a callable gets
        ``(done, total)``; None or False: nothing.
    total : int

    Examples
    --------
    >>> seen = []
    >>> report = progress_reporter(lambda d, t: seen.append((d, t)), 4)
    >>> report(2); report(None); seen
    [(2, 4)]
    """
    if progress is True:
        if tqdm is None:
            return lambda done: None
        bar = tqdm(total=total, desc="Monte Carlo runs")
        state = {"last": 0}

        def update(done):
            if done is None:
                bar.close()
                return
            bar.update(done - state["last"])
            state["last"] = done

        return update
    if callable(progress):
        return lambda done: None if done is None else progress(done, total)
    return lambda done: None


def group_chunks(chunks: Sequence[np.ndarray], runs: int) -> list[list[np.ndarray]]:
    """Consecutive chunks grouped into blocks of at most ``runs`` runs (at least one chunk).

    The ensemble engine runs a block at once (a few thousand runs cost little
    more than one thousand); :func:`split_groups` gives the chunks back.

    Examples
    --------
    >>> [[c.size for c in g] for g in group_chunks(np.array_split(np.arange(10), 5), 4)]
    [[2, 2], [2, 2], [2]]
    """
    groups: list[list[np.ndarray]] = []
    size = 0
    for chunk in chunks:
        if not groups or size + chunk.size > runs:
            groups.append([])
            size = 0
        groups[-1].append(chunk)
        size += chunk.size
    return groups


def split_groups(stream, groups: Sequence[Sequence[np.ndarray]]):
    """Yield ``(chunk, (times, values, errors, note))`` per chunk from a stream of blocks.

    Examples
    --------
    >>> block = (np.arange(3), (np.array([0.0]), np.zeros((3, 1, 1)), ["", "x", ""], ""))
    >>> [(c.tolist(), r[2]) for c, r in split_groups([block], [[np.arange(2), np.arange(2, 3)]])]
    [([0, 1], ['', 'x']), ([2], [''])]
    """
    for (_, (times, values, errors, note)), members in zip(stream, groups):
        start = 0
        for chunk in members:
            stop = start + chunk.size
            yield chunk, (times, values[start:stop], errors[start:stop], note)
            start = stop
