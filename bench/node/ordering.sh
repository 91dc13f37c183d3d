#!/usr/bin/env bash
# The ordering path alone (docs/benchmarks.md): the same local-consortium load as throughput.sh,
# against a benchmark build whose nodes do not check transaction signatures
# (-DRIGHTCHAIN_BENCH_UNSIGNED=ON), so consensus, networking and the synced RocksDB writes are
# what is timed. The build goes to build/bench-unsigned; only the node, the CLI and crypto_bench
# are built (the other objects come from the compiler cache).
# Usage: bench/node/ordering.sh "RATE…" [VALIDATORS] [SECONDS] [BATCH] [BLOCK_INTERVAL_MS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rates=${1:?rates, e.g. "10000 20000"}
validators=${2:-4}
build_dir="$root/build/bench-unsigned"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRIGHTCHAIN_BENCH_UNSIGNED=ON >/dev/null
cmake --build "$build_dir" --target rightchain rightchaind crypto_bench >/dev/null
"$root/bench/node/throughput.sh" "$build_dir" std "$validators" "$rates" "${3:-10}" "${4:-1000}" "${5:-1000}"
