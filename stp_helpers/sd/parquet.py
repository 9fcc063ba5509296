"""Stream a Monte Carlo study to Parquet, and summarise it from the file.

:func:`monte_carlo_to_parquet` gives the runs of
:func:`~stp_helpers.sd.monte_carlo` (same arguments, seed and numbers) on
the ensemble engine (blocks of chunks at once, in the calling process) or
any executor of :mod:`stp_helpers.sd.distributed`, writing one row group
per chunk, in run order, holding at most ``2 × workers`` chunks (or one
block) at a time, so a 100,000-run study never sits in memory.  The file
appears only when complete.  It is wide: one row per run with columns
``run``, one per sampled parameter, ``error`` ("" for runs that worked)
and one per variable and saved time, ``"<variable> @ <time>"`` (NaN for
failed runs); the study (seed, distributions, fixed parameters, times,
column names) is in its metadata.  The writer also holds the footer until
it closes: about 1.8 KB per column per row group.  :func:`parquet_bands`
computes exact per-time percentiles ``batch_columns`` time columns at a
time (the numbers :func:`~stp_helpers.sd.percentile_bands` gives in
memory); :func:`read_monte_carlo` reads a (small) study back whole.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from stp_helpers.errors import CaseExistsError, ModelError
from stp_helpers.io.atomic import umask
from stp_helpers.paths import relative
from stp_helpers.sd.distributed import chunk_results, resolve_workers
from stp_helpers.sd.ensemble import ensemble_chunk_size, unsupported_reason
from stp_helpers.sd.model import Model
from stp_helpers.sd.sampling import Distribution, as_distribution
from stp_helpers.sd.sensitivity import MonteCarloResult
from stp_helpers.sd.study import BLOCK_BUDGET, fallback_warning, group_chunks, plan_study
from stp_helpers.sd.study import progress_reporter, split_groups

__all__ = [
    "MonteCarloFile",
    "monte_carlo_to_parquet",
    "parquet_bands",
    "read_monte_carlo",
    "read_parquet_info",
]

_META_KEY = b"stp_helpers.monte_carlo"
_FORMAT = 1
_RESERVED = ("run", "error")


def _pyarrow():
    try:
        # heavy (pyarrow, about 50 MB): loaded only in processes that write or read Parquet
        import pyarrow as pa
        import pyarrow.parquet as pq  # (heavy, as above)
    except ImportError as err:  # pragma: no cover - pyarrow is a dependency
        raise ModelError("Writing Monte Carlo runs to Parquet needs pyarrow.",
                         "Install it: pip install pyarrow") from err
    return pa, pq


def _check_chunk_size(chunk_size: object) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) or (
            chunk_size < 1):
        raise ModelError(f"chunk_size={chunk_size!r} is not a number of runs.",
                         "Give a whole number of runs per chunk, at least 1 (e.g. 1000).")
    return int(chunk_size)


def _check_target(path: str | os.PathLike[str], overwrite: bool) -> Path:
    target = Path(path).expanduser()
    if target.is_dir():
        raise ModelError(f"{relative(target)} is a folder, not a file name.",
                         "Give a file name such as runs.parquet.")
    if target.exists() and not overwrite:
        raise CaseExistsError(f"{relative(target)} already exists; it was left unchanged.",
                              "Pass overwrite=True to replace it, or choose another name.")
    return target


def _column_names(variables: Sequence[str], times: np.ndarray, taken: set[str]):
    names = {v: [f"{v} @ {t:.12g}" for t in times] for v in variables}
    flat = [c for cols in names.values() for c in cols]
    if len(set(flat)) != len(flat) or taken & set(flat):
        names = {v: [f"{v} @ #{i}" for i in range(times.size)] for v in variables}
    return names


def _dist_json(dist: Distribution) -> list:
    return [dist.kind, dist.a, dist.b, None if math.isnan(dist.c) else dist.c]


@dataclass(frozen=True, eq=False)
class MonteCarloFile:
    """A Monte Carlo study stored by :func:`monte_carlo_to_parquet`.

    Attributes
    ----------
    path : Path
    n : int
        Number of runs.
    n_failed : int
        Runs that failed (their values are NaN, ``error`` says why).
    variables : list of str
    times : numpy.ndarray
    seed : int or None
    columns : dict
        Variable → its Parquet column names, one per time.
    parameters : list of str
        The sampled parameters (one column each).
    """

    path: Path
    n: int
    n_failed: int
    variables: list[str]
    times: np.ndarray
    seed: int | None
    columns: dict[str, list[str]]
    parameters: list[str]

    def bands(self, percentiles: Sequence[float] = (5, 25, 50, 75, 95),
              batch_columns: int | None = None) -> pd.DataFrame:
        """Per-time percentile bands read from the file (see :func:`parquet_bands`)."""
        return parquet_bands(self.path, percentiles, batch_columns=batch_columns)

    def load(self) -> MonteCarloResult:
        """Read every run into memory (see :func:`read_monte_carlo`)."""
        return read_monte_carlo(self.path)

    def __repr__(self) -> str:
        return (f"MonteCarloFile({relative(self.path)}: {self.n} runs, {self.n_failed} failed, "
                f"{len(self.variables)} variables x {self.times.size} times, seed {self.seed})")


def read_parquet_info(path: str | os.PathLike[str]) -> MonteCarloFile:
    """Describe a file written by :func:`monte_carlo_to_parquet` (metadata and ``error``).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    MonteCarloFile

    Raises
    ------
    ModelError
        If the file is missing, not Parquet, or not written by
        :func:`monte_carlo_to_parquet`.

    Examples
    --------
    >>> read_parquet_info("no-such-runs.parquet")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ModelError: no-such-runs.parquet: there is no such file. ...
    """
    pa, pq = _pyarrow()
    source = Path(path).expanduser()
    if not source.is_file():
        raise ModelError(f"{relative(source)}: there is no such file.",
                         "Check the path, or write the runs with monte_carlo_to_parquet.")
    try:
        meta = pq.read_schema(source).metadata or {}
    except (pa.ArrowInvalid, OSError) as err:
        raise ModelError(f"{relative(source)}: not a Parquet file ({err}).",
                         "Give a file written by monte_carlo_to_parquet.") from err
    if _META_KEY not in meta:
        raise ModelError(f"{relative(source)}: this Parquet file holds no Monte Carlo study.",
                         "Give a file written by monte_carlo_to_parquet.")
    info = json.loads(meta[_META_KEY])
    errors = pq.read_table(source, columns=["error"]).column("error").to_pylist()
    n_failed = sum(bool(e) for e in errors)
    return MonteCarloFile(source, info["n"], n_failed, info["variables"],
                          np.asarray(info["times"], dtype=float), info["seed"],
                          info["columns"], info["parameters"])


def monte_carlo_to_parquet(
    model: Model,
    distributions: Mapping[str, Distribution | Sequence],
    n: int,
    seed: int | None,
    path: str | os.PathLike[str],
    *,
    outputs: Sequence[str] | None = None,
    final_time: float | None = None,
    executor: object = None,
    workers: int | None = None,
    chunk_size: int = 1000,
    progress: Callable[[int, int], None] | bool | None = True,
    params: Mapping[str, float] | None = None,
    overwrite: bool = False,
    vectorise: bool = True,
) -> MonteCarloFile:
    """Run a Monte Carlo study and stream its runs to a Parquet file.

    The same runs as :func:`~stp_helpers.sd.monte_carlo` with the same
    arguments, written chunk by chunk (one row group per chunk, in run
    order) so memory holds at most ``2 × workers`` chunks, never the study.
    The file appears only when complete (written to a temporary file in
    the same folder, then renamed); on any error nothing is left behind.

    Parameters
    ----------
    model : Model
    distributions : mapping
        Parameter → :class:`~stp_helpers.sd.Distribution` or tuple.
    n : int
        Number of runs.
    seed : int or None
        Seed for the Latin hypercube sample (stored in the file).
    path : str or path-like
        The Parquet file to write.
    outputs : sequence of str or None
        Variables to keep; default the stocks.
    final_time : float or None
        FINAL TIME override.
    executor : Executor, distributed.Client or None
        As for :func:`~stp_helpers.sd.monte_carlo`.
    workers : int or None
        As for :func:`~stp_helpers.sd.monte_carlo` (default: 1, the calling
        process, on the ensemble engine).
    chunk_size : int
        Runs per chunk and per row group (default 1000).
    progress : callable, bool or None
        True (default) shows a tqdm bar; a callable gets ``(done, total)``.
    params : mapping or None
        Fixed parameter values for every run.
    overwrite : bool
        Replace an existing file (default False: refuse).
    vectorise : bool
        Run each chunk at once on the ensemble engine (default True); a
        model it cannot vectorise runs one run at a time, with a
        ``RuntimeWarning`` saying why.  Same numbers either way.

    Returns
    -------
    MonteCarloFile

    Raises
    ------
    CaseExistsError
        If ``path`` exists and ``overwrite`` is False.
    ModelError
        For a bad ``chunk_size``, a folder as ``path``, the errors of
        :func:`~stp_helpers.sd.monte_carlo`, or if every run failed.

    Examples
    --------
    >>> monte_carlo_to_parquet(None, {}, 10, 1, "runs.parquet", chunk_size=0)
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ModelError: chunk_size=0 is not a number of runs. ...
    """
    chunk_size = _check_chunk_size(chunk_size)
    target = _check_target(path, overwrite)
    pa, pq = _pyarrow()
    names, samples, columns, fixed, spec = plan_study(model, distributions, n, seed, outputs,
                                                      params)
    if len(set(columns)) != len(columns):
        raise ModelError(f"{model.name}: outputs name a variable twice ({', '.join(columns)}).",
                         "Give each output once.")
    clash = set(_RESERVED) & set(names)
    if clash:
        raise ModelError(f"{model.name}: a sampled parameter is called {min(clash)!r}, "
                         f"a column name the Parquet file reserves.",
                         "Sample it under another name, or use monte_carlo.")
    reason = unsupported_reason(model) if vectorise else ""
    if vectorise and not reason and executor is None and workers is None:
        workers = 1  # the engine is fastest in the calling process
    workers = resolve_workers(executor, workers)
    values = samples.to_numpy(float)
    chunks = [np.arange(i, min(i + chunk_size, len(values)))
              for i in range(0, len(values), chunk_size)]
    # in the calling process the engine runs blocks of several chunks at once
    block = (ensemble_chunk_size(model, len(columns), budget=BLOCK_BUDGET)
             if vectorise and not reason and executor is None and workers == 1 else 1)
    groups = group_chunks(chunks, block)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.fchmod(fd, 0o666 & ~umask())  # mkstemp makes it 0600; results follow the umask like every save
    os.close(fd)
    tmp = Path(tmp_name)
    report = progress_reporter(progress, len(values))
    writer = times = col_names = None
    waiting: list = []  # chunks that all failed before any time axis was known
    done = 0
    try:
        with closing(chunk_results(model, spec, (names, columns, final_time, fixed,
                                                 vectorise and not reason), values,
                                   [np.concatenate(g) for g in groups], executor, workers,
                                   max_pending=2 * workers)) as stream:
            for idx, (t, arr, errors, note) in split_groups(stream, groups):
                reason = reason or note
                done += idx.size
                report(done)
                if writer is None and t.size:
                    times = t
                    col_names = _column_names(columns, times, set(_RESERVED) | set(names))
                    meta = {
                        "format": _FORMAT, "model": relative(model.source),
                        "seed": int(seed) if isinstance(seed, int | np.integer) else None,
                        "n": len(values),
                        "parameters": names, "fixed": fixed, "final_time": final_time,
                        "distributions": {k: _dist_json(as_distribution(v)) for k, v in
                                          zip(names, distributions.values())},
                        "variables": columns, "times": times.tolist(), "columns": col_names,
                    }
                    fields = ([pa.field("run", pa.int64())]
                              + [pa.field(k, pa.float64()) for k in names]
                              + [pa.field("error", pa.string())]
                              + [pa.field(c, pa.float64()) for v in columns
                                 for c in col_names[v]])
                    schema = pa.schema(fields, metadata={_META_KEY: json.dumps(meta).encode()})
                    # dictionary encoding only pays for the error texts; on float
                    # columns it is tried and dropped, which costs 5× the write time
                    writer = pq.ParquetWriter(tmp, schema, use_dictionary=["error"])
                if writer is None:
                    waiting.append((idx, errors, arr))
                    continue
                for held_idx, held_errors, held_arr in [*waiting, (idx, errors, arr)]:
                    writer.write_table(_chunk_table(pa, schema, held_idx, values[held_idx],
                                                    names, held_errors, held_arr, columns,
                                                    col_names, times))
                waiting.clear()
        if vectorise:
            fallback_warning(model, reason)
        if writer is None:
            first = next((e for held in waiting for e in held[1] if e), "unknown error")
            raise ModelError(f"{model.name}: every Monte Carlo run failed; first: {first}",
                             "Check the distributions against the extreme-conditions test.")
        writer.close()
        writer = None
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists() and not overwrite:
            raise CaseExistsError(f"{relative(target)} appeared while the runs were written; "
                                  f"it was left unchanged.",
                                  "Pass overwrite=True to replace it, or choose another name.")
        os.replace(tmp, target)
    except BaseException:
        if writer is not None:
            writer.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        report(None)
    return read_parquet_info(target)


def _chunk_table(pa, schema, idx, sample, names, errors, arr, columns, col_names, times):
    """One chunk as an Arrow table (NaN for failed runs or a different time axis)."""
    k = idx.size
    data = {"run": pa.array(idx.astype(np.int64))}
    for j, name in enumerate(names):
        data[name] = pa.array(np.ascontiguousarray(sample[:, j]))
    data["error"] = pa.array(list(errors), pa.string())
    if arr.shape[1] != times.size:
        arr = np.full((k, times.size, len(columns)), np.nan)
    for j, var in enumerate(columns):
        block = np.ascontiguousarray(arr[:, :, j].T)  # times × runs
        for i, col in enumerate(col_names[var]):
            data[col] = pa.array(block[i])
    return pa.Table.from_pydict(data, schema=schema)


def parquet_bands(
    path: str | os.PathLike[str],
    percentiles: Sequence[float] = (5, 25, 50, 75, 95),
    variables: Sequence[str] | None = None,
    batch_columns: int | None = None,
) -> pd.DataFrame:
    """Per-time percentile bands of a stored study, without loading every run.

    Reads ``batch_columns`` time columns at a time (all runs of those
    times), so memory is a few times runs × batch_columns × 8 bytes, plus
    the parsed footer (about 2 KB per column per row group); the
    percentiles are exact and equal those of
    :func:`~stp_helpers.sd.percentile_bands` on the same runs.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`monte_carlo_to_parquet`.
    percentiles : sequence of float
        Default 5, 25, 50, 75, 95.
    variables : sequence of str or None
        Default every stored variable.
    batch_columns : int or None
        Time columns read at once; default about 16 MB of values
        (2,000,000 // runs columns, at least 1).

    Returns
    -------
    pandas.DataFrame
        Tidy: ``variable``, ``time`` and ``p5``, ``p25``…; failed runs
        are ignored.

    Raises
    ------
    ModelError
        For a file that holds no study, or a variable it does not hold.

    Examples
    --------
    >>> parquet_bands("no-such-runs.parquet")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ModelError: no-such-runs.parquet: there is no such file. ...
    """
    info = read_parquet_info(path)
    _, pq = _pyarrow()
    batch = (max(1, 2_000_000 // max(info.n, 1)) if batch_columns is None
             else _check_chunk_size(batch_columns))
    frames = []
    with pq.ParquetFile(info.path) as file:
        for var in _pick(info, variables):
            cols = info.columns[var]
            parts = []
            for start in range(0, len(cols), batch):
                names = cols[start:start + batch]
                table = file.read(columns=names)
                block = np.column_stack([table.column(c).to_numpy() for c in names])
                del table
                with np.errstate(all="ignore"):
                    parts.append(np.nanpercentile(block, percentiles, axis=0))
            q = np.concatenate(parts, axis=1)
            frame = pd.DataFrame({f"p{p:g}": q[i] for i, p in enumerate(percentiles)})
            frame.insert(0, "time", info.times)
            frame.insert(0, "variable", var)
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _pick(info: MonteCarloFile, variables: Sequence[str] | None) -> list[str]:
    chosen = list(variables) if variables is not None else list(info.variables)
    missing = [v for v in chosen if v not in info.columns]
    if missing:
        raise ModelError(f"{relative(info.path)} holds no variable {missing[0]!r}.",
                         f"Choose from {', '.join(info.variables)}.")
    return chosen


def read_monte_carlo(
    path: str | os.PathLike[str], variables: Sequence[str] | None = None
) -> MonteCarloResult:
    """Read a stored study back into memory as a :class:`~stp_helpers.sd.MonteCarloResult`.

    Every run of the chosen variables is loaded (runs × times ×
    variables floats): for large studies use :func:`parquet_bands`.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`monte_carlo_to_parquet`.
    variables : sequence of str or None
        Default every stored variable.

    Returns
    -------
    MonteCarloResult
        Equal, for the same arguments and seed, to what
        :func:`~stp_helpers.sd.monte_carlo` returns.

    Raises
    ------
    ModelError
        For a file that holds no study, or a variable it does not hold.

    Examples
    --------
    >>> read_monte_carlo("no-such-runs.parquet")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ModelError: no-such-runs.parquet: there is no such file. ...
    """
    info = read_parquet_info(path)
    _, pq = _pyarrow()
    chosen = _pick(info, variables)
    with pq.ParquetFile(info.path) as file:
        head = file.read(columns=["run", *info.parameters, "error"])
        samples = pd.DataFrame({k: head.column(k).to_numpy() for k in info.parameters},
                               index=pd.RangeIndex(info.n, name="run"))
        errors = head.column("error").to_pylist()
        values = np.empty((info.n, info.times.size, len(chosen)))
        for j, var in enumerate(chosen):
            table = file.read(columns=info.columns[var])
            for i, col in enumerate(info.columns[var]):
                values[:, i, j] = table.column(col).to_numpy()
    return MonteCarloResult(samples, info.times, values, chosen, info.seed, errors)
