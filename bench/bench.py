#!/usr/bin/env python3
"""stratalint benchmark: every rule against the parse-only floor, on a corpus no one here wrote.

    python3 bench/bench.py [--corpus mid|big] [--runs 5] [--jobs N]

Builds the release binary, vendors the corpus once with ../shared/bench-corpus/make-corpus.sh
(into $STRATALINT_BENCH_DIR, default ~/.cache/stratalint-bench, outside any repository so nothing
above it is taken for its project root), then runs, interleaved, `runs` times each:

  floor   stratalint debug parse-only CORPUS   (same discovery, walk, reads and syn parse; nothing else)
  check   stratalint check --select ALL CORPUS (every rule, one walk per file, cross-file phase, report)

and prints medians of wall time and peak RSS (GNU time), and the ratio check/floor. Results are also
written to bench/results/latest.md. It is a benchmark, not a test: it asserts nothing.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def corpus_dir(size: str) -> Path:
    base = Path(os.environ.get("STRATALINT_BENCH_DIR", Path.home() / ".cache" / "stratalint-bench"))
    dest = base / size
    if not (dest.exists() and any(dest.rglob("*.rs"))):
        dest.mkdir(parents=True, exist_ok=True)
        print(f"vendoring the {size} corpus into {dest} …", file=sys.stderr)
        sh(["bash", str(SHARED / "bench-corpus" / "make-corpus.sh"), str(dest), size])
    return dest


def timed(cmd):
    """Run `cmd` under GNU time; return (wall seconds, peak RSS in MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd
        proc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if proc.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()}")
        wall, rss_kib = tf.read().split()[-2:]
        return float(wall), int(rss_kib) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="mid", choices=["mid", "big"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()

    if not shutil.which("/usr/bin/time"):
        sys.exit("GNU time (/usr/bin/time) is required: apt-get install time")
    if not args.no_build:
        sh(["cargo", "build", "--release", "--locked", "--bin", "stratalint"], cwd=REPO)
    exe = str(REPO / "target" / "release" / "stratalint")
    corpus = corpus_dir(args.corpus)
    files = sum(1 for _ in corpus.rglob("*.rs"))
    size_mb = sum(f.stat().st_size for f in corpus.rglob("*.rs")) / 1e6
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []

    variants = {
        "floor (parse only)": [exe, "debug", "parse-only", *jobs, str(corpus)],
        "check (all rules)": [exe, "check", "--select", "ALL", "--exit-zero", "--format", "concise",
                              "--output", os.devnull, *jobs, str(corpus)],
    }
    samples = {k: [] for k in variants}
    # one warm-up each (page cache), then interleaved runs
    for cmd in variants.values():
        timed(cmd)
    for _ in range(args.runs):
        for name, cmd in variants.items():
            samples[name].append(timed(cmd))

    rows = []
    for name, s in samples.items():
        rows.append((name, statistics.median(w for w, _ in s), statistics.median(m for _, m in s)))
    floor = rows[0][1]
    lines = [
        f"corpus: {args.corpus} ({files} .rs files, {size_mb:.1f} MB) at {corpus}",
        f"machine: {os.cpu_count()} cores; runs: {args.runs} interleaved, medians",
        "",
        "| variant | wall (s) | × floor | peak RSS (MiB) |",
        "|---|---:|---:|---:|",
    ]
    for name, wall, rss in rows:
        lines.append(f"| {name} | {wall:.3f} | {wall / floor:.2f} | {rss:.1f} |")
    report = "\n".join(lines)
    print(report)
    out = REPO / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
