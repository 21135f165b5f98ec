#!/usr/bin/env bash
# Platform benchmark: `./crm up` time (services' start to all ready), each service's resident memory idle
# against a JVM with the same flags that does nothing (baseline, same run), and each service's peak
# memory under load: loading a generated demo shop of N customers through the gateway, as
# `./crm up --demo` does (customer batches, opt-outs, the generic CSV import, events, scoring resync
# and run, segments, a campaign launch), timed.
#   bench/platform/run.sh [--settle SECONDS] [--demo-customers N] [--port-base P]
#   (N = 0: idle only; default 2000)
# Starts its own platform on ports 28080-28084 (or the first free range of five above, in steps of
# 10; --port-base to choose) with state in target/bench-platform and databases
# crm_bench_platform_* (never touches a platform you run on 8080), then stops it. Prints BENCH-RESULT lines
# for bench/run.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
settle=20
demo=2000
port_base=""
while [ $# -gt 0 ]; do
  case "$1" in
    --settle) settle="$2"; shift 2 ;;
    --demo-customers) demo="$2"; shift 2 ;;
    --port-base) port_base="$2"; shift 2 ;;
    *) echo "usage: bench/platform/run.sh [--settle SECONDS] [--demo-customers N] [--port-base P]" >&2; exit 2 ;;
  esac
done
state="$root/target/bench-platform"
taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The platform of this checkout's earlier run is stopped first (it may hold the range it used).
if [ -f "$state/bench-port-base" ]; then
  CRM_SKIP_BUILD=1 "$root/crm" down --port-base "$(cat "$state/bench-port-base")" --state-dir "$state" \
    --db-prefix crm_bench_platform_ >/dev/null 2>&1 || true
fi
if [ -z "$port_base" ]; then
  port_base=28080
  while taken $port_base || taken $((port_base + 1)) || taken $((port_base + 2)) || taken $((port_base + 3)) \
      || taken $((port_base + 4)); do
    port_base=$((port_base + 10))
  done
fi
mkdir -p "$state" && echo "$port_base" > "$state/bench-port-base"
opts=(--port-base "$port_base" --state-dir "$state" --db-prefix crm_bench_platform_)
services=(gateway customer-service order-service scoring-service campaign-service)
mkdir -p "$state" "$root/target"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
result() { printf 'BENCH-RESULT\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@"; }

# Baseline: an idle JVM with the launcher's flags.
javac -d "$state/idle" "$root/bench/platform/Idle.java"
java -Xmx200m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$state/idle" Idle & idle=$!
trap 'kill $idle 2>/dev/null || true; CRM_SKIP_BUILD=1 "$root/crm" down "${opts[@]}" >/dev/null 2>&1 || true' EXIT

# A clean start: the platform of an earlier run stopped, its demo shop's databases emptied.
CRM_SKIP_BUILD=1 "$root/crm" down "${opts[@]}" >/dev/null 2>&1 || true
for db in customer order scoring campaign gateway; do
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS crm_bench_platform_$db WITH (FORCE)" >/dev/null
done
rm -f "$state/demo-key"

start=$(date +%s.%N)
CRM_SKIP_BUILD=1 "$root/crm" up "${opts[@]}" > "$state/up.out"
end=$(date +%s.%N)
up_s=$(echo "$end - $start" | bc)
sleep "$settle"

base=$(rss_kb $idle)
declare -A idle_kb
printf '\n%-18s %10s %10s\n' "process" "RSS (MB)" "x baseline"
printf '%-18s %10.0f %10s\n' "idle JVM" "$(echo "$base/1024" | bc -l)" "1.00"
total=0
for svc in "${services[@]}"; do
  pid=$(head -n 1 "$state/run/$svc.pid")
  kb=$(rss_kb "$pid")
  idle_kb[$svc]=$kb
  total=$((total + kb))
  printf '%-18s %10.0f %10.2f\n' "$svc" "$(echo "$kb/1024" | bc -l)" "$(echo "$kb/$base" | bc -l)"
done
printf '%-18s %10.0f\n' "all five" "$(echo "$total/1024" | bc -l)"
printf '\n./crm up (build skipped, databases created): %.1f s   machine: %s cores, load %s\n' \
  "$up_s" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"

result platform.up "\`./crm up\`, build skipped, fresh databases, five services to ready" "local PostgreSQL" \
  "$up_s" s "" "(reported)" ""
for svc in "${services[@]}"; do
  result "platform.rss.idle.$svc" "RSS of $svc, idle ${settle} s after \`./crm up\`" "idle" \
    "$(echo "${idle_kb[$svc]}/1024" | bc -l)" MB "$(echo "$base/1024" | bc -l)" "(reported)" ""
done
result platform.rss.idle.total "RSS of all five services, idle" "idle" "$(echo "$total/1024" | bc -l)" MB \
  "$(echo "5*$base/1024" | bc -l)" "(reported)" ""

if [ "$demo" -gt 0 ]; then
  echo
  echo "Under load: loading a generated demo shop of $demo customers through the gateway ..."
  start=$(date +%s.%N)
  CRM_SKIP_BUILD=1 "$root/crm" up --demo --demo-customers "$demo" "${opts[@]}" | sed -n '/Loading the demo shop/,/Demo shop loaded/p'
  end=$(date +%s.%N)
  demo_s=$(echo "$end - $start" | bc)
  printf '\n%-18s %10s %10s %10s\n' "process" "idle (MB)" "peak (MB)" "now (MB)"
  peak_total=0
  for svc in "${services[@]}"; do
    pid=$(head -n 1 "$state/run/$svc.pid")
    hwm=$(hwm_kb "$pid"); now=$(rss_kb "$pid")
    peak_total=$((peak_total + hwm))
    printf '%-18s %10.0f %10.0f %10.0f\n' "$svc" "$(echo "${idle_kb[$svc]}/1024" | bc -l)" \
      "$(echo "$hwm/1024" | bc -l)" "$(echo "$now/1024" | bc -l)"
    result "platform.rss.load.$svc" "peak RSS of $svc while a demo shop loads (VmHWM)" "$demo customers" \
      "$(echo "$hwm/1024" | bc -l)" MB "$(echo "${idle_kb[$svc]}/1024" | bc -l)" "(reported; baseline: idle)" ""
  done
  printf 'demo shop of %s customers loaded through the gateway in %.1f s\n' "$demo" "$demo_s"
  result platform.rss.load.total "peak RSS of all five services while a demo shop loads" "$demo customers" \
    "$(echo "$peak_total/1024" | bc -l)" MB "$(echo "$total/1024" | bc -l)" "(reported; baseline: idle)" ""
  result platform.demo "\`./crm up --demo\`: generate and load a shop through the gateway, score, segment, launch" \
    "$demo customers" "$demo_s" s "" "(reported)" ""
fi
