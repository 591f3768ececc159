#!/usr/bin/env bash
# End-to-end: stratalint's hooks run by the real pre-commit (PyPI) in a temporary git repository.
# A commit that adds a violation fails; a commit of clean files passes; a file pre-commit passes is
# linted with the whole project as context (a finding that needs another, unstaged file). The
# `system` hook is always tested; the `rust` hook (which builds stratalint with `cargo install`) with
# `--with-rust-hook`, on a failing and on a clean file.
# Exit codes: 0 passed, 1 a check failed, 3 pre-commit could not be installed (pip is tried 3 times,
# $STRATALINT_E2E_RETRY_DELAY seconds apart, default 5).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
with_rust_hook=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "pre-commit e2e: FAIL: $*" >&2; exit 1; }

venv="${STRATALINT_E2E_CACHE:-$HOME/.cache/stratalint-e2e}/pre-commit-venv"
install_pre_commit() {
  local attempt
  for attempt in 1 2 3; do
    python3 -m venv "$venv" && "$venv/bin/pip" install -q pre-commit && return 0
    if [ "$attempt" -lt 3 ]; then
      echo "pre-commit e2e: attempt $attempt of 3 to install pre-commit failed; retrying" >&2
      sleep "${STRATALINT_E2E_RETRY_DELAY:-5}"
    fi
  done
  return 1
}
if [ ! -x "$venv/bin/pre-commit" ]; then
  install_pre_commit || { echo "pre-commit e2e: cannot install pre-commit, 3 attempts (network?)" >&2; exit 3; }
fi
precommit="$venv/bin/pre-commit"
"$precommit" --version

(cd "$repo" && cargo build --quiet --locked --bin stratalint) || fail "cannot build stratalint"
export PATH="$repo/target/debug:$PATH"
# pre-commit clones the hook repository at a commit: use the current HEAD of this repository
rev=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain -- .pre-commit-hooks.yaml)" ]; then
  fail ".pre-commit-hooks.yaml has uncommitted changes; pre-commit reads it from HEAD"
fi

project="$work/project"
mkdir -p "$project/src/services"
cd "$project"
git init -q
git config user.email e2e@example.com
git config user.name e2e
cat > Cargo.toml <<'TOML'
[package]
name = "e2e"
version = "0.1.0"
edition = "2021"
TOML
printf 'pub mod services;\npub mod util;\n' > src/lib.rs
printf 'pub mod clean;\npub mod report;\npub mod slow;\n' > src/services/mod.rs
# a sync helper that blocks, in a file no commit below touches: async code calling it is only a
# finding (blocking-call-via-sync-fn) when the hook sees the whole project, not just staged files
printf 'pub fn settle() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n' > src/util.rs
printf 'pub async fn ok() -> u8 {\n    1\n}\n' > src/services/clean.rs
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: stratalint-system
YAML
git add -A && git commit -qm "initial" --no-verify
"$precommit" install >/dev/null || fail "pre-commit install"

# 1. a clean change commits
printf 'pub async fn ok() -> u8 {\n    2\n}\n' > src/services/clean.rs
git add -A
out=$(git commit -qm "clean change" 2>&1) || fail "a clean commit was rejected:\n$out"
echo "ok: a clean commit passes"

# 2. a violation fails the commit, with the finding in the output
printf 'pub async fn slow() {\n    std::thread::sleep(std::time::Duration::from_secs(1));\n}\n' > src/services/slow.rs
printf 'pub async fn report() {\n    crate::util::settle();\n}\n' > src/services/report.rs
git add -A
if out=$(git commit -qm "violation" 2>&1); then fail "a commit with a violation passed:\n$out"; fi
echo "$out" | grep -q "src/services/slow.rs:2:5: error\[blocking-call-in-async\]" || fail "the finding is not in the output:\n$out"
echo "ok: a commit with a violation fails and shows the finding"
echo "$out" | grep -q "src/services/report.rs:2:5: error\[blocking-call-via-sync-fn\]" ||
  fail "the cross-file finding (helper in src/util.rs, not staged) is not in the output:\n$out"
echo "$out" | grep -q "src/util.rs" && fail "a file pre-commit did not pass is reported:\n$out"
echo "ok: the staged file is linted with the project as context (blocking-call-via-sync-fn)"

# 3. an excluded file passed by pre-commit stays excluded (--force-exclude)
printf '[files]\nexclude = ["src/services/slow.rs", "src/services/report.rs"]\n' > stratalint.toml
git add -A
out=$(git commit -qm "excluded violation" 2>&1) || fail "an excluded file was checked:\n$out"
echo "ok: excludes apply to files pre-commit passes"

# 4. the rust hook, built by pre-commit with cargo (slow: a release build). A config of its own and a
# pre-commit home in $work (as `try-repo` would, but built once for both runs below), without the
# debug build on PATH so the hook's own build is what runs.
if [ "$with_rust_hook" = "--with-rust-hook" ]; then
  git rm -q --cached stratalint.toml && rm stratalint.toml
  printf 'pub async fn slow2() {\n    std::thread::sleep(std::time::Duration::from_secs(2));\n}\n' >> src/services/slow.rs
  git add -A
  cat > "$work/rust-hook.yaml" <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: stratalint
YAML
  rust_hook() { # files...
    PRE_COMMIT_HOME="$work/pre-commit-home" PATH="${PATH#"$repo/target/debug:"}" \
      "$precommit" run -c "$work/rust-hook.yaml" stratalint --files "$@" 2>&1
  }
  if out=$(rust_hook src/services/slow.rs); then
    fail "the rust hook passed a violation:\n$out"
  fi
  echo "$out" | grep -q "error\[blocking-call-in-async\]" || fail "the rust hook did not report the finding:\n$out"
  echo "ok: the language: rust hook builds stratalint and fails on the violation"
  out=$(rust_hook src/services/clean.rs) || fail "the rust hook failed a clean file:\n$out"
  echo "$out" | grep -q "^stratalint\.*Passed" || fail "the rust hook did not run on the clean file:\n$out"
  echo "ok: the language: rust hook passes a clean file"
fi
echo "pre-commit e2e: PASS"
