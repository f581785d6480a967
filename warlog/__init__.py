"""warlog: a sourced, geocoded ledger of violent events and casualty claims from scraped news."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warlog.analyst import Ledger

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())


def open(db: str | None = None, *, readonly: bool = False) -> Ledger:
    """``ledger = warlog.open("warlog.db")``: a store opened for analysis (see
    :mod:`warlog.analyst`). Imported on first use, so ``import warlog`` stays light."""
    from warlog.analyst import open as open_ledger

    return open_ledger(db, readonly=readonly)
