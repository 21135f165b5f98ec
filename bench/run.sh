#!/usr/bin/env bash
# Every benchmark in bench/ at one scale, and the results into docs/BENCHMARKS.md (a generated section
# with the machine and the command) and PNG charts under docs/bench/.
#
#   bench/run.sh [--scale 10k|100k|1m]        one run (default 1m, the full scale; 10k is the smoke run, a few minutes)
#   bench/run.sh --curve [10k,100k,1m]        the same at each scale, then the cost-growth curve
#   bench/run.sh --only order-import,gateway  a subset (names of the bench/ folders)
#   bench/run.sh --report-only [--scale S | --curve L]   rewrite the docs from the last results
#
# Results and every benchmark's log: target/bench-results/SCALE/. See bench/README.md.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scale=1m
curve=""
only=""
report_only=0
command="bench/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --curve) if [ $# -gt 1 ] && [[ "$2" != --* ]]; then curve="$2"; shift 2; else curve="10k,100k,1m"; shift; fi ;;
    --only) only="$2"; shift 2 ;;
    --report-only) report_only=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

customers_of() {
  case "$1" in
    10k) echo 10000 ;;
    100k) echo 100000 ;;
    1m) echo 1000000 ;;
    *) echo "bench/run.sh: scale must be 10k, 100k or 1m (not '$1')" >&2; exit 2 ;;
  esac
}

# The arguments of each benchmark at a scale: its own database per scale (a benchmark reseeds when the size
# changes), 1m keeping the databases the benchmarks use by default (their seeds are reused).
bench_args() {
  local bench="$1" s="$2" n sfx
  n=$(customers_of "$s")
  sfx="_$s"; [ "$s" = 1m ] && sfx=""
  case "$bench" in
    platform)
      # the demo load waits for scoring-service's resync, ~100 order events/s on a loaded 2-core machine: 10,000
      # customers (27,500 orders) took 5.3 minutes there, so the load stays at the demo's scale
      case "$s" in 10k) echo "--settle 10 --demo-customers 2000" ;; 100k) echo "--settle 20 --demo-customers 5000" ;;
        *) echo "--settle 20 --demo-customers 10000" ;; esac ;;
    customer-batch)
      case "$s" in 10k) echo "customers=$n calls=10 warmup=2 db=crm_bench_customer$sfx" ;;
        100k) echo "customers=$n calls=20 warmup=3 db=crm_bench_customer$sfx" ;; *) echo "customers=$n" ;; esac ;;
    segment-count)
      case "$s" in 10k) echo "profiles=$n calls=10 warmup=2 db=crm_bench_campaign$sfx" ;;
        *) echo "profiles=$n db=crm_bench_campaign$sfx" ;; esac ;;
    # the generator's shop (rows/4 customers, ~rows CSV lines) rather than the bench's own synthetic CSV
    order-import) echo "--rows $n data=shop order-db=crm_bench_order$sfx customer-db=crm_bench_order_customers$sfx" ;;
    scoring-run) echo "--customers $n db=crm_bench_scoring$sfx" ;;
    campaign) echo "--profiles $n db=crm_bench_launch$sfx" ;;
    gateway)
      case "$s" in 10k) echo "--seconds 3 warmup=2" ;; 100k) echo "--seconds 10 warmup=5" ;; *) echo "--seconds 20" ;; esac ;;
    # order events into campaign-service, one per call against batches of 200 (as order-service sends them)
    campaign-events)
      case "$s" in 10k) echo "events=3000 db=crm_bench_campaign_events$sfx" ;;
        *) echo "events=10000 db=crm_bench_campaign_events$sfx" ;; esac ;;
    # a platform of its own; the smoke run holds the load 20 s, the others the full 60 s
    sustained)
      case "$s" in 10k) echo "--seconds 20 --capacity-seconds 10 --warmup 5" ;;
        *) echo "--seconds 60 --capacity-seconds 20 --warmup 10" ;; esac ;;
  esac
}

BENCHES=(platform customer-batch segment-count order-import scoring-run campaign gateway campaign-events sustained)

ensure_jars() {
  local missing=()
  for m in customer-service order-service scoring-service campaign-service gateway; do
    [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || missing+=("$m")
  done
  [ -f launcher/target/crm-launcher.jar ] || missing+=(launcher)
  if [ ${#missing[@]} -gt 0 ] || [ "${BENCH_BUILD:-0}" = 1 ]; then
    echo "Building the service jars and the launcher ..."
    ./mvnw -q -B -DskipTests package -pl customer-service,order-service,scoring-service,campaign-service,gateway,launcher -am
  fi
}

# XChart (Maven Central) for the PNG charts: the version the parent pom names, fetched once into ~/.m2.
xchart_jar() {
  local v jar
  v=$(sed -n 's:.*<xchart.version>\(.*\)</xchart.version>.*:\1:p' pom.xml)
  jar="$HOME/.m2/repository/org/knowm/xchart/xchart/$v/xchart-$v.jar"
  if [ ! -f "$jar" ]; then
    ./mvnw -q dependency:get -Dartifact="org.knowm.xchart:xchart:$v" -Dtransitive=false >&2
  fi
  echo "$jar"
}

report() {   # report run SCALE | report curve LIST
  local jar
  jar=$(xchart_jar)
  mkdir -p target/bench-classes/report
  javac -nowarn -d target/bench-classes/report -cp "$jar" bench/report/BenchReport.java &&
    java -Djava.awt.headless=true -cp "target/bench-classes/report:$jar" BenchReport "$1" target/bench-results "$2" \
      docs/BENCHMARKS.md docs/bench
}

run_scale() {
  local s="$1" out="target/bench-results/$1" began t0 rc
  customers_of "$s" >/dev/null || exit 2
  # a full run starts afresh; --only reruns some benchmarks and keeps the others' logs
  if [ -z "$only" ]; then rm -rf "$out"; fi
  mkdir -p "$out"
  began=$(date +%s)
  if [ -n "$only" ] && [ -f "$out/meta.properties" ]; then
    # a partial rerun keeps the run's machine and command, and says what was rerun when
    echo "rerun.$(date +%s)=$(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg): $command" \
      >> "$out/meta.properties"
  else
  {
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "command=$command"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "nproc=$(nproc)"
    echo "ram=$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)"
    echo "java=$(java -version 2>&1 | head -n 1 | sed 's/"//g')"
    echo "postgres=PostgreSQL $(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SHOW server_version' 2>/dev/null || echo '?')"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$out/meta.properties"
  fi
  for b in "${BENCHES[@]}"; do
    if [ -n "$only" ] && [[ ",$only," != *",$b,"* ]]; then
      continue
    fi
    # shellcheck disable=SC2046
    echo "=== $b (scale $s): bench/$b/run.sh $(bench_args "$b" "$s")"
    t0=$(date +%s)
    bash "bench/$b/run.sh" $(bench_args "$b" "$s") > "$out/$b.log" 2>&1
    rc=$?
    echo "$rc" > "$out/$b.rc"
    grep '^BENCH-RESULT' "$out/$b.log" | cut -f2,5,6,7,9 | sed 's/^/    /'
    echo "    ($(( $(date +%s) - t0 )) s, exit $rc, log $out/$b.log)"
  done
  : > "$out/results.tsv"
  sed -i '/^failed\./d' "$out/meta.properties"
  for b in "${BENCHES[@]}"; do
    [ -f "$out/$b.log" ] && grep '^BENCH-RESULT' "$out/$b.log" >> "$out/results.tsv"
    if [ -f "$out/$b.rc" ] && [ "$(cat "$out/$b.rc")" != 0 ]; then
      echo "failed.$b=$(cat "$out/$b.rc")" >> "$out/meta.properties"
    fi
  done
  if [ -z "$only" ]; then
    {
      echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
      echo "duration=$(( ($(date +%s) - began) / 60 )) min $(( ($(date +%s) - began) % 60 )) s"
    } >> "$out/meta.properties"
  fi
}

if [ $report_only = 0 ]; then
  ensure_jars
  if [ -n "$curve" ]; then
    for s in ${curve//,/ }; do run_scale "$s"; done
  else
    run_scale "$scale"
  fi
fi
# the latest run of every scale, the one just run first; the curve over every scale with results
if [ -n "$curve" ]; then
  report run "${curve##*,}" && report curve "$curve"
else
  report run "$scale" && report curve 10k,100k,1m
fi
echo "Wrote docs/BENCHMARKS.md and docs/bench/*.png"
