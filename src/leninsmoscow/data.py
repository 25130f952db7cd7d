"""Load the course datasets as typed pandas DataFrames.

The CSV files in ``data/`` are the course's ground truth; ``dictionary.csv``
beside them says what every column holds. Types, allowed values and ranges are
read from the dictionary rather than written here, so that adding a column is a
one-line change to a file a historian can read.

Every problem is reported as a :class:`DataError` naming the file, the line and
the column, because the people who edit these files are teachers, not pandas
users.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .datafolder import DICTIONARY, DataError, data_dir  # noqa: F401 - part of this module's interface

CATEGORY_SEPARATOR = "|"
RANGE_SEPARATOR = ".."


@dataclass(frozen=True)
class Column:
    """One row of the data dictionary."""

    dataset: str
    name: str
    dtype: str
    unit: str
    required: bool
    allowed: str
    description: str

    @property
    def categories(self) -> list[str]:
        return self.allowed.split(CATEGORY_SEPARATOR) if self.allowed else []

    @property
    def bounds(self) -> tuple[str, str] | None:
        if RANGE_SEPARATOR not in self.allowed:
            return None
        low, high = self.allowed.split(RANGE_SEPARATOR)
        return low, high


@functools.lru_cache(maxsize=4)
def dictionary(directory: Path | None = None) -> dict[str, list[Column]]:
    """The data dictionary, as {dataset: [columns in file order]}."""
    path = Path(directory or data_dir()) / DICTIONARY
    columns: dict[str, list[Column]] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            column = Column(
                dataset=row["dataset"],
                name=row["column"],
                dtype=row["dtype"],
                unit=row["unit"],
                required=row["required"] == "yes",
                allowed=row["allowed"],
                description=row["description"],
            )
            columns.setdefault(column.dataset, []).append(column)
    return columns


def names(directory: Path | None = None) -> list[str]:
    """The datasets the dictionary describes, sources first."""
    return list(dictionary(directory))


def load(name: str, directory: Path | None = None) -> pd.DataFrame:
    """One dataset, typed as its dictionary says.

    Returns a fresh copy each time, so a student who edits a DataFrame in a
    notebook does not change what the next cell (or a widget) sees.
    """
    folder = Path(directory or data_dir())
    return _load_cached(name, folder, _stamp(folder / f"{name}.csv")).copy()


def _stamp(path: Path) -> tuple[int, int]:
    """Changes when the file does, so an edited CSV is read again (the cache keys on it)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=32)
def _load_cached(name: str, folder: Path, stamp: tuple[int, int]) -> pd.DataFrame:
    columns = dictionary(folder).get(name)
    if columns is None:
        known = ", ".join(names(folder))
        raise DataError(f"There is no dataset called {name!r}. The datasets are: {known}.")
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise DataError(f"{_shown(path)} is missing: the data dictionary describes it.")
    raw = _read_text_table(path)
    _check_header(path, raw, columns)
    frame = pd.DataFrame({column.name: _typed(path, raw, column) for column in columns})
    return frame


def _read_text_table(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(f"{_shown(path)} is not a readable CSV file: {error}") from None


def _check_header(path: Path, raw: pd.DataFrame, columns: list[Column]) -> None:
    expected = [column.name for column in columns]
    found = list(raw.columns)
    if found != expected:
        missing = [name for name in expected if name not in found]
        extra = [name for name in found if name not in expected]
        detail = []
        if missing:
            detail.append(f"missing {missing}")
        if extra:
            detail.append(f"not in the dictionary {extra}")
        if not detail:
            detail.append(f"in the wrong order; expected {expected}")
        raise DataError(f"{_shown(path)}: columns {'; '.join(detail)}.")


def _typed(path: Path, raw: pd.DataFrame, column: Column) -> pd.Series:
    text = raw[column.name]
    if column.required and text.isna().any():
        _fail(path, raw, column, text.isna(), "is empty but required")
    present = text.notna()
    convert = _CONVERTERS[column.dtype]
    if column.dtype == "key" and column.bounds:
        convert = _to_int  # numbered keys: paragraphs, stops
    values = convert(text)
    bad = present & values.isna()
    if bad.any():
        _fail(path, raw, column, bad, f"is not a valid {column.dtype}: {text[bad].iloc[0]!r}")
    _check_range(path, raw, column, values)
    if column.dtype == "category":
        values = values.astype(pd.CategoricalDtype(column.categories))
    if column.dtype == "key" and values.duplicated().any():
        _fail(path, raw, column, values.duplicated(), f"repeats the key {values[values.duplicated()].iloc[0]!r}")
    return values


def _to_category(text: pd.Series) -> pd.Series:
    return text  # checked against the allowed values in _check_range


def _to_bool(text: pd.Series) -> pd.Series:
    return text.str.lower().map({"true": True, "false": False}).astype("boolean")


def _to_date(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def _to_int(text: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(text, errors="coerce")
    whole = numbers.notna() & (numbers % 1 == 0)
    return numbers.where(whole).astype("Int64")


def _to_float(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text, errors="coerce").astype("float64")


_CONVERTERS = {
    "key": lambda text: text,
    "string": lambda text: text,
    "source": lambda text: text,
    "category": _to_category,
    "bool": _to_bool,
    "date": _to_date,
    "int": _to_int,
    "float": _to_float,
}


def _check_range(path: Path, raw: pd.DataFrame, column: Column, values: pd.Series) -> None:
    present = values.notna()
    if column.dtype == "category":
        outside = present & ~raw[column.name].isin(column.categories)
        if outside.any():
            allowed = ", ".join(column.categories)
            _fail(path, raw, column, outside, f"has {raw[column.name][outside].iloc[0]!r}, not one of: {allowed}")
        return
    bounds = column.bounds
    if bounds is None:
        return
    low, high = (_bound(column.dtype, limit) for limit in bounds)
    outside = present & ((values < low) | (values > high))
    if outside.any():
        _fail(path, raw, column, outside, f"{raw[column.name][outside].iloc[0]} is outside {bounds[0]} to {bounds[1]}")


def _bound(dtype: str, limit: str):
    """A range limit from the dictionary, as a value comparable with the column."""
    if dtype == "date":
        return pd.Timestamp(limit)
    return float(limit)


def _fail(path: Path, raw: pd.DataFrame, column: Column, rows: pd.Series, problem: str) -> None:
    position = int(rows.to_numpy().nonzero()[0][0])
    raise DataError(f"{_shown(path)}, {row_label(raw, position)}, column {column.name!r} {problem}.")


def row_label(frame: pd.DataFrame, position: int) -> str:
    """'line 7 (event_id=kronstadt)': what a person editing the CSV looks for."""
    line = position + 2  # the header is line 1
    key = frame.columns[0]
    return f"line {line} ({key}={frame.iloc[position][key]})"


def _shown(path: Path) -> str:
    return f"data/{path.name}"


def sources(directory: Path | None = None) -> pd.DataFrame:
    """The works every row cites, indexed by source_id."""
    return load("sources", directory).set_index("source_id")


def cite(source_id: str, directory: Path | None = None) -> str:
    """A citation a student can copy into an essay."""
    table = sources(directory)
    if source_id not in table.index:
        raise DataError(f"There is no source {source_id!r} in data/sources.csv.")
    row = table.loc[source_id]
    parts = [row["citation"]]
    if isinstance(row["locator"], str):
        parts.append(row["locator"])
    if isinstance(row["url"], str):
        parts.append(row["url"])
    return ", ".join(parts)
