"""Near-duplicate articles: one wire story on several sites, with different debris.

MinHash signatures of word shingles, banded for locality-sensitive hashing
(16 bands of 8 rows: pairs above ~0.7 Jaccard share a band with high
probability); candidates are confirmed by the estimated Jaccard similarity.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
_SEED = 20151120  # fixed: signatures must match across runs and machines
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Signature:
    values: np.ndarray

    def to_bytes(self) -> bytes:
        return self.values.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(np.frombuffer(data, dtype="<u8"))

    def buckets(self) -> list[str]:
        return [
            f"{b}:{hashlib.blake2b(self.values[b * ROWS : (b + 1) * ROWS].astype('<u8').tobytes(), digest_size=8).hexdigest()}"
            for b in range(BANDS)
        ]

    def jaccard(self, other: Signature) -> float:
        return float(np.count_nonzero(self.values == other.values)) / NUM_PERM


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> Signature | None:
    """None for texts too short to compare meaningfully."""
    sh = shingles(text)
    if len(sh) < 3:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=_SEED)
    m.update_batch(list(sh))
    return Signature(m.hashvalues.copy())
