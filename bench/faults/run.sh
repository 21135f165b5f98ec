#!/usr/bin/env sh
# The fault suite at full scale: e2e-tests' FaultToleranceTest with a 1,000,000-row import (scoring-
# and campaign-service killed a third of the way in), then PostgreSQL restarted under write load.
# Needs the services built (./mvnw -q install -DskipTests) and PostgreSQL server binaries under
# /usr/lib/postgresql (the test makes a cluster of its own). Usage: bench/faults/run.sh [rows]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rows=${1:-1000000}
cd "$here/../.."
exec ./mvnw -o verify -pl e2e-tests -Dit.test=FaultToleranceTest -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcrm.faults.rows="$rows"
