#!/usr/bin/env bash
# Platform benchmark: `./crm up` time (services' start to all ready) and each service's resident
# memory idle, against a JVM with the same flags that does nothing (baseline, same run).
#   bench/platform/run.sh [--settle SECONDS]
# Starts its own platform on ports 28080-28084 with state in target/bench-platform and databases
# crm_bench_* (never touches a platform you run on 8080), then stops it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
settle=20
[ "${1:-}" = "--settle" ] && settle="$2"
state="$root/target/bench-platform"
opts=(--port-base 28080 --state-dir "$state" --db-prefix crm_bench_)
mkdir -p "$state" "$root/target"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# Baseline: an idle JVM with the launcher's flags.
javac -d "$state/idle" "$root/bench/platform/Idle.java"
java -Xmx256m -cp "$state/idle" Idle & idle=$!
trap 'kill $idle 2>/dev/null || true; CRM_SKIP_BUILD=1 "$root/crm" down "${opts[@]}" >/dev/null 2>&1 || true' EXIT

start=$(date +%s.%N)
CRM_SKIP_BUILD=1 "$root/crm" up "${opts[@]}" > "$state/up.out"
end=$(date +%s.%N)
up_s=$(echo "$end - $start" | bc)
sleep "$settle"

base=$(rss_kb $idle)
printf '\n%-18s %10s %10s\n' "process" "RSS (MB)" "x baseline"
printf '%-18s %10.0f %10s\n' "idle JVM" "$(echo "$base/1024" | bc -l)" "1.00"
total=0
for svc in gateway customer-service order-service scoring-service campaign-service; do
  pid=$(cat "$state/run/$svc.pid" | head -n 1)
  kb=$(rss_kb "$pid")
  total=$((total + kb))
  printf '%-18s %10.0f %10.2f\n' "$svc" "$(echo "$kb/1024" | bc -l)" "$(echo "$kb/$base" | bc -l)"
done
printf '%-18s %10.0f\n' "all five" "$(echo "$total/1024" | bc -l)"
printf '\n./crm up (build skipped, databases present or created): %.1f s   machine: %s cores, load %s\n' \
  "$up_s" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
