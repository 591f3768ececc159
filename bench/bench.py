#!/usr/bin/env python3
"""stratalint benchmark: every rule against the parse-only floor, the cache, ast-grep and semgrep.

Rerun it (from the repository root):

    python3 bench/bench.py                       # mid corpus, 5 interleaved runs, medians
    python3 bench/bench.py --corpus big          # 220 MB of source (memory target)
    python3 bench/bench.py --linearity           # also 1x, 4x, 16x copies of the corpus
    python3 bench/bench.py --runs 1 --skip semgrep    # a quick look

Options: --corpus mid|big, --runs N (default 5), --jobs N (default: nproc, given to every tool),
--linearity, --skip TOOLS (comma-separated: ast-grep, semgrep), --no-build.

What it does, in order:

1. Builds the release binary (`cargo build --release`, target/ of this checkout).
2. Vendors the corpus once with ../shared/bench-corpus/make-corpus.sh into $STRATALINT_BENCH_DIR
   (default ~/.cache/stratalint-bench/<size>), outside any repository, and writes an empty
   `stratalint.toml` at its root: the corpus has no Cargo.toml, so without it a file named on the
   command line would be its own folder's project; with it the whole corpus is one project
   whatever is named (the pre-commit case needs that; full runs are unchanged).
3. Finds ast-grep (`ast-grep`, or an `sg` that is ast-grep — /usr/bin/sg is often shadow's
   "switch group"), else installs @ast-grep/cli (pinned) with npm into $STRATALINT_BENCH_DIR/npm;
   finds semgrep in $STRATALINT_BENCH_DIR/venv, else creates that venv and pip-installs semgrep
   (pinned). Semgrep runs with --metrics=off --disable-version-check and local rules only.
4. Runs, interleaved (one of each per round, after one untimed warm-up round), `--runs` times:

   floor             stratalint debug parse-only CORPUS (discovery, walk, reads, syn parse; nothing else)
   check's parse     stratalint debug parse-only --like-check CORPUS: the parse step as `check` does it
                     (the pre-parse scan, doc comments made plain comments before syn sees them)
   cold              stratalint check --select ALL --no-cache CORPUS
   cold+cache write  the same without --no-cache, CORPUS/.stratalint_cache/ deleted before
   warm              the same after a priming run (cache fresh)
   pre-commit cold   stratalint check --select ALL CORPUS/<one file>, cache deleted before
   pre-commit warm   the same, cache primed by a full run, then that one file edited
   largest file      stratalint debug parse-only on a copy of the corpus's largest .rs file alone
   ast-grep          ast-grep scan with bench/rules/ast-grep/sgconfig.yml (two rules), --json=stream
   semgrep           semgrep scan with bench/rules/semgrep/ (the same two rules), --json

   each under GNU time (`/usr/bin/time -f "%e %U %M"`: wall, user CPU, peak RSS of the largest
   process), and reports medians.
5. Counts the findings of the two compared rules: stratalint's `blocking-call-in-async` and
   `sql-injection` (`--format json`, whole rule and the narrowed case) vs ast-grep's and semgrep's,
   on the corpus and on bench/rules/agreement/ (a fixture where the three should agree).
6. With --linearity: hardlinked copies of the corpus under $STRATALINT_BENCH_DIR/linearity-<size>/
   xK/copyNN/ (K = 1, 4, 16), each xK one project (a `stratalint.toml` at xK/), cold-checked
   interleaved; time and peak RSS per size.

Output: a markdown report (machine, tool versions, command, tables, PASS/MISS against each
target) printed and written to bench/results/latest.md (and latest-<corpus>.md). It is a
benchmark, not a test: nothing is asserted, the exit code is 0 whatever the numbers.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
RULES = REPO / "bench" / "rules"
BENCH_DIR = Path(os.environ.get("STRATALINT_BENCH_DIR", Path.home() / ".cache" / "stratalint-bench"))

AST_GREP_VERSION = "0.51.1"
SEMGREP_VERSION = "1.185.0"
MAX_FILE_SIZE = 4 * 1024 * 1024  # stratalint's default files.max-file-size; semgrep gets the same
LINEARITY_SIZES = (1, 4, 16)
MARKER = "# written by bench/bench.py: this folder is one project; no settings, the defaults apply\n"

# targets (the issue's, and ours where it says "small" or "linear")
COLD_OVER_FLOOR = 1.2  # cold check at most 1.2x the parse-only floor
AST_GREP_OVER_COLD = 2.0  # ast-grep running two rules at least 2x slower than stratalint cold
WARM_OVER_COLD = 0.1  # a warm run at most a tenth of the cold run (the cache's target)
PRECOMMIT_OVER_FULL = 0.1  # one changed file: "a small fraction" of a full cold run; we take 1/10
LINEAR_TOLERANCE = 1.2  # time per copy at 16x at most 1.2x the time per copy at 1x
MID_RSS_MB = 60  # peak RSS of the cold check on mid
EXTRA_RSS_MB = 100  # on big: the largest file parsed alone + 100 MB


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def out(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout.strip()


def mb(kib):
    return kib * 1024 / 1e6


# ---------------------------------------------------------------- corpus and tools


def corpus_dir(size):
    dest = BENCH_DIR / size
    if not (dest.exists() and any(dest.rglob("*.rs"))):
        dest.mkdir(parents=True, exist_ok=True)
        print(f"vendoring the {size} corpus into {dest} …", file=sys.stderr)
        sh(["bash", str(SHARED / "bench-corpus" / "make-corpus.sh"), str(dest), size])
    mark_project(dest)
    return dest


def mark_project(root):
    """An empty stratalint.toml: `root` is the project root for every path named under it."""
    cfg = root / "stratalint.toml"
    if not cfg.exists():
        cfg.write_text(MARKER)


def rust_files(root):
    return sorted(p for p in root.rglob("*.rs") if ".stratalint_cache" not in p.parts)


def find_ast_grep():
    def is_ast_grep(exe):
        try:
            return out([exe, "--version"]).startswith("ast-grep")
        except (OSError, subprocess.CalledProcessError):
            return False

    local = BENCH_DIR / "npm" / "node_modules" / ".bin" / "ast-grep"
    for exe in (shutil.which("ast-grep"), shutil.which("sg"), str(local)):
        if exe and is_ast_grep(exe):
            return exe
    # not `npm i -g`: its `sg` would clash with /usr/bin/sg (shadow's "switch group")
    print(f"installing @ast-grep/cli@{AST_GREP_VERSION} into {local.parent.parent.parent} …", file=sys.stderr)
    sh(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(BENCH_DIR / "npm"),
        f"@ast-grep/cli@{AST_GREP_VERSION}"])
    return str(local)


def find_semgrep():
    venv = BENCH_DIR / "venv"
    exe = venv / "bin" / "semgrep"
    if exe.exists():
        return str(exe)
    print(f"installing semgrep=={SEMGREP_VERSION} into {venv} …", file=sys.stderr)
    sh([sys.executable, "-m", "venv", str(venv)])
    sh([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
        f"semgrep=={SEMGREP_VERSION}"])
    return str(exe)


SEMGREP_ENV = {**os.environ, "SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}


def ast_grep_cmd(exe, jobs, target):
    return [exe, "scan", "--config", str(RULES / "ast-grep" / "sgconfig.yml"), "--threads", str(jobs),
            "--json=stream", str(target)]


def semgrep_cmd(exe, jobs, target, output):
    return [exe, "scan", "--config", str(RULES / "semgrep"), "--metrics=off", "--disable-version-check",
            "--jobs", str(jobs), "--timeout", "0", "--max-target-bytes", str(MAX_FILE_SIZE), "--json",
            "--quiet", "--output", str(output), str(target)]


# ---------------------------------------------------------------- timing


class Variant:
    """One command to time; `setup` runs (untimed) before each timed run."""

    def __init__(self, name, cmd, setup=None, stdout=None, env=None):
        self.name, self.cmd, self.setup, self.stdout, self.env = name, cmd, setup, stdout, env
        self.samples = []  # (wall s, user s, peak RSS KiB)

    def run(self):
        if self.setup:
            self.setup()
        self.samples.append(timed(self.cmd, self.stdout, self.env))

    def median(self, i):
        return statistics.median(s[i] for s in self.samples)

    wall = property(lambda self: self.median(0))
    user = property(lambda self: self.median(1))
    rss_mb = property(lambda self: mb(self.median(2)))


def timed(cmd, stdout=None, env=None):
    """Run `cmd` under GNU time; return (wall s, user s, peak RSS KiB). Exit 0 or 1 is success."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %U %M", "-o", tf.name] + [str(c) for c in cmd]
        sink = open(stdout, "wb") if stdout else subprocess.DEVNULL
        try:
            proc = subprocess.run(full, stdout=sink, stderr=subprocess.PIPE, env=env)
        finally:
            if stdout:
                sink.close()
        if proc.returncode not in (0, 1):
            sys.exit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stderr.decode()[-3000:]}")
        wall, user, rss = tf.read().split()[-3:]
        return float(wall), float(user), int(rss)


def interleave(variants, runs):
    """One untimed warm-up round (page cache, priming), then `runs` rounds of one run each."""
    for v in variants:
        v.run()
        v.samples.clear()
    for r in range(runs):
        print(f"round {r + 1}/{runs}", file=sys.stderr)
        for v in variants:
            v.run()


# ---------------------------------------------------------------- findings


def count_stratalint(exe, target, jobs):
    proc = subprocess.run([exe, "check", "--select", "blocking-call-in-async,sql-injection", "--no-cache",
                           "--format", "json", "--exit-zero", "--jobs", str(jobs), str(target)],
                          check=True, capture_output=True, text=True)
    diags = json.loads(proc.stdout)["diagnostics"]
    blocking = [d for d in diags if d["rule"] == "blocking-call-in-async"]
    sql = [d for d in diags if d["rule"] == "sql-injection"]
    return {
        "blocking-call-in-async": len(blocking),
        "thread-sleep-in-async": sum("std::thread::sleep" in d["message"] for d in blocking),
        "sql-injection": len(sql),
        "sql-format-to-sqlx-query": sum("`sqlx::query" in d["message"] for d in sql),
    }


def count_ast_grep(stream_file):
    counts = {"thread-sleep-in-async": 0, "sql-format-to-sqlx-query": 0}
    for line in Path(stream_file).read_text().splitlines():
        if line.strip():
            rule = json.loads(line)["ruleId"]
            counts[rule] = counts.get(rule, 0) + 1
    return counts


def count_semgrep(json_file):
    doc = json.loads(Path(json_file).read_text())
    counts = {"thread-sleep-in-async": 0, "sql-format-to-sqlx-query": 0}
    for r in doc["results"]:
        rule = r["check_id"].rsplit(".", 1)[-1]
        counts[rule] = counts.get(rule, 0) + 1
    counts["scanned"] = len(doc.get("paths", {}).get("scanned", []))
    counts["errors"] = [(e.get("level", "?"), " ".join((e.get("message") or str(e.get("type"))).split())[:200])
                        for e in doc.get("errors", [])]
    return counts


# ---------------------------------------------------------------- linearity


def linearity_trees(corpus, size):
    """Hardlinked copies of the corpus: linearity-<size>/xK/copyNN/…, one project per xK."""
    base = BENCH_DIR / f"linearity-{size}"
    files = rust_files(corpus)
    trees = {}
    for k in LINEARITY_SIZES:
        root = base / f"x{k}"
        done = root / ".complete"
        if not done.exists():
            print(f"building {root} ({k} hardlinked copies) …", file=sys.stderr)
            shutil.rmtree(root, ignore_errors=True)
            for i in range(k):
                for f in files:
                    dest = root / f"copy{i:02d}" / f.relative_to(corpus)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(f, dest)
                    except OSError:
                        shutil.copy2(f, dest)
            mark_project(root)
            done.write_text("")
        trees[k] = root
    return trees


# ---------------------------------------------------------------- report


def machine_info():
    lines = [f"- cores: {out(['nproc'])} (nproc)"]
    try:
        lscpu = dict(l.split(":", 1) for l in out(["lscpu"]).splitlines() if ":" in l)
        for key in ("Model name", "CPU(s)", "Thread(s) per core", "CPU max MHz", "L3 cache"):
            if key in lscpu:
                lines.append(f"- {key}: {lscpu[key].strip()}")
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        lines.append(f"- memory: {int(mem.split()[1]) / 1024 / 1024:.1f} GiB")
    except (OSError, StopIteration):
        pass
    lines.append(f"- load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    lines.append(f"- kernel: {platform.release()}")
    return lines


def verdict(ok):
    return "PASS" if ok else "MISS"


def shorten(cmd, subst):
    text = " ".join(str(c) for c in cmd)
    for long, short in subst:
        text = text.replace(str(long), short)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="mid", choices=["mid", "big"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--linearity", action="store_true", help="also time 1x, 4x, 16x copies")
    ap.add_argument("--skip", default="", help="comma-separated: ast-grep, semgrep")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")

    if not Path("/usr/bin/time").exists():
        sys.exit("GNU time (/usr/bin/time) is required: apt-get install time")
    machine = machine_info()
    if not args.no_build:
        sh(["cargo", "build", "--release", "--locked", "--bin", "stratalint"], cwd=REPO)
    exe = str(REPO / "target" / "release" / "stratalint")
    corpus = corpus_dir(args.corpus)
    files = rust_files(corpus)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    jobs = str(args.jobs)
    cache = corpus / ".stratalint_cache"
    work = Path(tempfile.mkdtemp(prefix="stratalint-bench-"))
    sg = None if "ast-grep" in skip else find_ast_grep()
    semgrep = None if "semgrep" in skip else find_semgrep()

    # the pre-commit file: a typical one, the median-sized (by size, then path) non-test file under src/
    test_dirs = {"tests", "benches", "examples"}
    app = [f for f in files if "src" in f.relative_to(corpus).parts
           and not test_dirs & set(f.relative_to(corpus).parts)]
    by_size = sorted(app or files, key=lambda f: (f.stat().st_size, str(f)))
    changed = by_size[len(by_size) // 2]
    original = changed.read_bytes()
    # the largest file stratalint parses (larger ones are skipped: files.max-file-size), alone
    largest = max((f for f in files if f.stat().st_size <= MAX_FILE_SIZE), key=lambda f: f.stat().st_size)
    alone = BENCH_DIR / f"largest-{args.corpus}"
    shutil.rmtree(alone, ignore_errors=True)
    alone.mkdir(parents=True)
    shutil.copy2(largest, alone / largest.name)
    mark_project(alone)

    check = [exe, "check", "--select", "ALL", "--format", "concise", "--exit-zero", "--jobs", jobs]
    edits = iter(range(1, 1 << 30))

    def drop_cache():
        shutil.rmtree(cache, ignore_errors=True)

    def prime():
        changed.write_bytes(original)
        subprocess.run(check + [str(corpus)], check=True, stdout=subprocess.DEVNULL)

    def prime_and_edit():
        prime()
        changed.write_bytes(original + f"\n// edited by bench.py ({os.getpid()}, {next(edits)})\n".encode())

    def restore_and_drop():
        changed.write_bytes(original)
        drop_cache()

    variants = [
        Variant("floor (parse only)", [exe, "debug", "parse-only", "--jobs", jobs, corpus]),
        Variant("check's parse step (docs blanked)",
                [exe, "debug", "parse-only", "--like-check", "--jobs", jobs, corpus]),
        Variant("cold, --no-cache", check + ["--no-cache", corpus]),
        Variant("cold, writing the cache", check + [corpus], setup=drop_cache),
        Variant("warm (cache primed)", check + [corpus], setup=prime),
        Variant("pre-commit: 1 file, cold", check + [changed], setup=restore_and_drop),
        Variant("pre-commit: 1 file changed, warm", check + [changed], setup=prime_and_edit),
        Variant("largest file alone (parse only)", [exe, "debug", "parse-only", "--jobs", jobs, alone]),
    ]
    sg_out, semgrep_out = work / "ast-grep.jsonl", work / "semgrep.json"
    if sg:
        variants.append(Variant("ast-grep (2 rules)", ast_grep_cmd(sg, jobs, corpus), stdout=sg_out))
    if semgrep:
        variants.append(Variant("semgrep (2 rules)", semgrep_cmd(semgrep, jobs, corpus, semgrep_out),
                                env=SEMGREP_ENV))
    try:
        interleave(variants, args.runs)
    finally:
        changed.write_bytes(original)
    v = {x.name: x for x in variants}

    # findings of the compared rules, on the corpus and on the agreement fixture
    agreement = RULES / "agreement"
    counts = {"corpus": {"stratalint": count_stratalint(exe, corpus, jobs)},
              "agreement fixture": {"stratalint": count_stratalint(exe, agreement, jobs)}}
    if sg:
        counts["corpus"]["ast-grep"] = count_ast_grep(sg_out)
        fixture_out = work / "fixture.jsonl"
        timed(ast_grep_cmd(sg, jobs, agreement), fixture_out)
        counts["agreement fixture"]["ast-grep"] = count_ast_grep(fixture_out)
    if semgrep:
        counts["corpus"]["semgrep"] = count_semgrep(semgrep_out)
        fixture_out = work / "fixture.json"
        timed(semgrep_cmd(semgrep, jobs, agreement, fixture_out), env=SEMGREP_ENV)
        counts["agreement fixture"]["semgrep"] = count_semgrep(fixture_out)

    lin = None
    if args.linearity:
        trees = linearity_trees(corpus, args.corpus)
        lin = [Variant(f"{k}x", [exe, "check", "--select", "ALL", "--no-cache", "--format", "concise",
                                 "--exit-zero", "--jobs", jobs, trees[k]]) for k in LINEARITY_SIZES]
        interleave(lin, args.runs)

    # ------------------------------------------------------------ the report
    subst = [(exe, "stratalint"), (corpus, "CORPUS"), (alone, "LARGEST"), (RULES, "bench/rules"),
             (sg or "\0", "ast-grep"), (semgrep or "\0", "semgrep"), (work, "TMP"),
             (BENCH_DIR, "$STRATALINT_BENCH_DIR")]
    floor = v["floor (parse only)"]
    cold = v["cold, --no-cache"]
    rev = out(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = " (uncommitted changes)" if out(["git", "-C", str(REPO), "status", "--porcelain"]) else ""
    versions = [f"- stratalint: {out([exe, '--version'])}, commit {rev}{dirty}",
                f"- {out(['rustc', '--version'])}"]
    if sg:
        versions.append(f"- {out([sg, '--version'])} ({sg})")
    if semgrep:
        versions.append(f"- semgrep {out([semgrep, '--version', '--disable-version-check'], env=SEMGREP_ENV)}")
    argv = " ".join(["python3", "bench/bench.py"] + sys.argv[1:])

    L = [f"# stratalint benchmark — {args.corpus} corpus", "",
         f"`{argv}` — {started}", "",
         "## Setup", "",
         f"- corpus: `{args.corpus}`, {len(files)} .rs files, {size_mb:.1f} MB, at `{corpus}`; one project "
         "(an empty `stratalint.toml` at its root, no Cargo.toml)",
         f"- jobs: {jobs} for every tool (`--jobs`/`--threads`); runs: {args.runs}, interleaved, after one "
         "untimed warm-up round; medians",
         "- measured with GNU time `-f \"%e %U %M\"`: wall, user CPU, peak RSS of the largest single "
         "process (semgrep runs several; the figure is its largest)",
         f"- pre-commit file: `{changed.relative_to(corpus)}` ({len(original)} bytes, the median size); "
         "the warm case appends a comment to it after a priming run, so it alone misses the cache",
         f"- largest file: `{largest.relative_to(corpus)}` ({largest.stat().st_size / 1e6:.2f} MB), "
         "copied alone into its own folder and parsed there",
         "", "Machine:", ""] + machine + ["", "Tools:", ""] + versions + [
         "", "## Timings", "",
         "| variant | wall (s) | user (s) | peak RSS (MB) | × floor | command |",
         "|---|---:|---:|---:|---:|---|"]
    for x in variants:
        L.append(f"| {x.name} | {x.wall:.3f} | {x.user:.2f} | {x.rss_mb:.1f} | {x.wall / floor.wall:.2f} "
                 f"| `{shorten(x.cmd, subst)}` |")

    targets = [
        ("cold / floor", cold.wall / floor.wall, f"≤ {COLD_OVER_FLOOR}", cold.wall / floor.wall <= COLD_OVER_FLOOR),
        ("cold writing the cache / floor", v["cold, writing the cache"].wall / floor.wall,
         f"≤ {COLD_OVER_FLOOR}", v["cold, writing the cache"].wall / floor.wall <= COLD_OVER_FLOOR),
        ("warm / cold", v["warm (cache primed)"].wall / cold.wall, f"≤ {WARM_OVER_COLD}",
         v["warm (cache primed)"].wall / cold.wall <= WARM_OVER_COLD),
    ]
    if sg:
        r = v["ast-grep (2 rules)"].wall / cold.wall
        targets.append(("ast-grep / cold", r, f"≥ {AST_GREP_OVER_COLD}", r >= AST_GREP_OVER_COLD))
    # the floor is syn's parse of every file; `check` parses less (doc comments are made plain
    # comments first): against its own parse step, the rules' whole cost shows
    own = v["check's parse step (docs blanked)"]
    targets.append(("cold / check's own parse step", cold.wall / own.wall, "(reference)", None))
    targets.append(("check's own parse step / floor", own.wall / floor.wall, "(reference)", None))
    # on a shared machine user CPU is steadier than wall time: shown for reference, not judged
    targets.append(("cold / floor, user CPU", cold.user / max(floor.user, 0.01), "(reference)", None))
    if sg:
        targets.append(("ast-grep / cold, user CPU", v["ast-grep (2 rules)"].user / max(cold.user, 0.01),
                        "(reference)", None))
    if semgrep:
        r = v["semgrep (2 rules)"].wall / cold.wall
        targets.append(("semgrep / cold", r, "(no target)", None))
    pw = v["pre-commit: 1 file changed, warm"].wall / cold.wall
    pc = v["pre-commit: 1 file, cold"].wall / cold.wall
    targets.append(("pre-commit warm / full cold run", pw, f"≤ {PRECOMMIT_OVER_FULL}", pw <= PRECOMMIT_OVER_FULL))
    targets.append(("pre-commit cold / full cold run", pc, "(no target: the context is parsed)", None))
    rss = cold.rss_mb
    if args.corpus == "mid":
        targets.append(("peak RSS of cold check (MB)", rss, f"< {MID_RSS_MB}", rss < MID_RSS_MB))
    limit = v["largest file alone (parse only)"].rss_mb + EXTRA_RSS_MB
    targets.append(("peak RSS of cold check (MB) vs largest file alone + 100 MB", rss, f"≤ {limit:.1f}",
                    rss <= limit if args.corpus == "big" else None))
    if lin:
        per = [x.wall / k for x, k in zip(lin, LINEARITY_SIZES)]
        r = per[-1] / per[0]
        targets.append((f"linearity: time per copy at {LINEARITY_SIZES[-1]}x / at 1x", r,
                        f"≤ {LINEAR_TOLERANCE}", r <= LINEAR_TOLERANCE))
        targets.append((f"linearity: user CPU per copy at {LINEARITY_SIZES[-1]}x / at 1x",
                        lin[-1].user / LINEARITY_SIZES[-1] / max(lin[0].user, 0.01), "(reference)", None))
        grown, limit = lin[-1].rss_mb, lin[0].rss_mb + EXTRA_RSS_MB
        targets.append((f"linearity: peak RSS at {LINEARITY_SIZES[-1]}x (MB), flat in the number of files",
                        grown, f"≤ 1x + {EXTRA_RSS_MB} = {limit:.1f}", grown <= limit))

    L += ["", "## Targets", "", "| measure | value | target | |", "|---|---:|---|---|"]
    for name, value, goal, ok in targets:
        shown = f"{value:.1f}" if "MB" in name else f"{value:.3f}"
        L.append(f"| {name} | {shown} | {goal} | {'' if ok is None else verdict(ok)} |")
    if args.corpus != "big":
        L.append("")
        L.append("The memory target against the largest file is the issue's target on `big`; on this corpus "
                 "it is shown, not judged.")

    L += ["", "## Findings of the two compared rules", "",
          "stratalint's whole rules find more than the narrowed case the pattern rules express; the narrowed "
          "count keeps `std::thread::sleep` findings of `blocking-call-in-async` and the `sql-injection` "
          "findings whose SQL reaches `sqlx::query*` (whatever built it).", "",
          "| where | rule | stratalint (whole rule) | stratalint (narrowed) | ast-grep | semgrep |",
          "|---|---|---:|---:|---:|---:|"]
    for where, c in counts.items():
        st = c["stratalint"]
        for whole, narrow in (("blocking-call-in-async", "thread-sleep-in-async"),
                              ("sql-injection", "sql-format-to-sqlx-query")):
            a = c.get("ast-grep", {}).get(narrow, "–")
            s = c.get("semgrep", {}).get(narrow, "–")
            L.append(f"| {where} | {narrow} | {st[whole]} | {st[narrow]} | {a} | {s} |")
    if semgrep:
        sc = counts["corpus"]["semgrep"]
        L += ["", f"semgrep scanned {sc['scanned']} of {len(files)} .rs files (its default `.semgrepignore` "
              "skips tests/ and the like, which the rules exclude anyway) and reported "
              f"{len(sc['errors'])} errors or warnings" + (":" if sc["errors"] else ".")]
        L += [f"- {level}: {message}" for level, message in sc["errors"][:5]]
    L += ["", "On the agreement fixture (bench/rules/agreement/src/lib.rs, each line says who flags it) "
          "ast-grep misses what needs imports followed and all three flag the rest, except the constant "
          "interpolated into SQL that only the pattern tools flag."]

    if lin:
        L += ["", "## Linearity", "",
              f"Hardlinked copies of the corpus under `$STRATALINT_BENCH_DIR/linearity-{args.corpus}/xK/copyNN/`; "
              "each xK is one project (an empty `stratalint.toml` at xK/), so the cross-file phase sees "
              "every copy. Command: `stratalint check --select ALL --no-cache --format concise "
              f"--exit-zero --jobs {jobs} xK`.", "",
              "| copies | .rs files | wall (s) | user (s) | wall per copy (s) | × at 1x | user per copy (s) "
              "| × at 1x | peak RSS (MB) |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for x, k in zip(lin, LINEARITY_SIZES):
            L.append(f"| {k} | {k * len(files)} | {x.wall:.3f} | {x.user:.2f} | {x.wall / k:.3f} | "
                     f"{x.wall / k / lin[0].wall:.2f} | {x.user / k:.2f} | {x.user / k / max(lin[0].user, 0.01):.2f} "
                     f"| {x.rss_mb:.1f} |")

    report = "\n".join(L) + "\n"
    print(report)
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(report)
    (results / f"latest-{args.corpus}.md").write_text(report)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
