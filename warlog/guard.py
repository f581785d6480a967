"""Guards around one record, so that no page can stop a batch.

An unexpected exception on one record becomes a :class:`~warlog.records.Problem`
naming it (with the record's hash, so the store can remember it as failed), and
the analysis of a page runs within a budget: characters, sentences and seconds.
"""

from __future__ import annotations

import hashlib
import logging
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from warlog.errors import E, InputError
from warlog.records import Problem

log = logging.getLogger(__name__)

# Sentence ends as the budget counts them: cheap, and close enough to the real
# splitter for a limit (the budget only has to stop pathological pages).
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+|\n+")


class OverBudget(Exception):
    """A page's analysis ran past its wall-time budget."""


def describe(exc: BaseException) -> str:
    """``TypeName: first line of the message``, short enough for one log line."""
    first = next(iter(str(exc).splitlines()), "")[:200]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def internal_problem(
    where: str, exc: BaseException, stage: str, record: bytes | None = None, line: int | None = None
) -> Problem:
    """One line for a bug met on one record; the traceback goes to the log (shown with -v)."""
    log.info("internal error while %s %s", stage, where, exc_info=exc)
    key = hashlib.sha256(record).hexdigest() if record is not None else None
    remembered = "; the record is skipped and remembered (--retry-failed retries it)" if key else ""
    msg = InputError(E.E125, stage=stage, error=describe(exc), remembered=remembered).message
    return Problem(where, msg, line, key=key)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block after ``seconds`` of wall time.

    Signals reach only the main thread: elsewhere (the API's workers) the block runs
    unbounded in time, still bounded in characters and sentences.
    """
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def on_alarm(_signum: int, _frame: object) -> None:
        # Raised where the main thread happens to be: inside a garbage-collector callback the
        # exception is swallowed, so the alarm rings again shortly until the block is left.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise OverBudget(f"over {seconds:g} s of analysis")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def budget_cut(text: str, max_chars: int, max_sentences: int) -> tuple[int, str | None]:
    """How much of ``text`` to analyse (a prefix length) and, when cut, why.

    The cut falls on a sentence end so that no claim is read from half a sentence;
    the prefix keeps evidence offsets valid in the whole text.
    """
    end, why = len(text), None
    if end > max_chars:
        ends = [m.end() for m in _SENTENCE_END.finditer(text, max_chars // 2, max_chars)]
        end = ends[-1] if ends else max_chars
        why = f"{len(text):,} characters, the limit is {max_chars:,}"
    for n, m in enumerate(_SENTENCE_END.finditer(text, 0, end), 1):
        if n >= max_sentences and m.end() < end:
            end = m.end()
            why = f"over {max_sentences:,} sentences"
            break
    return end, why
