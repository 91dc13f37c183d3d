#!/usr/bin/env bash
# Catch-up (docs/benchmarks.md): a validator is down while the others commit TRANSACTIONS note
# transactions, then comes back; the rate is the transactions it applied ÷ the seconds from its
# restart until it reached the others' height (it fetches the blocks with their commit
# certificates and does not check the transactions' signatures again).
# Usage: bench/node/catchup.sh BUILD_DIR SUITE [TRANSACTIONS] [RATE]
set -euo pipefail
build_dir=$(cd "${1:?build dir}" && pwd)
suite=${2:?std or sm}
transactions=${3:-100000}
rate=${4:-2500}
cli="$build_dir/src/cli/rightchain"
daemon="$build_dir/src/node/rightchaind"
directory=$(mktemp -d)
trap '"$cli" net down --dir "$directory" >/dev/null 2>&1 || true; rm -rf "$directory"' EXIT
base_port=$((34200 + ($$ % 50) * 20))
"$cli" net init --dir "$directory" --suite "$suite" --validators 4 --observers 0 \
  --base-port "$base_port" --api-base-port $((base_port + 10)) >/dev/null
"$cli" net up --dir "$directory" --rightchaind "$daemon" >/dev/null
height() { curl -s "http://127.0.0.1:$1/v1/status" | jq '.height'; }

kill -KILL "$(cat "$directory/node-3/rightchaind.pid")"
rm -f "$directory/node-3/rightchaind.pid"
down_height=$(height $((base_port + 10)))
seconds=$(( (transactions + rate - 1) / rate ))
"$cli" load --dir "$directory" --rate "$rate" --seconds "$seconds" --submitters 8 --batch-size 100 \
  --expiry-heights 1000 --wait-seconds 120 --json >"$directory/load.json" 2>/dev/null || true
committed=$(jq '.committed' "$directory/load.json")
target=$(height $((base_port + 10)))

start=$(date +%s.%N)
"$cli" net up --dir "$directory" --rightchaind "$daemon" >/dev/null
until [ "$(height $((base_port + 13)) 2>/dev/null || echo 0)" -ge "$target" ] 2>/dev/null; do sleep 0.2; done
end=$(date +%s.%N)
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s: node-3 down from height %s; %s transactions committed up to height %s; caught up in %.1f s (restart included): %.0f tx/s\n' \
  "$suite" "$down_height" "$committed" "$target" "$elapsed" "$(awk -v c="$committed" -v e="$elapsed" 'BEGIN { print c / e }')"
