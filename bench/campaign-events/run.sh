#!/usr/bin/env sh
# Compiles and runs CampaignEventsBench.java (with bench/common): order events into campaign-service one per call
# against batches. Example: run.sh events=5000 batch=200 [app=/path/to/an/older/quarkus-app]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=$(find "${HOME}/.m2/repository/org/postgresql/postgresql" -name 'postgresql-*.jar' 2>/dev/null | sort -V | tail -1)
if [ -z "$jar" ]; then
  echo "PostgreSQL JDBC driver not found in ~/.m2: build the project once (./mvnw -q package -pl campaign-service -am -DskipTests)" >&2
  exit 1
fi
cd "$here/../.."
classes="target/bench-classes/campaign-events"   # the benchmark and bench/common/BenchSupport.java, compiled
rm -rf "$classes" && mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$jar" "$here/../common/BenchSupport.java" "$here/CampaignEventsBench.java"
exec java -cp "$classes:$jar" CampaignEventsBench "$@"
