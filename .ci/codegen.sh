#!/usr/bin/env bash
# Typed operations as a front-end team gets them, against the packaged service (target/quarkus-app) on its embedded
# default: GraphQL Code Generator (pinned in .ci/tools, configured by .ci/frontend/codegen.cjs) generates TypeScript
# types for the schema and for the screen's operation in .ci/frontend/ twice, from the committed
# graphql/schema.graphql and from the live /graphql by introspection (with an admin API key), and tsc --strict
# compiles the screen's code against each. The operation's types are the same from both.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
[ -d .ci/tools/node_modules/@graphql-codegen/cli ] || npm ci --prefix .ci/tools --no-audit --no-fund
BIN=.ci/tools/node_modules/.bin
DATA=target/codegen-data
OUT=target/codegen
PORT=${CODEGEN_PORT:-18300}
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

rm -rf "$DATA" "$OUT" && mkdir -p "$DATA" "$OUT"

# typed <schema> <name>: $OUT/<name>/schema.ts and graphql.ts from <schema>, then the screen compiled against them
typed() {
  local dir="$OUT/$2"
  mkdir -p "$dir" && cp .ci/frontend/customer-screen.ts "$dir/"
  if ! CODEGEN_SCHEMA="$1" CODEGEN_OUT="$dir" CRM_API_KEY="$KEY" \
      "$BIN/graphql-codegen" --config .ci/frontend/codegen.cjs >"$dir/codegen.log" 2>&1; then
    cat "$dir/codegen.log" >&2
    return 1
  fi
  "$BIN/tsc" --noEmit --strict --target es2022 --lib es2022,dom --module esnext --moduleResolution bundler \
    "$dir/customer-screen.ts" "$dir/schema.ts"
}

check "types from the committed graphql/schema.graphql compile with tsc --strict" typed graphql/schema.graphql file
check "service starts on the embedded default" start_service
check "types from $BASE/graphql (introspection) compile with tsc --strict" typed "$BASE/graphql" endpoint
# (schema.ts differs in comments only: the typescript plugin documents a scalar from its SDL, not its introspection)
check "the file and the endpoint give the operation the same types" \
  diff -u "$OUT/file/graphql.ts" "$OUT/endpoint/graphql.ts"

echo "codegen: $passed passed, $failed failed"
[ "$failed" = 0 ]
