#!/usr/bin/env sh
# Runs CampaignBench.java with the PostgreSQL JDBC driver from the local Maven repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=$(find "${HOME}/.m2/repository/org/postgresql/postgresql" -name 'postgresql-*.jar' 2>/dev/null | sort -V | tail -1)
if [ -z "$jar" ]; then
  echo "PostgreSQL JDBC driver not found in ~/.m2: build the project once (./mvnw -q package -pl campaign-service -am -DskipTests)" >&2
  exit 1
fi
cd "$here/../.."
classes="target/bench-classes/campaign"   # the benchmark and bench/common/BenchSupport.java, compiled
rm -rf "$classes" && mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$jar" "$here/../common/BenchSupport.java" "$here/CampaignBench.java"
exec java -cp "$classes:$jar" CampaignBench "$@"
