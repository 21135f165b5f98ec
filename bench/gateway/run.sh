#!/usr/bin/env sh
# Compiles and runs GatewayBench.java (with bench/common): GET customer by id direct vs through the gateway. Smoke: run.sh --seconds 3
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=$(find "${HOME}/.m2/repository/org/postgresql/postgresql" -name 'postgresql-*.jar' 2>/dev/null | sort -V | tail -1)
if [ -z "$jar" ]; then
  echo "PostgreSQL JDBC driver not found in ~/.m2: build the project once (./mvnw -q package -pl customer-service,gateway -am -DskipTests)" >&2
  exit 1
fi
cd "$here/../.."
classes="target/bench-classes/gateway"   # the benchmark and bench/common/BenchSupport.java, compiled
rm -rf "$classes" && mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$jar" "$here/../common/BenchSupport.java" "$here/GatewayBench.java"
exec java -cp "$classes:$jar" GatewayBench "$@"
