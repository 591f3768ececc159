#!/usr/bin/env bash
# End-to-end checks of stratalint's machine-readable output against the real tools that consume it.
#
#   scripts/e2e.sh [all|sarif|rust-analyzer]      (default: all)
#
#   sarif          Microsoft's SARIF Multitool (`validate --rule-kind "Sarif;Gh;Ghas"`, the SARIF
#                  spec rules plus GitHub's ingestion rules) on the SARIF of fixtures/violations
#                  and of a run without findings: zero errors required, and no warnings beyond
#                  the accepted ones listed below.
#   rust-analyzer  the real rust-analyzer as an editor would run it, with
#                  `rust-analyzer.check.overrideCommand` = stratalint `--format rustc-json`: the
#                  finding must be published for the file, at the right UTF-16 range, and move
#                  when the file is edited and saved again.
#
# Exit codes: 0 passed; 1 a check failed; 2 usage; 3 a tool could not be installed or started
# (no network, no npm, no rustup): nothing was verified, which is not a pass.
#
# Tools are installed on first use: the Multitool with npm into $STRATALINT_E2E_CACHE (default
# ~/.cache/stratalint-e2e), rust-analyzer with `rustup component add rust-analyzer`, pre-commit with
# pip into a venv under the same cache. Each install is tried 3 times, $STRATALINT_E2E_RETRY_DELAY
# seconds apart (default 5), so a passing network hiccup does not end in exit 3.
#
# Adding a check: write `check_<name>` (exit 1 on failure, `unavailable` when its tool is missing),
# add <name> to CHECKS and to the `case` at the bottom.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${STRATALINT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stratalint-e2e}"
BIN="$ROOT/target/debug/stratalint"
# The checks `all` runs, in order. (The pre-commit check goes here too.)
CHECKS=(sarif rust-analyzer pre-commit)

MULTITOOL_VERSION="5.7.0"
# Multitool warnings accepted, with the reason:
#   SARIF1001  a rule's `name` equals its `id`. Our ids are the readable kebab-case names users
#              write in suppressions, `--select` and config; GitHub shows `name` when filtering
#              alerts, so it carries the same id rather than a second, PascalCase spelling.
ACCEPTED_WARNINGS="SARIF1001"

say() { printf '\n== e2e %s\n' "$*"; }

# retry CMD...: run an install command up to 3 times, with a short sleep between attempts.
retry() {
  local attempt delay="${STRATALINT_E2E_RETRY_DELAY:-5}"
  for attempt in 1 2 3; do
    "$@" && return 0
    if [[ $attempt -lt 3 ]]; then
      echo "e2e: attempt $attempt of 3 failed: $*; retrying in ${delay}s" >&2
      sleep "$delay"
    fi
  done
  return 1
}

unavailable() {
  printf '\ne2e: TOOL UNAVAILABLE: %s\n' "$*" >&2
  printf 'e2e: this check was NOT run; exiting with 3 (not a pass).\n' >&2
  exit 3
}

fail() {
  printf '\ne2e: FAILED: %s\n' "$*" >&2
  exit 1
}

build() {
  say "build: cargo build --bin stratalint"
  (cd "$ROOT" && cargo build --quiet --locked --bin stratalint) || fail "the build failed"
}

# --- sarif ----------------------------------------------------------------------------------------

multitool() {
  local prefix="$CACHE/sarif-multitool-$MULTITOOL_VERSION" platform
  case "$(uname -s)" in
    Linux) platform=linux ;;
    Darwin) platform=darwin ;;
    *) unavailable "no SARIF Multitool package for $(uname -s)" ;;
  esac
  local exe="$prefix/node_modules/@microsoft/sarif-multitool-$platform/Sarif.Multitool"
  if [[ ! -f "$exe" ]]; then
    command -v npm >/dev/null 2>&1 || unavailable "npm is not installed (needed for @microsoft/sarif-multitool)"
    echo "installing @microsoft/sarif-multitool@$MULTITOOL_VERSION into $prefix" >&2
    mkdir -p "$prefix"
    retry npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
      "@microsoft/sarif-multitool@$MULTITOOL_VERSION" >&2 ||
      unavailable "npm install @microsoft/sarif-multitool@$MULTITOOL_VERSION failed 3 times (network?)"
    [[ -f "$exe" ]] || unavailable "the npm package did not bring $exe"
  fi
  # npm may skip the package's postinstall `chmod u+x`.
  chmod u+x "$exe"
  echo "$exe"
}

count_results() { # sarif file
  python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$1"
}

validate_sarif() { # name, sarif file
  local name="$1" file="$2" out="$2.multitool.sarif" rc=0
  "$MULTITOOL" validate --rule-kind "Sarif;Gh;Ghas" --level "Error;Warning;Note" \
    --log ForceOverwrite -o "$out" "$file" >"$file.multitool.txt" 2>&1 || rc=$?
  if [[ ! -s "$out" ]]; then
    cat "$file.multitool.txt" >&2
    unavailable "the Multitool did not run (exit $rc, no output log)"
  fi
  python3 "$ROOT/tests/e2e/sarif/multitool_summary.py" "$out" --name "$name" \
    --allow "$ACCEPTED_WARNINGS" || fail "SARIF Multitool validation of $name (full output: $file.multitool.txt)"
}

# A project with what SARIF must encode or place carefully: a space in the root and in a file name,
# `#` in a file name, a BOM and characters outside the BMP before a finding, a file that is not
# UTF-8, file-level findings. Written here rather than committed, so no odd file is in git.
make_edge_project() { # dir
  local d="$1"
  mkdir -p "$d/src/services" "$d/migrations"
  printf '[package]\nname = "edge"\nversion = "0.1.0"\nedition = "2021"\n' >"$d/Cargo.toml"
  printf 'pub mod bad;\npub mod services;\n#[path = "Weird Name#1.rs"]\npub mod weird;\n' >"$d/src/lib.rs"
  printf 'pub mod slow;\n' >"$d/src/services/mod.rs"
  printf '\xef\xbb\xbfpub async fn f() {\n    let s = "\xe6\x97\xa5 \xf0\x9f\x91\x8b"; std::thread::sleep(std::time::Duration::from_millis(1));\n}\n' \
    >"$d/src/services/slow.rs"
  printf 'pub fn x() {}\n// \xff\xfe not UTF-8\n' >"$d/src/bad.rs"
  printf 'pub fn w() {}\n' >"$d/src/Weird Name#1.rs"
  printf 'select 1;\n' >"$d/migrations/2026_bad.sql"
}

check_sarif() {
  say "sarif: SARIF Multitool $MULTITOOL_VERSION validate --rule-kind Sarif;Gh;Ghas"
  command -v python3 >/dev/null 2>&1 || unavailable "python3 is not installed"
  MULTITOOL="$(multitool)"
  local tmp
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/stratalint-e2e-sarif.XXXXXX")"
  "$BIN" check "$ROOT/fixtures/violations" --select ALL --format sarif --exit-zero \
    -o "$tmp/violations.sarif" || fail "stratalint check fixtures/violations"
  local results
  results="$(count_results "$tmp/violations.sarif")"
  [[ "$results" -ge 5 ]] || fail "fixtures/violations gave only $results results"
  "$BIN" check "$ROOT/fixtures/clean" --select ALL --format sarif -o "$tmp/clean.sarif" ||
    fail "stratalint check fixtures/clean (no findings expected)"
  make_edge_project "$tmp/edge project"
  "$BIN" check "$tmp/edge project" --select ALL --format sarif --exit-zero -o "$tmp/edge.sarif" ||
    fail "stratalint check of the edge-case project"
  [[ "$(count_results "$tmp/edge.sarif")" -ge 4 ]] || fail "the edge-case project gave fewer than 4 results"
  validate_sarif "fixtures/violations ($results results)" "$tmp/violations.sarif"
  validate_sarif "fixtures/clean (no results)" "$tmp/clean.sarif"
  validate_sarif "edge cases (encodings, file-level, not UTF-8)" "$tmp/edge.sarif"
  rm -rf "$tmp"
  echo "sarif: passed"
}

# --- rust-analyzer --------------------------------------------------------------------------------

check_rust_analyzer() {
  say "rust-analyzer: flycheck with check.overrideCommand = stratalint --format rustc-json"
  command -v python3 >/dev/null 2>&1 || unavailable "python3 is not installed"
  command -v cargo >/dev/null 2>&1 || unavailable "cargo is not on PATH (rust-analyzer needs it)"
  if ! rust-analyzer --version >/dev/null 2>&1; then
    command -v rustup >/dev/null 2>&1 || unavailable "rust-analyzer is not installed and there is no rustup"
    echo "installing rust-analyzer: rustup component add rust-analyzer" >&2
    retry rustup component add rust-analyzer >&2 ||
      unavailable "rustup component add rust-analyzer failed 3 times (network?)"
    rust-analyzer --version >/dev/null 2>&1 || unavailable "rust-analyzer --version does not work after installing it"
  fi
  rust-analyzer --version
  python3 "$ROOT/tests/e2e/rust-analyzer/lsp_check.py" \
    --binary "$BIN" \
    --template "$ROOT/tests/e2e/rust-analyzer/project" \
    --timeout "${STRATALINT_E2E_TIMEOUT:-120}" || {
    rc=$?
    [[ $rc -eq 3 ]] && unavailable "rust-analyzer could not be started"
    fail "rust-analyzer did not publish the expected diagnostic"
  }
  echo "rust-analyzer: passed"
}

# --- pre-commit ---------------------------------------------------------------------------------
# The hooks of .pre-commit-hooks.yaml run by the real pre-commit in a temporary repository
# (scripts/e2e-pre-commit.sh; `STRATALINT_E2E_RUST_HOOK=1` also builds the `language: rust` hook).
check_pre_commit() {
  say "pre-commit"
  local args=()
  [[ -n "${STRATALINT_E2E_RUST_HOOK:-}" ]] && args+=(--with-rust-hook)
  bash "$ROOT/scripts/e2e-pre-commit.sh" "${args[@]}"
}

# --- dispatcher -----------------------------------------------------------------------------------

run_all() {
  build
  local failed=() missing=() check rc
  for check in "${CHECKS[@]}"; do
    # Each check in its own process, so one failing or missing tool does not hide the others.
    rc=0
    STRATALINT_E2E_BUILT=1 bash "$ROOT/scripts/e2e.sh" "$check" || rc=$?
    case $rc in
      0) ;;
      3) missing+=("$check") ;;
      *) failed+=("$check") ;;
    esac
  done
  say "summary"
  echo "passed:      $(( ${#CHECKS[@]} - ${#failed[@]} - ${#missing[@]} )) of ${#CHECKS[@]}"
  [[ ${#missing[@]} -eq 0 ]] || echo "NOT RUN (tool unavailable): ${missing[*]}"
  [[ ${#failed[@]} -eq 0 ]] || echo "FAILED:      ${failed[*]}"
  [[ ${#failed[@]} -eq 0 ]] || exit 1
  [[ ${#missing[@]} -eq 0 ]] || exit 3
  echo "all e2e checks passed"
}

usage() {
  sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'
}

what="${1:-all}"
case "$what" in
  all) run_all ;;
  sarif | rust-analyzer | pre-commit)
    [[ -n "${STRATALINT_E2E_BUILT:-}" ]] || build
    "check_${what//-/_}"
    ;;
  -h | --help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
