#!/usr/bin/env bash
# Smoke test of exactly what `make run` starts: scripts/run-local brings the local consortium up
# (5 validators, 1 observer, separate processes), a transaction submitted to one node commits on
# every node, and an interrupt stops every process cleanly.
# Usage: tests/run_local_smoke.sh BUILD_DIR
set -euo pipefail
build_dir=$(cd "${1:?build dir}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/rightchain-smoke-XXXXXX)
log="$work/run-local.log"
rightchain="$build_dir/src/cli/rightchain"
cleanup() {
  [ -n "${runner:-}" ] && kill -INT "$runner" 2>/dev/null || true
  "$rightchain" net down --dir "$work/consortium" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# Any failing command names itself, its exit status (above 128: killed by that signal minus 128)
# and the consortium's own log, so that a rare failure in CI can be read after the fact.
on_error() {
  local status=$? line=$1
  trap - ERR
  echo "smoke test: line $line failed with exit status $status"
  [ -f "$log" ] && { echo "--- run-local log:"; tail -40 "$log"; }
  for node_log in "$work"/consortium/node-*/node.log; do
    [ -f "$node_log" ] && { echo "--- $node_log (last lines):"; tail -15 "$node_log"; }
  done
}
trap 'on_error $LINENO' ERR

# A background job of a script starts with SIGINT ignored; restore it (perl) so that the
# interrupt below reaches run-local as a Ctrl-C from a terminal would.
BUILD_DIR="$build_dir" RIGHTCHAIN_DIR="$work/consortium" SUITE=std BASE_PORT=27600 API_BASE_PORT=9600 \
  setsid perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' "$root/scripts/run-local" >"$log" 2>&1 &
runner=$!
for _ in $(seq 1 180); do
  grep -q "Rightchain is running" "$log" && break
  if ! kill -0 "$runner" 2>/dev/null; then echo "run-local exited early:"; cat "$log"; exit 1; fi
  sleep 1
done
grep -q "Rightchain is running" "$log" || { echo "run-local did not come up:"; cat "$log"; exit 1; }
echo "consortium is up"
urls=$(grep -o 'http://127.0.0.1:96[0-9][0-9]' "$log" | sort -u)
[ "$(echo "$urls" | wc -l)" -eq 6 ] || { echo "expected 6 API URLs:"; cat "$log"; exit 1; }

# Submit a signed note to the first node and wait until every node reports it committed.
first=$(echo "$urls" | head -1)
id=$("$rightchain" note --node "$first" "smoke test note")
echo "submitted $id"
for url in $urls; do
  for _ in $(seq 1 60); do
    curl -sf "$url/v1/transactions/$id" | grep -q '"committed"' && break
    sleep 1
  done
  curl -sf "$url/v1/transactions/$id" | grep -q '"committed"' || { echo "not committed at $url"; exit 1; }
done
echo "committed on every node"
# The block that holds it is the same block everywhere (its header commits to the log root).
height=$(curl -sf "$first/v1/transactions/$id" | grep -o '"height":[0-9]*' | cut -d: -f2)
hashes=$(for url in $urls; do curl -sf "$url/v1/blocks/$height" | grep -o '"hash":"[0-9a-f]*"'; done | sort -u)
[ "$(echo "$hashes" | wc -l)" -eq 1 ] || { echo "nodes disagree on block $height: $hashes"; exit 1; }
roots=$(for url in $urls; do curl -sf "$url/v1/blocks/$height" | grep -o '"log_root":"[0-9a-f]*"'; done | sort -u)
[ "$(echo "$roots" | wc -l)" -eq 1 ] || { echo "nodes disagree on the log root: $roots"; exit 1; }
echo "identical block $height and log root on every node"

kill -INT -- "-$runner"
for _ in $(seq 1 30); do kill -0 "$runner" 2>/dev/null || break; sleep 1; done
if kill -0 "$runner" 2>/dev/null; then echo "run-local did not stop"; exit 1; fi
runner=
for pidfile in "$work"/consortium/node-*/rightchaind.pid; do
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && { echo "a node still runs: $pidfile"; exit 1; }
done
echo "stopped cleanly"
