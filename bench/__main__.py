"""
``make bench``: run every scenario on SQLite and, when it answers, on MariaDB;
print one table of ratios against the raw database floor and write
bench/results.json.

    python -m bench [--sizes 10000,30000,100000] [--only award,fastpath,backfill,report,summary] [--db sqlite]
"""
import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def mysql_answers():
    try:
        with socket.create_connection(("127.0.0.1", 3306), timeout=1):
            return True
    except OSError:
        return False


def fmt(result):
    if "ours_s" in result:
        timing = f"{result['ours_s']:.2f} s vs {result['floor_s']:.2f} s"
    elif not result.get("floor_us"):
        timing = f"{result['ours_us']:.1f} us" if result.get("ours_us") else "-"
    else:
        timing = f"{result['ours_us']:.1f} us vs {result['floor_us']:.1f} us"
    extra = []
    if "queries" in result:
        extra.append(f"{result['queries']} queries")
    if "added_us" in result:
        extra.append(f"adds {result['added_us']:.0f} us a page")
    if "p95_ms" in result:
        extra.append(f"p95 event to award {result['p95_ms']:.0f} ms")
    if "ratio_raw" in result:
        extra.append(f"{result['ratio_raw']}x a raw one-row award task")
    if "us_per_row" in result:
        extra.append(f"{result['us_per_row']:.1f} us/row")
    if "peak_mb" in result:
        extra.append(f"peak {result['peak_mb']:.1f} MB")
    if "queries_cold" in result:
        extra.append(f"{result['queries_cold']} query cold, {result['queries_warm']} cached; list "
                     f"{result['encoded_list_bytes']:,} B, signed {result['signed_list_bytes']:,} B")
    return timing, f"{result['ratio']}x", ", ".join(extra)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--only", default="")
    parser.add_argument("--db", choices=["sqlite", "mysql", "both"], default="both")
    parser.add_argument("--print", action="store_true", help="print the table of bench/results.json again")
    args = parser.parse_args()
    if args.print:
        saved = json.loads((HERE / "results.json").read_text())
        print_table(saved["machine"], saved["runs"])
        return
    databases = ["sqlite"] if args.db == "sqlite" else ["mysql"] if args.db == "mysql" else ["sqlite"]
    if args.db == "both":
        if mysql_answers():
            databases.append("mysql")
        else:
            print("MariaDB does not answer on 127.0.0.1:3306: measuring SQLite only.", file=sys.stderr)
    runs = []
    for db in databases:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = handle.name
        command = [sys.executable, "-m", "bench.run", "--db", db, "--out", out, "--sizes", args.sizes]
        if args.only:
            command += ["--only", args.only]
        print(f"running {db} ...", file=sys.stderr)
        done = subprocess.run(command, check=False, cwd=HERE.parent,
                              env=dict(os.environ, PYTHONPATH=str(HERE.parent)))
        if done.returncode:
            print(f"the {db} run failed (exit {done.returncode}); its rows are missing below", file=sys.stderr)
            continue
        with open(out, encoding="utf-8") as handle:
            runs.append(json.load(handle))
        os.unlink(out)

    machine = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
               "system": platform.platform()}
    print_table(machine, runs)
    (HERE / "results.json").write_text(json.dumps({"machine": machine, "runs": runs}, indent=2, default=str))
    print(f"\nwritten: {HERE / 'results.json'}")


def print_table(machine, runs):
    print(f"\nCourse Credits benchmarks ({machine['system']}, {machine['cpus']} CPUs, Python {machine['python']})")
    print("Ratio = the plugin's time / the raw database floor's time, measured side by side in this run.")
    for run in runs:
        print(f"  {run['db']}: {run.get('driver', '?')}, server {run.get('server', '?')}, "
              f"cache {run.get('cache', '?')}")
    print()
    header = f"{'db':8} {'what':48} {'ours vs floor':28} {'ratio':>8}  {'notes':40} target"
    print(header)
    print("-" * len(header))
    for run in runs:
        for result in run["results"]:
            timing, ratio, extra = fmt(result)
            print(f"{run['db']:8} {result['what']:48} {timing:28} {ratio:>8}  {extra:40} {result['target']}")
    print("\nGrowth: time per row at the largest size / at the smallest (1.0 = flat; a quadratic step would grow"
          " with the size: ~10x from 10k to 100k). The floor's own growth is the database's.")
    for run in runs:
        for kind in ("backfill", "course report CSV", "compliance report CSV", "compliance CSV, lines unshared"):
            rows = [r for r in run["results"] if r["what"].startswith(kind) and "us_per_row" in r]
            if len(rows) > 1:
                first, last = rows[0], rows[-1]
                floor_first, floor_last = floor_per_row(first), floor_per_row(last)
                print(f"{run['db']:8} {kind:20} ours {first['us_per_row']:.1f} -> {last['us_per_row']:.1f} us/row "
                      f"({last['us_per_row'] / first['us_per_row']:.2f}x), floor {floor_first:.1f} -> "
                      f"{floor_last:.1f} us/row ({floor_last / floor_first:.2f}x); peak memory "
                      f"{first['peak_mb']:.1f} -> {last['peak_mb']:.1f} MB")


def floor_per_row(result):
    rows = result["ours_s"] * 1e6 / result["us_per_row"]
    return result["floor_s"] * 1e6 / rows

if __name__ == "__main__":
    main()
