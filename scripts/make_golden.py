"""Write tests/fixtures/golden_public_json.json: the public JSON of today's code.

    python scripts/make_golden.py

Run it only when a change of the public JSON is intended (then say so in the commit): the
golden test (tests/test_golden.py) fails on any other change. It runs the same collection as
the test (tests/golden.py) on a fresh SQLite store.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from golden import GOLDEN, collect


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        found = collect(work, f"sqlite:///{work / 'golden.db'}")
    GOLDEN.write_text(json.dumps(found, indent=0, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN} ({len(found)} outputs)")


if __name__ == "__main__":
    main()
