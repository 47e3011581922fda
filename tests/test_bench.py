"""The benchmark (bench/, `make bench`) still runs: a small run of its scenarios on a SQLite file of its own."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "run.json"
    # The process's own cache: `make bench` measures Redis as Tutor configures it, but a run in
    # another process (a second suite, `make bench`) empties Redis database 15 under this one.
    env = dict(os.environ, PYTHONPATH=str(REPO), CREDITS_BENCH_SQLITE=str(folder / "bench.sqlite3"),
               CREDITS_BENCH_CACHE="locmem")
    env.pop("CREDITS_TEST_DB", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "bench.run", "--db", "sqlite", "--out", str(out),
                           "--sizes", "200,400", "--only", "fastpath,backfill,report,pages,compliance,statuslist"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def test_scenarios_report_ratios_queries_and_growth(small_run):
    results = {r["what"]: r for r in small_run["results"]}
    assert small_run["driver"] == "sqlite3" and small_run["server"].startswith("SQLite")
    assert results["course without credits (warm), per event"]["queries"] == 0
    for page in ("certificate", "about card, warm", "legacy dashboard", "learner home, 50 enrollments"):
        row = results[f"page: {page}"]  # against a no-op step in the same pipeline
        assert row["queries"] <= 1 and row["floor_us"] > 0 and row["ours_us"] > 0, row
    assert results["page: about card, warm"]["queries"] == 0
    for what in ("backfill, 200 learners x 3 credits", "backfill, 400 learners x 3 credits",
                 "course report CSV, 200 awards", "course report CSV, 400 awards",
                 "compliance report CSV, 200 learners", "compliance report CSV, 400 learners",
                 "compliance CSV, lines unshared, 200 learners", "compliance CSV, lines unshared, 400 learners"):
        row = results[what]
        assert row["ratio"] > 0 and row["us_per_row"] > 0 and row["peak_mb"] > 0, row
    for size in (200, 400):
        row = results[f"status list, {size} credentials, 1% revoked"]
        assert (row["queries_cold"], row["queries_warm"]) == (1, 0) and 0 < row["encoded_list_bytes"] < 4000, row


def test_the_table_prints_every_row_and_the_growth(small_run, capsys):
    sys.path.insert(0, str(REPO))
    from bench.__main__ import print_table  # pylint: disable=import-outside-toplevel

    print_table({"system": "test", "cpus": 1, "python": "3"}, [small_run])
    printed = capsys.readouterr().out
    assert "sqlite: sqlite3, server SQLite" in printed
    assert all(result["what"] in printed for result in small_run["results"])
    assert "backfill             ours" in printed and "course report CSV    ours" in printed
