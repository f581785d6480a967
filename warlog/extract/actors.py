"""Actor (perpetrator) and claimant (source) dictionaries with a fast surface-form matcher.

The dictionaries are versioned data files, ``warlog/data/actors.json`` and
``warlog/data/claimants.json``; this module only knows how to read and match them.

Matching is done with one compiled regular expression per dictionary. The alternation is
built as a character trie rather than a flat ``a|b|c`` list: CPython's ``re`` tries every
branch of an alternation at every position, so a flat list of a few thousand aliases costs
milliseconds per sentence, while a trie rejects a position after one character test per
distinct first letter. The pattern is case-insensitive, with case-sensitive aliases ("IS",
"US", "UN", "WHO") kept in the same trie through scoped ``(?-i:...)`` groups, so "is" and
"who" in running text do not match.

Inside an alias, apostrophes and periods are optional, a hyphen matches any run (possibly
empty) of hyphens/dashes/spaces, and a space matches a non-empty run of them. So
"Assad's troops" matches "Assad’s troops" and "Assads troops", "al-Nusra" matches
"al Nusra" and "alNusra", and "U.S.-led" matches "US-led". A matched span is mapped back to
its entry by a normalised key (lower case, those optional characters dropped), which is
also what makes two aliases "the same" for the one-id-per-alias rule.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "Actor",
    "ActorDictionary",
    "Claimant",
    "DictionaryError",
    "Mention",
    "alias_key",
]

APOSTROPHES = "'’‘`´ʼ"
DASHES = "-‐‑‒–—"
_DASH_CLASS = "".join(re.escape(c) for c in DASHES)
# Characters an alias may carry that text may omit or vary; dropped from lookup keys.
_KEY_DROP = re.compile(rf"[\s{_DASH_CLASS}{re.escape(APOSTROPHES)}.,/]+")

_UNIT_REGEX = {
    "'": f"[{re.escape(APOSTROPHES)}]?",
    ".": r"\.?",
    ",": ",?",
    " ": rf"[\s{_DASH_CLASS}]+",
    "-": rf"[\s{_DASH_CLASS}]*",
    "/": r"\s*/?\s*",
}

ACTOR_LABEL = "ACTOR"
CLAIMANT_LABEL = "CLAIMANT"


class DictionaryError(ValueError):
    """A dictionary data file is malformed or internally inconsistent."""


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str
    fakes_class: str
    aliases: tuple[str, ...]
    country: str | None = None
    generic: bool = False


@dataclass(frozen=True, slots=True)
class Claimant:
    id: str
    name: str
    kind: str
    partisan: bool
    aliases: tuple[str, ...]
    country: str | None = None
    generic: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """A dictionary hit: ``text == source[start:end]``, ``id`` is the canonical entry id."""

    start: int
    end: int
    text: str
    id: str


# A surface form as (text, case_sensitive) segments: compounds join a case-sensitive
# modifier ("IS") with a case-insensitive noun ("fighters").
Segments = tuple[tuple[str, bool], ...]


def alias_key(text: str) -> str:
    """Normalised lookup key: what two spellings of one alias have in common."""
    return _KEY_DROP.sub("", text.lower())


def _units(segments: Segments) -> list[tuple[str, ...]]:
    """An alias as trie units: letters (folded unless case-sensitive) and separator kinds."""
    units: list[tuple[str, ...]] = []
    for text, case_sensitive in segments:
        for ch in text:
            if ch.isspace() or ch in DASHES:
                sep = "-" if ch in DASHES else " "
                # A run of spaces and dashes is one separator; any dash in it makes the run
                # optional ("al - Nusra" ~ "alNusra").
                if units and units[-1] in (("-",), (" ",)):
                    if sep == "-":
                        units[-1] = ("-",)
                    continue
                units.append((sep,))
            elif ch in APOSTROPHES:
                units.append(("'",))
            elif ch in ".,/":
                units.append((ch,))
            elif case_sensitive or not ch.isalpha():
                units.append(("L", ch))
            else:
                low = ch.lower()
                units.append(("l", low if len(low) == 1 else ch))
    while units and units[-1] in (("-",), (" ",)):
        units.pop()
    return units


# Trie levels whose letters are emitted as explicit case classes, see _unit_regex.
_EXPLICIT_CASE_LEVELS = 3


def _unit_regex(unit: tuple[str, ...], level: int) -> str:
    if len(unit) == 1:
        return _UNIT_REGEX[unit[0]]
    kind, ch = unit
    cased = ch.lower() != ch.upper()
    if kind == "L":
        return f"(?-i:{re.escape(ch)})" if cased else re.escape(ch)
    if cased and level < _EXPLICIT_CASE_LEVELS:
        # The pattern is compiled with IGNORECASE (a third the size of spelling every
        # letter as [xX], so it compiles faster), but sre only has a fast reject path for
        # BRANCH alternatives that start with a plain LITERAL or IN. Near the root, where
        # almost every text position is tried and rejected, "(?-i:[xX])" compiles to a
        # plain IN and keeps that fast path.
        variants = sorted({v for v in (ch, ch.upper(), ch.title()) if len(v) == 1})
        if len(variants) > 1:
            return "(?-i:[" + "".join(re.escape(v) for v in variants) + "])"
    return re.escape(ch)


class _Node:
    __slots__ = ("children", "depth", "terminal")

    def __init__(self) -> None:
        self.children: dict[tuple[str, ...], _Node] = {}
        self.terminal = False
        self.depth = 0


def _trie_regex(forms: Iterable[Segments]) -> re.Pattern[str]:
    root = _Node()
    for segments in forms:
        node = root
        for unit in _units(segments):
            node = node.children.setdefault(unit, _Node())
        node.terminal = True

    def depth(node: _Node) -> int:
        node.depth = max((depth(c) + 1 for c in node.children.values()), default=0)
        return node.depth

    def emit(node: _Node, level: int) -> str:
        # Deepest subtree first: where two branches can both match (an optional
        # apostrophe vs. the next letter), the one that can run longer is tried first, so
        # with the greedy "?" on terminal nodes the first success is the longest alias.
        items = sorted(node.children.items(), key=lambda kv: (-kv[1].depth, kv[0]))
        branches = [_unit_regex(unit, level) + emit(child, level + 1) for unit, child in items]
        if not branches:
            return ""
        if len(branches) == 1 and not node.terminal:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if node.terminal else body

    depth(root)
    if not root.children:
        return re.compile(r"(?!x)x(?P<poss>)")
    # The trailing optional "'s"/"s" lets "Hezbollah's" and, in feeds stripped of
    # apostrophes, "Hezbollahs" end at the alias; it is matched but left out of the span.
    possessive = f"(?P<poss>[{re.escape(APOSTROPHES)}]?s)?"
    return re.compile(r"(?<!\w)" + emit(root, 0) + possessive + r"(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Form:
    entry_id: str
    text: str
    segments: Segments


def _expand(entry: Mapping[str, Any], noun_sets: Mapping[str, Sequence[str]]) -> list[_Form]:
    """All surface forms of one entry: plain aliases plus modifier x noun compounds."""
    entry_id = entry["id"]
    cs = set(entry.get("case_sensitive_aliases", ()))
    forms = [_Form(entry_id, a, ((a, a in cs),)) for a in entry["aliases"]]
    for compound in entry.get("compounds", ()):
        nouns = compound["nouns"]
        if isinstance(nouns, str):
            if not nouns.startswith("@") or nouns[1:] not in noun_sets:
                raise DictionaryError(f"{entry_id}: unknown noun set {nouns!r}")
            nouns = noun_sets[nouns[1:]]
        for modifier, noun in itertools.product(compound["modifiers"], nouns):
            forms.append(
                _Form(
                    entry_id,
                    f"{modifier} {noun}",
                    ((modifier, modifier in cs), (" ", False), (noun, noun in cs)),
                )
            )
    return forms


class _Matcher:
    """One dictionary compiled to a trie regex plus a key -> id index."""

    def __init__(self, forms: Sequence[_Form], what: str) -> None:
        self.forms = tuple(forms)
        index: dict[str, str] = {}
        for form in forms:
            key = alias_key(form.text)
            if not key:
                raise DictionaryError(f"{what} {form.entry_id}: empty alias {form.text!r}")
            other = index.setdefault(key, form.entry_id)
            if other != form.entry_id:
                raise DictionaryError(
                    f"{what} alias {form.text!r} maps to both {other!r} and {form.entry_id!r}"
                )
        self.index = index

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        # Compiling is most of the load time (~0.3 s per dictionary); a process that only
        # ever looks up actors should not pay for the claimant regex, and vice versa.
        return _trie_regex(f.segments for f in self.forms)

    def find(self, text: str) -> list[Mention]:
        index = self.index
        out = []
        for m in self.regex.finditer(text):
            start, end = m.start(), m.start("poss")
            if end < 0:
                end = m.end()
            surface = text[start:end]
            entry_id = index.get(alias_key(surface))
            if entry_id is not None:  # always true unless the trie and keys disagree
                out.append(Mention(start, end, surface, entry_id))
        return out

    def fuzzy(self, words: str, cutoff: float) -> str | None:
        # Only whole-phrase near-misses (typos, transliteration drift) of long aliases:
        # short keys are too easy to hit by accident.
        from rapidfuzz import fuzz, process

        key = alias_key(words)
        if len(key) < 8:
            return None
        best = process.extractOne(key, self.index.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
        return self.index[best[0]] if best else None


def _read_json(name: str) -> dict[str, Any]:
    path = resources.files("warlog").joinpath("data", name)
    return json.loads(path.read_text(encoding="utf-8"))


def _check_common(doc: Mapping[str, Any], key: str, what: str) -> None:
    if not doc.get("version"):
        raise DictionaryError(f"{what} file has no version")
    ids = [e.get("id") for e in doc.get(key, ())]
    if len(ids) != len(set(ids)):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise DictionaryError(f"duplicate {what} ids: {dupes}")
    kinds = doc.get("kinds", {})
    for e in doc[key]:
        for field in ("id", "name", "kind", "aliases"):
            if not e.get(field):
                raise DictionaryError(f"{what} {e.get('id')!r} lacks {field!r}")
        if e["kind"] not in kinds:
            raise DictionaryError(f"{what} {e['id']}: kind {e['kind']!r} not in 'kinds'")
        known = set(e["aliases"])
        for c in e.get("compounds", ()):
            known.update(c["modifiers"])
            if isinstance(c["nouns"], list):
                known.update(c["nouns"])
        stray = set(e.get("case_sensitive_aliases", ())) - known
        if stray:
            raise DictionaryError(f"{what} {e['id']}: case-sensitive forms not used: {stray}")


class ActorDictionary:
    """Actors and claimants, their aliases, and matchers over both."""

    def __init__(self, actors_doc: Mapping[str, Any], claimants_doc: Mapping[str, Any]) -> None:
        _check_common(actors_doc, "actors", "actor")
        _check_common(claimants_doc, "claimants", "claimant")
        fakes = set(actors_doc.get("fakes_classes", ()))
        for e in actors_doc["actors"]:
            if e.get("fakes_class") not in fakes:
                raise DictionaryError(f"actor {e['id']}: bad fakes_class {e.get('fakes_class')!r}")

        self.actors_version: str = str(actors_doc["version"])
        self.claimants_version: str = str(claimants_doc["version"])
        self.actor_kinds: dict[str, str] = dict(actors_doc["kinds"])
        self.claimant_kinds: dict[str, str] = dict(claimants_doc["kinds"])
        self.fakes_classes: tuple[str, ...] = tuple(actors_doc["fakes_classes"])

        actor_forms: list[_Form] = []
        self._actors: dict[str, Actor] = {}
        for e in actors_doc["actors"]:
            forms = _expand(e, actors_doc.get("noun_sets", {}))
            actor_forms += forms
            self._actors[e["id"]] = Actor(
                id=e["id"],
                name=e["name"],
                kind=e["kind"],
                fakes_class=e["fakes_class"],
                aliases=tuple(dict.fromkeys(f.text for f in forms)),
                country=e.get("country"),
                generic=bool(e.get("generic", False)),
            )
        claimant_forms: list[_Form] = []
        self._claimants: dict[str, Claimant] = {}
        for e in claimants_doc["claimants"]:
            forms = _expand(e, claimants_doc.get("noun_sets", {}))
            claimant_forms += forms
            self._claimants[e["id"]] = Claimant(
                id=e["id"],
                name=e["name"],
                kind=e["kind"],
                partisan=bool(e["partisan"]),
                aliases=tuple(dict.fromkeys(f.text for f in forms)),
                country=e.get("country"),
                generic=bool(e.get("generic", False)),
            )
        self._actor_matcher = _Matcher(actor_forms, "actor")
        self._claimant_matcher = _Matcher(claimant_forms, "claimant")
        self._spacy_patterns: list[dict[str, Any]] | None = None

    @classmethod
    def load(cls) -> ActorDictionary:
        """The packaged dictionaries (parsed and compiled once per process)."""
        return _load_packaged()

    # --- lookup ---------------------------------------------------------------------------

    @property
    def actors(self) -> tuple[Actor, ...]:
        return tuple(self._actors.values())

    @property
    def claimants(self) -> tuple[Claimant, ...]:
        return tuple(self._claimants.values())

    def actor(self, id: str) -> Actor:
        return self._actors[id]

    def claimant(self, id: str) -> Claimant:
        return self._claimants[id]

    # --- matching -------------------------------------------------------------------------

    def find_actors(self, text: str) -> list[Mention]:
        """Actor mentions, leftmost-longest and non-overlapping, in text order."""
        return self._actor_matcher.find(text)

    def find_claimants(self, text: str) -> list[Mention]:
        """Claimant mentions, leftmost-longest and non-overlapping, in text order."""
        return self._claimant_matcher.find(text)

    def canonical_actor(self, words: str, fuzzy_cutoff: float = 90.0) -> Actor | None:
        """The actor a phrase most specifically names ("Assad's troops" -> syrian_government).

        Among several mentions a specific actor beats a generic catch-all ("rebels of Jaish
        al-Islam" -> jaish_al_islam), then the longest mention wins. With no exact hit the
        whole phrase is fuzzy-matched against aliases (``fuzzy_cutoff=100`` disables that).
        """
        mentions = self.find_actors(words)
        if mentions:
            best = min(
                mentions,
                key=lambda m: (self._actors[m.id].generic, m.start - m.end, m.start),
            )
            return self._actors[best.id]
        found = self._actor_matcher.fuzzy(words, fuzzy_cutoff) if fuzzy_cutoff < 100 else None
        return self._actors[found] if found else None

    def canonical_claimant(self, words: str, fuzzy_cutoff: float = 90.0) -> Claimant | None:
        """The claimant a phrase attributes a claim to.

        Relays rank last: "Observatory head Rami Abdel Rahman told AFP" is sohr, and
        "activists told Reuters" is activists. Order: specific claimant, generic source
        (activists, witnesses...), news agency; then the longest mention.
        """
        mentions = self.find_claimants(words)
        if mentions:
            best = min(
                mentions, key=lambda m: (self._claimant_rank(m.id), m.start - m.end, m.start)
            )
            return self._claimants[best.id]
        found = self._claimant_matcher.fuzzy(words, fuzzy_cutoff) if fuzzy_cutoff < 100 else None
        return self._claimants[found] if found else None

    def _claimant_rank(self, claimant_id: str) -> int:
        c = self._claimants[claimant_id]
        if c.kind == "news agency":
            return 2
        return 1 if c.generic else 0

    # --- spaCy ----------------------------------------------------------------------------

    def spacy_patterns(self) -> list[dict[str, Any]]:
        """EntityRuler token patterns for every surface form, labels ACTOR and CLAIMANT.

        Each alias is tokenised with spaCy's own English tokenizer in every spelling variant
        the regex matcher accepts (straight/curly/no apostrophe, hyphen/space/joined, with
        or without periods), because a token pattern only matches one tokenisation.
        Case-sensitive forms use ORTH, everything else LOWER. Unlike the regex matcher,
        these patterns do not cover an apostrophe-less possessive on a bare alias
        ("Hezbollahs"): spaCy keeps that as one token.
        """
        if self._spacy_patterns is None:
            import spacy

            tokenizer = spacy.blank("en").tokenizer
            patterns: dict[tuple[Any, ...], dict[str, Any]] = {}
            for label, matcher in (
                (ACTOR_LABEL, self._actor_matcher),
                (CLAIMANT_LABEL, self._claimant_matcher),
            ):
                for form in matcher.forms:
                    for text, mask in _spelling_variants(form.segments):
                        tokens = []
                        for tok in tokenizer(text):
                            if any(mask[tok.idx : tok.idx + len(tok.text)]):
                                tokens.append({"ORTH": tok.text})
                            else:
                                tokens.append({"LOWER": tok.text.lower()})
                        sig = (label, form.entry_id, *(next(iter(t.items())) for t in tokens))
                        patterns.setdefault(
                            sig, {"label": label, "pattern": tokens, "id": form.entry_id}
                        )
            self._spacy_patterns = list(patterns.values())
        return [dict(p) for p in self._spacy_patterns]


def _spelling_variants(segments: Segments) -> Iterator[tuple[str, list[bool]]]:
    """(text, per-character case-sensitive mask) for each spelling a corpus may use."""
    chars: list[tuple[str, bool]] = [(ch, cs) for text, cs in segments for ch in text]
    apostrophe_opts = ("'", "’", "") if any(c in APOSTROPHES for c, _ in chars) else ("'",)
    hyphen_opts = ("-", " ", "") if any(c in DASHES for c, _ in chars) else ("-",)
    period_opts = (".", "") if any(c == "." for c, _ in chars) else (".",)
    seen: set[str] = set()
    for apos, hyph, period in itertools.product(apostrophe_opts, hyphen_opts, period_opts):
        out: list[tuple[str, bool]] = []
        for ch, cs in chars:
            if ch in APOSTROPHES:
                out.extend((c, cs) for c in apos)
            elif ch in DASHES:
                out.extend((c, cs) for c in hyph)
            elif ch == ".":
                out.extend((c, cs) for c in period)
            else:
                out.append((ch, cs))
        text = re.sub(r"\s+", " ", "".join(c for c, _ in out)).strip()
        if not text or text in seen:
            continue
        seen.add(text)
        # Re-derive the mask after whitespace collapsing: walk both strings together.
        mask: list[bool] = []
        it = iter(out)
        for ch in text:
            for src, cs in it:
                if src == ch or (ch == " " and src.isspace()):
                    mask.append(cs)
                    break
        yield text, mask


@functools.cache
def _load_packaged() -> ActorDictionary:
    return ActorDictionary(_read_json("actors.json"), _read_json("claimants.json"))
