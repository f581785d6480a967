"""Finding date and time expressions in a news sentence (``resolve.dates.resolve_date``
resolves them). Here, below both, because extraction finds a claim's date words with it too.

Written against raw text (any case, punctuation kept) and deliberately
narrower than the resolver: a bare month needs a preposition or qualifier
("in March", not "march"), a bare year needs one too ("in 2014", not "2014
people"), and numbers never match alone.
"""

from __future__ import annotations

import re

_F_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_F_MON_FULL = (
    r"(?:january|february|march|april|may(?!\s+(?:have|has|be|been|not|also|still|well|never"
    r"|yet|soon|rise|die|face|need|take|continue|help|lead|mean|seem|include)\b)|june|july"
    r"|august|september|october|november|december)(?![a-z])"
)
_F_MON = rf"(?:{_F_MON_FULL}|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?(?![a-z]))"
_F_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_F_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_F_POSS = r"(?:['’]s)?"
_F_DAYPART = rf"(?:morning|afternoon|evening|night){_F_POSS}"
_F_NUM = (
    r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|twenty[\s-]four|thirty[\s-]six|forty[\s-]eight|seventy[\s-]two"
    r"|a\s+few|few|a\s+couple\s+of|couple\s+of|a\s+dozen)"
)
_F_UNIT = r"(?:hours?|days?|weeks?|fortnights?|months?|years?)"
_F_MOD = r"(?:(?:early|late|mid)[\s-]*|the\s+(?:end|beginning|start|middle)\s+of\s+)"
_F_WDPRE = rf"(?:{_F_WD},?\s+)?"
_F_TIME = (
    r"(?:,?\s+(?:at\s+|around\s+|about\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?|gmt|utc)"
    r"(?:\s+local\s+time)?)?"
)
_F_DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}(?!\d)"
    # one alternative per separator: a backreference would break once this is repeated
    rf"|\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|\d{{1,2}}-\d{{1,2}}-(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|{_F_WDPRE}(?:the\s+)?{_F_DAY}\s+(?:of\s+)?{_F_MON}(?:,?\s+{_F_YEAR})?"
    rf"|{_F_WDPRE}{_F_MON}\s+(?:the\s+)?{_F_DAY}(?:,?\s+{_F_YEAR})?)"
)
_F_WDX = (
    rf"(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:late|early)\s+)?"
    rf"(?:(?:last|this\s+past|this|past|previous|next)\s+)?{_F_WD}{_F_POSS}"
    rf"(?:\s+(?:of\s+)?(?:last|this|next)\s+week)?(?:\s+{_F_DAYPART})?"
)
_F_RELDAY = (
    rf"(?:(?:late|early|earlier|later)\s+)?(?:the\s+day\s+before\s+yesterday|yesterday|today"
    rf"|tonight|last\s+night|overnight|this\s+(?:morning|afternoon|evening)){_F_POSS}"
    rf"(?:\s+{_F_DAYPART})?"
)
_F_MONTH_CORE = rf"(?:{_F_MOD})?(?:(?:last|this)\s+)?{_F_MON_FULL}(?:,?\s+(?:of\s+)?{_F_YEAR})?"
_F_CORE = rf"(?:{_F_DATE}|{_F_WDX}|{_F_RELDAY}|{_F_MONTH_CORE}|{_F_YEAR})"
_F_NOUN = (
    r"(?:war|conflict|fighting|uprising|revolution|crisis|offensive|invasion|insurgency"
    r"|campaign|operation|ceasefire|truce|violence|protests?|clashes|hostilities|siege|year"
    r"|month|week)"
)
_F_ALTERNATIVES = (
    # ranges first: at one position the regex takes the first alternative that fits
    rf"(?:between\s+|from\s+|on\s+|in\s+)?(?:the\s+)?{_F_DAY}\s*(?:-|–|and|to|through)\s*"
    rf"(?:the\s+)?{_F_DAY}\s+(?:of\s+)?{_F_MON}(?:,?\s+{_F_YEAR})?",
    rf"(?:between\s+|from\s+|on\s+|in\s+)?{_F_MON}\s+{_F_DAY}\s*(?:-|–|and|to|through)\s*"
    rf"{_F_DAY}(?:,?\s+{_F_YEAR})?",
    rf"(?:between\s+|from\s+|on\s+|in\s+)?{_F_CORE}(?:\s+(?:and|to|until|till|through|into)\s+"
    rf"|\s*[-–]\s*)(?:on\s+|in\s+)?{_F_CORE}",
    rf"(?:ever\s+)?since\s+the\s+(?:(?:recent|latest|current)\s+)?(?:start|beginning|outbreak|onset"
    rf"|escalation|end)(?:\s+of\s+(?:the\s+)?(?:[a-z'-]+\s+)?{_F_NOUN})?"
    rf"(?:\s+in\s+(?:{_F_MON}\s+)?{_F_YEAR}|\s+in\s+{_F_MON_FULL})?",
    rf"from\s+{_F_CORE}\s+onwards?",
    r"(?:so\s+far\s+(?:in\s+)?this\s+(?:year|month|week)|(?:earlier\s+|later\s+)?this\s+"
    r"(?:year|month|week)(?:\s+so\s+far)?|the\s+current\s+(?:year|month|week))",
    rf"(?:(?:late|early)\s+)?overnight\s+(?:into|to)\s+{_F_WD}",
    rf"(?:(?:on|since)\s+)?{_F_DATE}{_F_TIME}",
    rf"(?:(?:in|during|since|from|throughout)\s+)?{_F_MOD}?(?:(?:last|this)\s+)?{_F_MON}"
    rf",?\s+(?:of\s+)?{_F_YEAR}",
    rf"(?:in|during|since|throughout)\s+{_F_MOD}?(?:(?:last|this)\s+)?{_F_MON_FULL}",
    rf"(?:{_F_MOD}|(?:last|this)\s+){_F_MON_FULL}",
    rf"(?:in|during|since|throughout)\s+{_F_MOD}?{_F_YEAR}|{_F_MOD}{_F_YEAR}",
    rf"(?:(?:in|over|during|within|for|throughout|since)\s+)?(?:the\s+)?"
    rf"(?:past|last|previous|preceding)\s+(?:{_F_NUM}\s+)?{_F_UNIT}{_F_POSS}",
    r"the\s+(?:week|month|year)\s+before\s+last",
    rf"{_F_NUM}\s+(?:minutes?|{_F_UNIT})\s+ago",
    rf"(?:(?:over|during|at|on|since)\s+)?(?:the|this|last|this\s+past)\s+weekend{_F_POSS}",
    rf"(?:in\s+)?the\s+early\s+hours\s+of\s+(?:{_F_WD}|yesterday|today)",
    rf"(?:since\s+)?{_F_RELDAY}",
    rf"(?:since\s+)?{_F_WDX}",
    r"(?:on\s+)?the\s+(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)(?!\w)",
)
# Every word an expression can start with (each alternative's optional prefixes, then its
# core: digits, weekdays, months, numbers, relative days). Checked first at each word, it spares
# the twenty alternatives at the many words that start none: the same matches, 2.7 times faster
# (tests/clean/test_datefind_start.py compares the two on real sentences).
_F_FIRST = (
    r"(?:between|from|on|in|the|ever|since|so|earlier|later|this|late|early|over|during|within"
    r"|for|throughout|at|last|past|previous|preceding|mid|next|yesterday|today|tonight"
    r"|overnight|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|seventy|few|couple|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])|\d"
)
_FIND = re.compile(
    r"(?<![\w'-])(?=" + _F_FIRST + r")(?:" + "|".join(_F_ALTERNATIVES) + r")(?!\w)",
    re.IGNORECASE,
)
_TRAILING_PUNCT = re.compile(r"[\s,]+$")


def find_date_expressions(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each date/time expression in the sentence, left to right.

    Spans include the preposition or qualifier that changes the date ("since",
    "late on", "in the last") so ``resolve_date`` on the text gives the right window.
    """
    spans = []
    for m in _FIND.finditer(sentence):
        text = m.group(0)
        trimmed = _TRAILING_PUNCT.sub("", text)
        spans.append((m.start(), m.start() + len(trimmed), trimmed))
    return spans
