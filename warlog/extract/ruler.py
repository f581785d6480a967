"""An entity ruler fed from warlog's own dictionaries.

The small English model alone tags "Mayadeen" as a DATE and "Hama" as a
PERSON; patterns from the actor dictionary and the gazetteer's conflict-area
tables run before its NER, which then keeps them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from spacy.language import Language

from warlog.datafile import read_data_file
from warlog.extract.actors import ActorDictionary

_TABLES = ("admin.tsv", "curated.tsv", "ucdp_places.tsv")


def add_ruler(nlp: Language) -> None:
    patterns = actor_phrases()
    patterns.extend({"label": "PLACE", "pattern": name} for name in place_names())
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="warlog_ruler",
        config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"},
    )
    # LOWER phrase patterns need only the tokenizer: running the whole pipeline over 16k
    # patterns would cost seconds at every start.
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]


def actor_phrases() -> list[dict[str, object]]:
    """Actor aliases as phrase patterns (a PhraseMatcher is ~50x faster than 15k token patterns).

    Case-sensitive aliases ("IS", "US") are left to the regex matcher: on lower-cased text they
    would tag every "is" and "us".
    """
    out: dict[str, dict[str, object]] = {}
    for p in ActorDictionary.load().spacy_patterns():
        if p["label"] != "ACTOR":
            continue
        tokens = p["pattern"]
        if not isinstance(tokens, list) or any("LOWER" not in t for t in tokens):
            continue
        phrase = " ".join(str(t["LOWER"]) for t in tokens)
        out.setdefault(phrase, {"label": "ACTOR", "pattern": phrase, "id": p.get("id")})
    return list(out.values())


def place_names() -> list[str]:
    """Names and aliases from the shipped gazetteer tables, minus ones that read as English words."""
    base = Path(str(resources.files("warlog.data").joinpath("gazetteer")))
    stop = {
        w.strip().lower()
        for w in (base / "stopwords.txt").read_text("utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    }
    names: set[str] = set()
    for table in _TABLES:
        path = base / table
        if not path.exists():
            path = base / (table + ".gz")
        for _, row in read_data_file(path).rows:
            for name in [row.get("name", ""), *row.get("aliases", "").split("|")]:
                name = name.strip()
                if len(name) >= 4 and name.lower() not in stop and name[0].isupper():
                    names.add(name)
    return sorted(names)
