"""Scale-out: the main job as an Apache Spark batch (``warlog batch --engine spark``).

Stages, each reusing the single-machine library code:

1. :mod:`read`: inputs are planned on the driver (one task per file, and per range of
   records for big JSONL/CSV files); executors read and clean them.
2. :mod:`dedup`: repeated pages are dropped (first in input order wins) and copies are
   marked with the same rules and in the same order as ``warlog run`` (exact text, then
   MinHash LSH), with the candidate pairs found by a join on LSH bands.
3. :mod:`extract`: claims are extracted and resolved per partition, with the models loaded
   once per executor process.
4. :mod:`linkjoin`: up to ``driver_link_max`` articles, units are rebuilt on the driver
   from the claims just written and linked there with :mod:`warlog.link`'s candidates and
   pair decision (no shuffle); above, by a blocking join (block key x day bucket) with the
   same candidate rule and pair decision on the executors, then connected components.
5. :mod:`parquet` writes pages, articles, claims, units and events; :mod:`load` loads them
   into a store (SQLite or PostgreSQL).
"""
