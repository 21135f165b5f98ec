#!/usr/bin/env bash
# Sustained load through the gateway: capacity of a mixed read/write workload (closed loop), then an open
# model at half of it for 60 s; p50/p95/p99 per operation and overall, failed requests, and every
# acknowledged write read back afterwards (SustainedLoadBench.java, with bench/common).
#   bench/sustained/run.sh [--seconds 60] [--capacity-seconds 20] [--warmup 10] [--fraction 0.5]
#                          [--concurrency 16] [--customers 200] [--port-base P]
# Starts its own platform with `./crm up` on ports 28180-28184 (or the first free range of five above, in
# steps of 10; --port-base to choose), state in target/bench-sustained, fresh databases crm_bench_sustained_*
# (never touches a platform on 8080 or bench/platform's), and stops it afterwards. Exit status 1 when a request
# failed or an acknowledged write was not found. Prints BENCH-RESULT lines for bench/run.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
port_base=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port-base) port_base="$2"; shift 2 ;;
    --*=*) args+=("${1#--}"); shift ;;
    --*) args+=("${1#--}=$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
state="$root/target/bench-sustained"
taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -f "$state/bench-port-base" ]; then   # this checkout's earlier run, if it was left running
  CRM_SKIP_BUILD=1 "$root/crm" down --port-base "$(cat "$state/bench-port-base")" --state-dir "$state" \
    --db-prefix crm_bench_sustained_ >/dev/null 2>&1 || true
fi
if [ -z "$port_base" ]; then
  port_base=28180
  while taken $port_base || taken $((port_base + 1)) || taken $((port_base + 2)) || taken $((port_base + 3)) \
      || taken $((port_base + 4)); do
    port_base=$((port_base + 10))
  done
fi
mkdir -p "$state" && echo "$port_base" > "$state/bench-port-base"
opts=(--port-base "$port_base" --state-dir "$state" --db-prefix crm_bench_sustained_)
key="crm_bench-sustained-admin-key-not-for-production"
trap 'CRM_SKIP_BUILD=1 "$root/crm" down "${opts[@]}" >/dev/null 2>&1 || true' EXIT

for db in customer order scoring campaign gateway; do
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS crm_bench_sustained_$db WITH (FORCE)" >/dev/null
done
echo "starting the platform on ports $port_base-$((port_base + 4)) (load $(cut -d' ' -f1-3 /proc/loadavg)) ..."
CRM_SKIP_BUILD=1 CRM_BOOTSTRAP_ADMIN_KEY="$key" "$root/crm" up "${opts[@]}" > "$state/up.out"

classes="$root/target/bench-classes/sustained"   # the benchmark and bench/common/BenchSupport.java, compiled
rm -rf "$classes" && mkdir -p "$classes"
javac -nowarn -d "$classes" "$root/bench/common/BenchSupport.java" "$root/bench/sustained/SustainedLoadBench.java"
java -cp "$classes" SustainedLoadBench "gateway=http://127.0.0.1:$port_base" "platform-key=$key" "${args[@]}"
