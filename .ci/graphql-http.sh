#!/usr/bin/env bash
# GraphQL-over-HTTP conformance of the packaged service (target/quarkus-app) on its embedded default: the
# graphql-http package's audit (pinned in .ci/tools) against /graphql, with an admin API key. Fails on any failed
# requirement, and on any unmet recommendation that .ci/graphql-audit.mjs does not explain as deliberate.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
[ -d .ci/tools/node_modules/graphql-http ] || npm ci --prefix .ci/tools --no-audit --no-fund
DATA=target/graphql-http-data
PORT=${GRAPHQL_HTTP_PORT:-18290}
BASE="http://127.0.0.1:$PORT"
LOG="$DATA/service.log"
PID=
. .ci/lib.sh
KEY=$(random_api_key)

cleanup() {
  set +e
  stop_service
}
trap cleanup EXIT

rm -rf "$DATA" && mkdir -p "$DATA"
check "service starts on the embedded default" start_service

audit() { CRM_API_KEY="$KEY" node .ci/graphql-audit.mjs "$BASE/graphql"; }
check "the GraphQL-over-HTTP audit has no failures and no unexplained warnings" audit

echo "graphql-http: $passed passed, $failed failed"
[ "$failed" = 0 ]
