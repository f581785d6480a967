"""The marker for a record skipped before any parsing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A page whose exact bytes are already stored (or failed before): skipped before parsing."""

    source: str
    sha256: str
