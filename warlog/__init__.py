"""warlog: a sourced, geocoded ledger of violent events and casualty claims from scraped news."""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
