"""The vendored front-end libraries are in the package, at the versions the README records."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path

VENDOR = resources.files("warlog") / "web" / "static" / "vendor"


def test_vendored_files_match_the_recorded_digests() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    recorded = re.findall(
        r"^([0-9a-f]{64})  ((?:leaflet|chartjs|markercluster)/\S+)$", readme, re.MULTILINE
    )
    assert len(recorded) == 5
    for digest, path in recorded:
        assert hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() == digest, path


def test_the_test_tools_match_their_recorded_digests() -> None:
    """axe-core, for the accessibility audit of the browser tests (not shipped)."""
    tools = Path(__file__).resolve().parent / "browser" / "vendor"
    readme = (tools / "README.md").read_text(encoding="utf-8")
    recorded = re.findall(r"^([0-9a-f]{64})  (axe-core/\S+)$", readme, re.MULTILINE)
    assert len(recorded) == 1
    for digest, path in recorded:
        assert hashlib.sha256((tools / path).read_bytes()).hexdigest() == digest, path
    assert "axe v4.14.1" in (tools / "axe-core" / "axe.min.js").read_text(encoding="utf-8")[:100]
    assert "Mozilla Public License" in (tools / "axe-core" / "LICENSE").read_text(encoding="utf-8")


def test_versions_and_licenses() -> None:
    assert 't.version="1.9.4"' in (VENDOR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    assert "Chart.js v4.6.1" in (VENDOR / "chartjs" / "chart.umd.min.js").read_text(
        encoding="utf-8"
    )
    for license_file in ("leaflet/LICENSE", "chartjs/LICENSE.md", "markercluster/MIT-LICENCE.txt"):
        assert "Copyright" in (VENDOR / license_file).read_text(encoding="utf-8")
    images = {p.name for p in (VENDOR / "leaflet" / "images").iterdir()}
    assert {"marker-icon.png", "marker-shadow.png", "layers.png"} <= images


def test_no_cdn_in_static_files() -> None:
    """No page or stylesheet under static/ loads from the network: the dashboard works offline."""
    static = Path(str(resources.files("warlog") / "web" / "static"))
    remote = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""")
    for path in static.rglob("*"):
        if path.suffix in (".html", ".htm", ".css"):
            assert not remote.search(path.read_text(encoding="utf-8")), path
