"""``warlog_attributes``: the model's attribute ruler, applied from tables instead of a Matcher.

The small English model ends with an ``attribute_ruler`` that maps fine-grained tags to
coarse parts of speech and morphology (its tag map), with a few exceptions keyed by the word,
the dependency label or a neighbour. The claim rules read the parts of speech and lemmas it
sets, so it has to run; but spaCy's Matcher tests its ~180 patterns token by token and took a
quarter of the pipeline's time. Every pattern here tests one token's tag, lower-case form,
dependency label and whether it is a space (a two-token pattern tests two neighbours), so what
a token gets is a function of those four values: it is worked out once per distinct
combination and read from a dictionary after that.

The patterns are the model's own (read from its ``attribute_ruler`` when the pipeline is
loaded), and the result is the AttributeRuler's exactly: the same rules in the same order,
later rules overriding earlier ones attribute by attribute, every condition read from the
token as the tagger and parser left it. Should a model bring a pattern this cannot read (an
operator, another attribute), :func:`replace_attribute_ruler` leaves spaCy's ruler in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

# The token attributes a pattern may test, as (pattern key, column in the signature).
_TESTED = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
# What the rules set: written through Doc.from_array (every token) or token by token (rare).
_ARRAY_ATTRS = (POS, MORPH, LEMMA)
_TOKEN_ATTRS = (TAG, DEP)

Test = Callable[[tuple[str, str, str, bool]], bool]


class UnsupportedPattern(ValueError):
    """A pattern the table-driven ruler cannot evaluate exactly."""


def _value_test(column: int, value: Any) -> Test:
    if isinstance(value, dict):
        if len(value) != 1:
            raise UnsupportedPattern(value)
        ((op, arg),) = value.items()
        if op == "IN":
            wanted = frozenset(arg)
            return lambda sig: sig[column] in wanted
        if op == "NOT_IN":
            unwanted = frozenset(arg)
            return lambda sig: sig[column] not in unwanted
        if op == "REGEX":
            # spaCy's Matcher tests a REGEX with re.search on the attribute's string.
            rx = re.compile(arg)
            return lambda sig: bool(rx.search(sig[column]))
        raise UnsupportedPattern(value)
    if isinstance(value, (str, bool)):
        return lambda sig: sig[column] == value
    raise UnsupportedPattern(value)


def _token_test(spec: dict[str, Any]) -> Test:
    tests = []
    for key, value in spec.items():
        if key not in _TESTED:
            raise UnsupportedPattern(key)
        tests.append(_value_test(_TESTED[key], value))
    return lambda sig: all(t(sig) for t in tests)


class AttributeTables:
    """The attribute ruler's rules, evaluated per distinct (tag, lower, dep, is_space)."""

    def __init__(self, nlp: Language, ruler: Any) -> None:
        self.vocab = nlp.vocab
        # (rule id, token tests, index of the token that gets the attributes, attributes)
        self.single: list[tuple[int, Test, dict[int, int]]] = []
        self.multi: list[tuple[int, list[Test], int, dict[int, int]]] = []
        for rule_id, pattern in enumerate(ruler.patterns):
            attrs = dict(ruler.attrs[rule_id])  # normalised: attribute id -> hash
            if any(a not in _ARRAY_ATTRS and a not in _TOKEN_ATTRS for a in attrs):
                raise UnsupportedPattern(pattern["attrs"])
            index = ruler.indices[rule_id]
            for alternative in pattern["patterns"]:
                tests = [_token_test(spec) for spec in alternative]
                if len(alternative) == 1:
                    if index not in (0, -1):
                        raise UnsupportedPattern(pattern)
                    self.single.append((rule_id, tests[0], attrs))
                else:
                    if not -len(alternative) <= index < len(alternative):
                        raise UnsupportedPattern(pattern)
                    self.multi.append((rule_id, tests, index % len(alternative), attrs))
        self.multi_tests = [t for _, tests, _, _ in self.multi for t in tests]
        _LOWER_MEMO_SIZE = 50_000
        # A lower-case form no pattern names and no REGEX matches behaves like any other such
        # form, so it is read as None: the signatures stay few (tags x labels, not words).
        self._lower_named = {
            v
            for pattern in ruler.patterns
            for alternative in pattern["patterns"]
            for spec in alternative
            for v in _named(spec.get("LOWER"))
        }
        self._lower_regex = [
            re.compile(spec["LOWER"]["REGEX"])
            for pattern in ruler.patterns
            for alternative in pattern["patterns"]
            for spec in alternative
            if isinstance(spec.get("LOWER"), dict) and "REGEX" in spec["LOWER"]
        ]
        self._lower: dict[int, str | None] = {}
        # (tag, lower or 0, dep, is_space) ids -> (bit mask of the multi-token tests that pass,
        # the attributes the one-token rules set: POS, MORPH, LEMMA, TAG, DEP or None each,
        # the one-token rules that match, for merging with a multi-token rule's)
        self._memo: dict[tuple[int, int, int, int], _Looked] = {}

    def _canonical_lower(self, lower: int) -> int:
        known = self._lower.get(lower)
        if known is None and lower not in self._lower:
            if len(self._lower) >= _LOWER_MEMO_SIZE:
                self._lower.clear()  # a long run meets ever new words: keep memory flat
            text = self.vocab.strings[lower]
            relevant = text in self._lower_named or any(rx.search(text) for rx in self._lower_regex)
            known = self._lower[lower] = text if relevant else None
        return lower if known is not None else 0

    def _look(self, key: tuple[int, int, int, int]) -> _Looked:
        strings = self.vocab.strings
        lower = strings[key[1]] if key[1] else _OTHER
        sig = (strings[key[0]], lower, strings[key[2]], bool(key[3]))
        singles = [(rule_id, attrs) for rule_id, test, attrs in self.single if test(sig)]
        mask = sum(1 << n for n, t in enumerate(self.multi_tests) if t(sig))
        found = (mask, _final(singles), singles)
        self._memo[key] = found
        return found

    def _neighbour_rules(
        self, looked: list[_Looked], any_multi: int
    ) -> dict[int, list[tuple[int, dict[int, int]]]]:
        """Rules that reach a token from a neighbour: target -> [(rule id, attributes)]."""
        n = len(looked)
        extra: dict[int, list[tuple[int, dict[int, int]]]] = {}
        bit = 0
        for rule_id, tests, index, attrs in self.multi:
            width = len(tests)
            if any_multi >> bit & 1:
                for start in range(n - width + 1):
                    if all(looked[start + o][0] >> (bit + o) & 1 for o in range(width)):
                        extra.setdefault(start + index, []).append((rule_id, attrs))
            bit += width
        return extra

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        cols = doc.to_array([TAG, LOWER, DEP, IS_SPACE, *_ARRAY_ATTRS]).tolist()
        memo = self._memo
        canonical = self._canonical_lower
        looked = []
        any_multi = 0
        for tag, lower, dep, space, *_ in cols:
            key = (tag, canonical(lower), dep, space)
            found = memo.get(key) or self._look(key)
            any_multi |= found[0]
            looked.append(found)
        extra = self._neighbour_rules(looked, any_multi) if any_multi else {}
        changed = False
        for i in range(n):
            final = looked[i][1]
            if i in extra:
                final = _final(sorted([*looked[i][2], *extra[i]], key=lambda r: r[0]))
            if final is None:
                continue
            changed = True
            row = cols[i]
            for col in range(3):
                if final[col] is not None:
                    row[4 + col] = final[col]
            if final[3] is not None:
                doc[i].tag = final[3]
            if final[4] is not None:
                doc[i].dep = final[4]
        if changed:
            out = numpy.array([row[4:] for row in cols], dtype=numpy.uint64)
            doc.from_array(list(_ARRAY_ATTRS), out)
        return doc


_LOWER_MEMO_SIZE = 50_000
# A lower-case form no pattern names (it can only fail an equality or IN test, and pass NOT_IN).
_OTHER = "\x00"

_Looked = tuple[int, "tuple[int | None, ...] | None", list[tuple[int, dict[int, int]]]]


def _named(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and ("IN" in value or "NOT_IN" in value):
        return list(value.get("IN", value.get("NOT_IN", [])))
    return []


def _final(rules: list[tuple[int, dict[int, int]]]) -> tuple[int | None, ...] | None:
    """What the rules, applied in order, leave on a token: POS, MORPH, LEMMA, TAG, DEP."""
    if not rules:
        return None
    merged: dict[int, int] = {}
    for _, attrs in rules:  # a later rule overrides an earlier one, attribute by attribute
        merged.update(attrs)
    return tuple(merged.get(a) for a in (*_ARRAY_ATTRS, *_TOKEN_ATTRS))


@Language.factory("warlog_attributes", assigns=["token.pos", "token.morph", "token.lemma"])
def make_attributes(nlp: Language, name: str) -> _Component:
    return _Component()


class _Component:
    """A pipeline slot for :class:`AttributeTables`, filled by :func:`replace_attribute_ruler`."""

    def __init__(self) -> None:
        self.tables: AttributeTables | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.tables is None:
            raise RuntimeError("warlog_attributes used before replace_attribute_ruler()")
        return self.tables(doc)


def replace_attribute_ruler(nlp: Language) -> bool:
    """Put ``warlog_attributes`` in the place of the model's ``attribute_ruler``.

    Returns False, leaving the pipeline as it was, when there is no ruler or one of its
    patterns is beyond the tables.
    """
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        tables = AttributeTables(nlp, ruler)
    except UnsupportedPattern:
        return False
    component = nlp.add_pipe("warlog_attributes", before="attribute_ruler")
    component.tables = tables
    nlp.remove_pipe("attribute_ruler")
    return True
