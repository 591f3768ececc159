#!/bin/sh
# Seed the fuzzers' corpora (fuzz/corpus/, not committed) from the repository:
#   check_file: every .rs, .sql and .py file under fixtures/
#   config:     every .toml file under fixtures/ (stratalint.toml and the Cargo.toml files, some
#               with a [package.metadata.stratalint] table), and the ```toml blocks of README.md
#               and of the rule pages (rules/**/*.md: the rule options)
# Files are named by the hash of their content, as libFuzzer names its own.
set -eu
cd "$(dirname "$0")/.."
seed() {
    mkdir -p "fuzz/corpus/$1"
    while IFS= read -r f; do
        cp "$f" "fuzz/corpus/$1/$(sha1sum <"$f" | cut -c1-40)"
    done
}
find fixtures -type f \( -name '*.rs' -o -name '*.sql' -o -name '*.py' \) | seed check_file
find fixtures -type f -name '*.toml' | seed config
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for md in README.md $(find rules -name '*.md'); do
    awk -v dir="$tmp" -v base="$(echo "$md" | tr / _)" '
        /^```toml/ { n++; out = dir "/" base "." n; inside = 1; next }
        /^```/ { inside = 0; next }
        inside { print > out }
    ' "$md"
done
find "$tmp" -type f | seed config
echo "check_file: $(ls fuzz/corpus/check_file | wc -l) inputs, config: $(ls fuzz/corpus/config | wc -l) inputs"
