"""Dependencies point one way: records <- stages <- store <- pipeline <- front-ends.

An ast walk over every module of the package (imports inside functions included: a lazy
import is still a dependency) fails on an import against that order, the way sqlite-utils'
tests/test_docs.py guards its docs. ``ALLOWED`` lists the exceptions of today, each with why;
it may only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "warlog"

# Lower layers never import higher ones. Within "stages" the pipeline's order holds too:
# a stage may import an earlier stage, never a later one.
LAYERS: tuple[tuple[str, ...], ...] = (
    # shared by all, import nothing of warlog
    ("records", "errors", "settings", "guard", "pool", "datafile", "pubdate"),
    ("ingest",),
    ("clean",),
    ("nlp",),
    ("extract",),
    ("resolve",),
    ("link",),
    ("codec",),  # records to and from the public JSON (acled classes, plausibility flags)
    ("store",),
    ("near", "export"),  # read the store's records
    ("pipeline",),
    ("watch", "batch", "evaluate"),  # drive the pipeline
    ("analyst", "cli", "api", "web", "__init__"),  # front-ends
)
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}

# (importing module, imported module): why it cannot move today. Empty since the shared
# text rules moved below the stages (clean/datefind.py, clean/origins.py, pubdate.py,
# datafile.py); an entry needs its reason, and the list may only shrink.
ALLOWED: dict[tuple[str, str], str] = {}


def _top(module: str) -> str:
    """warlog.link.decide -> link; warlog -> __init__."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    """The warlog modules ``path`` imports."""
    return [m for m in _all_imports(path) if m == "warlog" or m.startswith("warlog.")]


def _all_imports(path: Path, name: str | None = None) -> list[str]:
    """Every module ``path`` (the module ``name``) imports, absolute (relative ones resolved)."""
    name = name or _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            # "from warlog import codec" imports the module warlog.codec.
            found += [f"{mod}.{a.name}" if mod == "warlog" else mod for a in node.names]
    return found


def violations() -> list[tuple[str, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _module_name(path)
        mine = _top(me)
        for other in _imports(path):
            theirs = _top(other)
            if theirs == mine or theirs not in RANK:
                continue
            if RANK[theirs] > RANK[mine] and (me, other) not in ALLOWED:
                out.append((me, other))
    return sorted(set(out))


def test_every_top_level_module_has_a_layer() -> None:
    tops = {_top(_module_name(p)) for p in PACKAGE.rglob("*.py")}
    assert tops - set(RANK) == set()


def test_imports_point_one_way() -> None:
    found = violations()
    assert not found, "imports against the layer order:\n" + "\n".join(
        f"  {a} imports {b}" for a, b in found
    )


def _uses_sqlalchemy(path: Path, name: str | None = None) -> bool:
    return any(m == "sqlalchemy" or m.startswith("sqlalchemy.") for m in _all_imports(path, name))


def test_only_the_store_imports_sqlalchemy() -> None:
    """The store owns all SQL: no module outside warlog/store/ imports SQLAlchemy."""
    found = sorted(
        _module_name(path)
        for path in PACKAGE.rglob("*.py")
        if _top(_module_name(path)) != "store" and _uses_sqlalchemy(path)
    )
    assert not found, "SQLAlchemy imported outside warlog/store/:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        pytest.param("from sqlalchemy import select\n", True, id="from-import"),
        pytest.param("import sqlalchemy.exc\n", True, id="plain-import"),
        pytest.param("def f():\n    from sqlalchemy.exc import SQLAlchemyError\n", True, id="lazy"),
        pytest.param("from warlog.store import Store\n", False, id="the-store-instead"),
        pytest.param("from . import sqlalchemy_notes\n", False, id="relative-lookalike"),
    ],
)
def test_sql_guard_sees_every_import_of_sqlalchemy(
    source: str, found: bool, tmp_path: Path
) -> None:
    """The guard above can fail: each way of importing SQLAlchemy is seen."""
    path = tmp_path / "mod.py"
    path.write_text(source, "utf-8")
    assert _uses_sqlalchemy(path, "warlog.api.mod") is found


def test_allowed_exceptions_are_still_needed() -> None:
    """An exception that is gone must leave the list, so that it only shrinks."""
    gone = []
    for importer, imported in sorted(ALLOWED):
        path = PACKAGE.parent / (importer.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE.parent / importer.replace(".", "/") / "__init__.py"
        if imported not in _imports(path):
            gone.append(f"{importer} -> {imported}")
    assert not gone, "no longer imported, remove from ALLOWED:\n" + "\n".join(gone)


def test_resolve_does_not_load_spacy() -> None:
    """The regex sentence splitter is no longer in nlp/: resolving needs no spaCy (1.4 s)."""
    import subprocess
    import sys

    code = "import sys, warlog.resolve, warlog.link, warlog.store; print('spacy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=PACKAGE.parent,
    )  # fmt: skip
    assert done.stdout.strip() == "False"
