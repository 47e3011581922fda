"""Timing, query counting, memory, and raw-SQL helpers shared by the benchmark scenarios."""
import gc
import time
import tracemalloc
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


def best_of(function, repeat=5):
    """The fastest of ``repeat`` runs of ``function()`` in seconds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def side_by_side(ours, floor, repeat=5, setup=None):
    """Time ``ours`` and ``floor`` alternately (same machine state), best of ``repeat`` each."""
    best_ours = best_floor = float("inf")
    for _ in range(repeat):
        for which in ("floor", "ours"):
            if setup:
                setup()
            gc.collect()
            start = time.perf_counter()
            (ours if which == "ours" else floor)()
            elapsed = time.perf_counter() - start
            if which == "ours":
                best_ours = min(best_ours, elapsed)
            else:
                best_floor = min(best_floor, elapsed)
    return best_ours, best_floor


def count_queries(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def peak_memory(function):
    """Peak Python memory allocated while ``function()`` runs, in bytes (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


@contextmanager
def cursor():
    with connection.cursor() as cur:
        yield cur


def insert_ignore_sql(table, columns):
    quote = connection.ops.quote_name
    verb = {"mysql": "INSERT IGNORE INTO", "sqlite": "INSERT OR IGNORE INTO"}.get(connection.vendor, "INSERT INTO")
    return f"{verb} {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"


def multi_row_insert_sql(table, columns, rows):
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES {', '.join([one] * rows)}"
