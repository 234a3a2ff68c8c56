#!/usr/bin/env bash
# Runs every benchmark scenario against an embedded Kafka broker and writes docs/benchmarks.md and
# docs/benchmarks.svg. Takes about 15 minutes on 2 cores. Extra arguments go to the harness, e.g.
#   benchmarks/run.sh --only P1,P4 --rounds 3
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=benchmarks/run-lib.sh
source benchmarks/run-lib.sh
ensure_wrk || echo "wrk could not be installed: P2 will report no native ceiling" >&2

mvn -B -ntp -q -DskipTests package -pl benchmarks -am
exec java -Xmx2g -XX:+UseG1GC -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.asyncagent.bench.BenchMain --out docs/benchmarks.md --command "benchmarks/run.sh" "$@"
