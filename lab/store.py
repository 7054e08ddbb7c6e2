"""Rows of finished runs on disk, written as each run ends, so nothing finished is lost.

A lab command can run for hours. Each finished run is written at once to its
own Parquet file, named by its run key and moved into place only when
complete; an interrupted command therefore leaves only whole rows behind. Run
again with the same output folder, it skips the keys already there and ends
with the same table an uninterrupted run would have written: rows in the
order of the plan, one per key.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lab.output import atomic_write

PARTS = "runs.parts"
TABLE = "runs.parquet"


class RunStore:
    """The finished runs of one lab output folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.parts = self.folder / PARTS

    def prepare(self) -> None:
        """Create the folders and check they can be written, before any run starts."""
        self.parts.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=self.parts):
            pass

    def done(self) -> set[str]:
        """The run keys already stored."""
        if not self.parts.is_dir():
            return set()
        return {p.stem for p in self.parts.glob("*.parquet")}

    def add(self, row: dict[str, Any]) -> Path:
        """Store one finished run (atomically: a reader sees the whole row or none)."""
        table = pa.Table.from_pylist([row])
        return atomic_write(self.parts / f"{row['run_key']}.parquet",
                            lambda tmp: pq.write_table(table, tmp))

    def rows(self, keys: Iterable[str]) -> pd.DataFrame:
        """The stored rows of `keys`, in that order (missing keys are left out)."""
        frames = [pd.read_parquet(self.parts / f"{key}.parquet") for key in keys
                  if (self.parts / f"{key}.parquet").is_file()]
        if not frames:
            return pd.DataFrame()
        return pd.concat(frames, ignore_index=True)

    def write_table(self, frame: pd.DataFrame, name: str = TABLE) -> Path:
        """The whole table as one Parquet file and one CSV beside it."""
        path = self.folder / name
        atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))
        csv = path.with_suffix(".csv")
        atomic_write(csv, lambda tmp: frame.to_csv(tmp, index=False, lineterminator="\n"))
        return path

