"""The tab-separated data files of ``warlog/data/`` (the gazetteer's tables, the stopwords):
one reader, shared by the stages that read them (resolution's gazetteer, extraction's ruler).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class DataFile:
    """A parsed gazetteer TSV: leading ``#`` comments, a header, then numbered rows."""

    path: Path
    comments: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def read_data_file(path: Path) -> DataFile:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        lines = fh.read().split("\n")
    comments: list[str] = []
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if header is None:
            if line.startswith("#"):
                comments.append(line)
                continue
            header = tuple(line.split("\t"))
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise ValueError(
                f"{path}:{lineno}: expected {len(header)} tab-separated fields, got {len(fields)}"
            )
        rows.append((lineno, dict(zip(header, fields, strict=True))))
    if header is None:
        raise ValueError(f"{path}: no header line")
    return DataFile(path, tuple(comments), header, tuple(rows))
