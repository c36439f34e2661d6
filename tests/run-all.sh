#!/usr/bin/env bash
# Runs every test and check, in order, and ends with one line: 'tests: N passed, M failed'.
# Called by './run test' after set-up and build (dist/ must exist).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
logs=target/test-logs
mkdir -p "$logs"
passed=0
failed=0
broken=()

count() { # sums the runners' own counts from a log
  local log=$1 p f
  p=$(grep -hoE '[0-9]+ passed' "$log" | awk '{s+=$1} END {print s+0}')
  f=$(grep -hoE '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
  local np nf
  np=$(grep -hE '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
  nf=$(grep -hE '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
  echo $((p + np)) $((f + nf))
}

step() { # step NAME COUNTED|CHECK COMMAND...
  local name=$1 kind=$2
  shift 2
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  if [ "$kind" = counted ]; then
    read -r p f < <(count "$logs/$name.log")
    passed=$((passed + p))
    failed=$((failed + f))
    # A runner that failed without counting a failure (a build error) still fails the run.
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
  elif [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  [ "$rc" -eq 0 ] || broken+=("$name")
}

step fmt check cargo fmt --all --check
step clippy check cargo clippy --all-targets --locked -- -D warnings
# wasm.rs, the binding file, only exists for wasm32.
step clippy-wasm check cargo clippy --target wasm32-unknown-unknown --lib --test wasm --locked -- -D warnings
step cargo-test counted cargo test --locked
# The columnar importer (a workspace member with a query engine): built, linted and tested once.
step clippy-columnar check cargo clippy -p contract-lens-columnar --all-targets --locked -- -D warnings
step columnar-test counted cargo test -p contract-lens-columnar --locked
step wasm-test counted env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --target wasm32-unknown-unknown --test wasm
step js-lint check biome ci
step js-types check tsc -p tsconfig.json
step js-unit counted node tests/unit/run.mjs
step build-output counted node --test tests/build.test.mjs
# The same spans from the native command line and the WebAssembly core.
step native-vs-wasm counted node --test tests/spans.test.mjs
step web-ext-lint check web-ext lint --source-dir dist/firefox --warnings-as-errors
# One scenarios file (tests/e2e/scenarios.mjs), one driver per browser.
step e2e counted node --test --test-concurrency=1 tests/e2e/chromium.test.mjs tests/e2e/firefox.test.mjs

printf '\n'
if ((${#broken[@]})); then
  printf 'failed steps: %s\n' "${broken[*]}"
fi
printf 'tests: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ] && [ "${#broken[@]}" -eq 0 ]
