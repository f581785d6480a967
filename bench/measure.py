"""Measuring helpers shared by the benches: fresh child processes, memory and CPU facts."""

from __future__ import annotations

import cProfile
import io
import multiprocessing as mp
import os
import platform
import pstats
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FAKES_DEV = SHARED / "eval" / "fakes" / "dev.jsonl"


def in_child(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn`` in a fresh interpreter: nothing of this process's memory or imports leaks in."""
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as ex:
        return ex.submit(fn, *args).result()


def proc_status_kib(key: str) -> int | None:
    """A ``kB`` field of /proc/self/status (VmRSS, VmHWM), where there is one."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def runqueue_seconds() -> float | None:
    """Time this thread spent runnable but waiting for a CPU (Linux schedstat)."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def mib(kib: float | None) -> float | None:
    return None if kib is None else round(kib / 1024, 1)


def pin_to_one_core() -> bool:
    """Run on CPU 0 only, so a figure is per core; False where the OS cannot pin."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
        return True
    return False


def profile_text(profiler: cProfile.Profile, top: int, label: str = "") -> str:
    """The top functions by cumulative time: warlog's own first, then all."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative")
    out.write(f"--- {label}warlog functions, top {top} by cumulative time ---\n")
    stats.print_stats(r"/warlog/", top)
    out.write(f"--- all functions, top {top} by cumulative time ---\n")
    stats.print_stats(top)
    return out.getvalue()
