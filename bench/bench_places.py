"""Geoparser speed and memory, before and after, side by side in one run.

    python bench/bench_places.py                          # this checkout only
    python bench/bench_places.py --before /path/to/old    # and an older checkout, same run

Each side runs in its own process (so load time and memory are its own), on the same inputs:

* gazetteer load: wall time of ``Gazetteer.load()`` with a warm index cache, and the RSS it adds;
* mention finding: ``find_places`` over the FA-KES dev texts, articles per second;
* toponym resolution: every gold span of LGL and GeoVirus resolved, toponyms per second of
  wall time and of CPU time (the fairer figure on a shared machine), cold (every name new) and
  warm (the same documents again); the old checkout resolves each span alone
  (``Gazetteer.resolve``), the new one a document at a time with its evidence
  (``Geoparser.rank``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    sys.path.insert(0, sys.argv[1])
    shared = sys.argv[2]
    def rss():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base = rss()
    from warlog.resolve.gazetteer import Gazetteer
    t = time.perf_counter()
    g = Gazetteer.load()  # the index cache on disk is warm: the parent loaded it once
    load_s = time.perf_counter() - t
    load_mb = rss() - base
    texts = [json.loads(l)["text"] for l in open(shared + "/eval/fakes/dev.jsonl") if l.strip()]
    t = time.perf_counter()
    for text in texts:
        g.find_places(text)
    mentions = len(texts) / (time.perf_counter() - t)
    docs = []
    for name in ("lgl", "geovirus"):
        docs += [json.loads(l) for l in open(f"{shared}/eval/geo/{name}.jsonl") if l.strip()]
    n = sum(len(d["toponyms"]) for d in docs)
    try:
        from warlog.resolve.toponyms import Geoparser, Mention
    except ImportError:
        Geoparser = None
    def resolve_all():
        if Geoparser is None:
            for d in docs:
                for s in d["toponyms"]:
                    g.resolve(s["name"])
        else:
            for d in docs:
                spans = [Mention(s["start"], s["end"], s["name"]) for s in d["toponyms"]]
                parser.rank(d["text"], spans)
    parser = Geoparser(g) if Geoparser is not None else None
    t, c = time.perf_counter(), time.process_time()
    resolve_all()  # cold: every name looked up for the first time
    resolve = n / (time.perf_counter() - t)
    resolve_cpu = n / (time.process_time() - c)
    c = time.process_time()
    resolve_all()  # warm: names already seen (news repeats its places)
    warm_cpu = n / (time.process_time() - c)
    print(json.dumps({"load_s": load_s, "load_mb": load_mb, "peak_mb": rss(),
                      "mention_articles_per_s": mentions, "toponyms_per_s": resolve,
                      "toponyms_per_cpu_s": resolve_cpu, "warm_toponyms_per_cpu_s": warm_cpu,
                      "toponyms": n}))
    """
)


def run(checkout: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    warm = f"import sys; sys.path.insert(0, {str(checkout)!r}); "
    warm += "from warlog.resolve.gazetteer import Gazetteer; Gazetteer.load()"
    subprocess.run([sys.executable, "-c", warm], check=True, env=env)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(checkout), str(SHARED)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="an older checkout to compare with")
    args = parser.parse_args(argv)
    sides = {"after": ROOT}
    if args.before:
        sides = {"before": args.before.resolve(), **sides}
    results = {name: run(path) for name, path in sides.items()}
    print(f"{'':24}" + "".join(f"{name:>12}" for name in results))
    keys = ("load_s", "load_mb", "peak_mb", "mention_articles_per_s", "toponyms_per_s")
    for key in (*keys, "toponyms_per_cpu_s", "warm_toponyms_per_cpu_s"):
        print(f"{key:24}" + "".join(f"{r[key]:12.2f}" for r in results.values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
