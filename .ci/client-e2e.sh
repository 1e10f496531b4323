#!/usr/bin/env bash
# A partner's generated client against the packaged service (target/quarkus-app) on its embedded default:
# .ci/java-client generates a Java client from openapi/openapi.yaml, checks that its strict JSON rules refuse
# responses that differ from the document, and runs the API tour (docs/api-tour.md) through it (create, get, patch
# with If-Match, next cursor, tag, touchpoint, problem bodies as the client's error type).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
DATA=$(mktemp -d)
PORT=${E2E_PORT:-18096}
BASE="http://127.0.0.1:$PORT"
LOG="$DATA/service.log"
PID=
. .ci/lib.sh
KEY=$(random_api_key)

cleanup() {
  set +e
  stop_service
  rm -rf "$DATA"
}
trap cleanup EXIT

check "service starts on the embedded default" start_service

tour() { # generate, compile, StrictJsonTest, then ApiTourTest against the service
  local started=$SECONDS rc=0
  ./mvnw -B -f .ci/java-client/pom.xml verify -Dcrm.baseUrl="$BASE" -Dcrm.apiKey="$KEY" || rc=$?
  echo "     client build and tour: $((SECONDS - started)) s"
  [ "$rc" = 0 ] || { echo "     service log (last lines, cut):"; tail -30 "$LOG" | cut -c1-300; return 1; }
}
[ "$failed" = 0 ] && check "a Java client generated from openapi/openapi.yaml runs the API tour (docs/api-tour.md)" tour

echo "client-e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
