#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets: each identifier validator, and the application's
# decoder with validate_application) for SECONDS each (default 60), each corpus seeded from the
# rules crate's data-file corpus, and prints the executions and crashes of each. Not part of
# CI: run it before changing a validator and after.
#
#   scripts/fuzz.sh [SECONDS]
#
# Needs cargo-fuzz (installed from crates.io when missing) and a C++ compiler for libFuzzer;
# the sanitizer flags need RUSTC_BOOTSTRAP=1 on a stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${BEIAN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/beian}/target-fuzz

# Seeds: every value of the field corpus under its kind, every application of the
# application corpus.
python3 - <<'PY'
import json, hashlib, pathlib
root = pathlib.Path("fuzz/corpus")
def seed(target, data):
    d = root / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)
for case in json.load(open("crates/rules/corpus/fields.json"))["cases"]:
    if case.get("check") == "field":
        seed(case["kind"], case["value"].encode())
for case in json.load(open("crates/rules/corpus/applications.json"))["cases"]:
    if "application" in case:
        seed("application", json.dumps(case["application"], ensure_ascii=False).encode())
PY

printf '%-32s %14s %8s\n' target executions crashes
status=0
for target in $(cargo fuzz list --fuzz-dir fuzz); do
    mkdir -p "fuzz/corpus/$target"
    log=$(mktemp)
    if cargo fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 >"$log" 2>&1; then
        crashes=0
    else
        crashes=1
        status=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n1)
    printf '%-32s %14s %8s\n' "$target" "${runs:-?}" "$crashes"
    [ "$crashes" = 0 ] || { echo "--- $target:"; tail -n 30 "$log"; }
    rm -f "$log"
done
exit $status
