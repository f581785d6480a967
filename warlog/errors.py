"""One catalogue of user-facing errors.

Library code raises :class:`WarlogError` with a code from :class:`E`; the CLI
prints ``Error: [E101] ...`` on one line and exits non-zero. Messages name the
fix where there is one.
"""

from __future__ import annotations


class E:
    E101 = "No pages in {path}: expected text, HTML, WARC, RSS/Atom, JSONL or CSV files"
    E102 = "Cannot read {path}: {reason}"
    E103 = "Empty file"
    E104 = "Binary file ({what}), not a page: nothing ingested"
    E105 = "Too large for a single page ({size}; the limit is {limit}); raise it with --max-bytes"
    E106 = "No article text found on the page (only navigation, captions or boilerplate)"
    E107 = "Truncated or corrupt {what}: {reason}"
    E108 = "Malformed JSON line: {reason}"
    E109 = "Row has no text in column {column!r}; map the text column with --map text=COLUMN"
    E110 = "Bad --map value {value!r}: expected KEY=COLUMN pairs separated by commas, keys among {keys}"
    E111 = "Cannot open database {url}: {reason}"
    E112 = "Database {url} has schema version {found}, newer than this warlog ({known}); upgrade warlog"
    E113 = "Unknown article {id!r}"
    E114 = "Feed has no entries"
    E115 = "Malformed CSV: {reason}"
    E116 = "Dataset has no column for the text; columns are {columns}; use --map text=COLUMN"
    E117 = "Unknown event {id!r}: `warlog events` lists them"
    E118 = "Bad {what}: {reason}"
    E119 = "No place called {name!r} in the gazetteer; add it with `warlog gazetteer add FILE`"
    E120 = "No feeds to watch: give a FEEDS_FILE or --feed URL (or watch a store that has feeds)"
    E121 = "Bad feed URL {url!r} ({where}): expected an http:// or https:// address"
    E122 = "Bad alert rule {rule!r} ({where}): {reason}"
    E123 = "Bad duration {value!r}: expected a number with s, m, h or d (e.g. 90s, 15m, 1h)"
    E124 = "No place called {name!r} in the gazetteer; did you mean {suggestion!r}?"
    E125 = "Internal error while {stage} ({error}); please report it{remembered}"
    E126 = "Skipped: failed in run {run} ({message}); retry it with --retry-failed"
    E127 = "Not a regular file ({kind}): skipped"
    E128 = "Page cut to fit the per-page budget ({reason}): the rest of the page was not analysed"
    E129 = "{path} is not a warlog store ({reason}); name another file, it is left untouched"
    E130 = "The store {url} is damaged or unreadable ({reason}); `warlog doctor --db {url}` says what is wrong, --repair fixes what it can"
    E131 = "The store {url} needs a schema upgrade ({found} -> {known}) but is read-only; run a write command (e.g. `warlog doctor --repair`) with write access"
    E132 = "{what}; {fix}"
    E133 = "{module} is not installed: `pip install 'warlog[{extra}]'` (or `pip install {module}`)"


class WarlogError(Exception):
    """An error the user can act on; shown without a traceback."""

    def __init__(self, template: str, **kwargs: object) -> None:
        code = next((k for k, v in vars(E).items() if v == template), "E000")
        self.code = code
        self.message = template.format(**kwargs)
        super().__init__(f"[{code}] {self.message}")


class InputError(WarlogError):
    """A problem with one input; ingestion reports it and goes on with the rest."""

    def __init__(self, template: str, line: int | None = None, **kwargs: object) -> None:
        super().__init__(template, **kwargs)
        self.line = line
