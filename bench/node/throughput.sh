#!/usr/bin/env bash
# End-to-end throughput of a local consortium against its crypto bound, measured in one run
# (docs/benchmarks.md, "Node throughput"). Starts a fresh network of VALIDATORS real nodes on
# loopback, measures this machine's signing and verification rate for the suite's scheme, then
# offers each RATE for SECONDS with `rightchain load` and prints one Markdown row per rate:
#
#   crypto bound = cores ÷ (validators ÷ verifications-per-second-per-core + 1 ÷ signatures-per-second-per-core)
#
# (every node verifies every transaction once; the load generator signs each on the same cores).
# Usage: bench/node/throughput.sh BUILD_DIR SUITE VALIDATORS "RATE…" [SECONDS] [BATCH] [BLOCK_INTERVAL_MS]
set -euo pipefail
build_dir=$(cd "${1:?build dir}" && pwd)
suite=${2:?std or sm}
validators=${3:?validators}
rates=${4:?rates, e.g. "1000 4000"}
seconds=${5:-10}
batch=${6:-100}
interval=${7:-1000}
cli="$build_dir/src/cli/rightchain"
daemon="$build_dir/src/node/rightchaind"
scheme=$([ "$suite" = sm ] && echo 2 || echo 1)

directory=$(mktemp -d)
trap '"$cli" net down --dir "$directory" >/dev/null 2>&1 || true; rm -rf "$directory"' EXIT
base_port=$((33000 + ($$ % 50) * 20))
"$cli" net init --dir "$directory" --suite "$suite" --validators "$validators" --observers 0 \
  --block-interval-ms "$interval" --base-port "$base_port" --api-base-port $((base_port + 10)) >/dev/null
"$cli" net up --dir "$directory" --rightchaind "$daemon" >/dev/null

rate_of() {  # items_per_second of one crypto_bench benchmark
  "$build_dir/bench/crypto_bench" --benchmark_filter="^BM_$1/$scheme\$" --benchmark_min_time=0.5 \
    --benchmark_format=json | jq '.benchmarks[0].items_per_second'
}
sign=$(rate_of Sign)
verify=$(rate_of Verify)
cores=$(nproc)
bound=$(jq -n --argjson c "$cores" --argjson n "$validators" --argjson v "$verify" --argjson s "$sign" \
  '$c / ($n / $v + 1 / $s)')
echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'crypto (one core): %.0f signatures/s, %.0f verifications/s; bound %.0f tx/s\n' "$sign" "$verify" "$bound"
echo "| suite | validators | offered tx/s | submitted tx/s | committed tx/s | of bound | p50 ms | p99 ms |"
echo "|---|---|---|---|---|---|---|---|"
for rate in $rates; do
  report=$("$cli" load --dir "$directory" --rate "$rate" --seconds "$seconds" --submitters 8 \
    --batch-size "$batch" --expiry-heights 200 --wait-seconds 60 --json 2>/dev/null)
  echo "$report" | jq -r --arg suite "$suite" --argjson n "$validators" --argjson rate "$rate" \
    --argjson bound "$bound" \
    '"| \($suite) | \($n) | \($rate) | \(.submitted_per_second|floor) | **\(.committed_per_second|floor)** | \((100 * .committed_per_second / $bound)|floor) % | \(.latency_ms.p50|floor) | \(.latency_ms.p99|floor) |"'
done
