"""Moved to :mod:`warlog.codec` (one module turns every record to and from its public JSON).

Kept so that older imports keep working; new code imports :mod:`warlog.codec`.
"""

from __future__ import annotations

from warlog.codec import (
    SCHEMA_VERSION,
    acled_event_json,
    actor_json,
    article_json,
    article_meta_json,
    claim_from_json,
    claim_json,
    claimant_json,
    date_json,
    lead_json,
    place_json,
)

__all__ = [
    "SCHEMA_VERSION",
    "acled_event_json",
    "actor_json",
    "article_json",
    "article_meta_json",
    "claim_from_json",
    "claim_json",
    "claimant_json",
    "date_json",
    "lead_json",
    "place_json",
]
