#!/usr/bin/env bash
# Contract checks of the committed OpenAPI document (openapi/openapi.yaml, which ContractsTest keeps equal to what
# the service serves): Redocly's recommended ruleset with no error and no warning, and a TypeScript type
# generation (openapi-typescript) that must succeed. The tools are pinned in .ci/tools/package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh

npm ci --prefix .ci/tools --no-audit --no-fund --loglevel=error
BIN=.ci/tools/node_modules/.bin
OUT=target/contracts
mkdir -p "$OUT"

# Redocly exits 0 on warnings, so the JSON report's totals decide (the first run prints the problems readably)
lint() {
  "$BIN/redocly" lint --config .ci/tools/redocly.yaml openapi/openapi.yaml || true
  "$BIN/redocly" lint --config .ci/tools/redocly.yaml --format=json openapi/openapi.yaml >"$OUT/redocly.json" \
    2>/dev/null || true
  node -e '
    const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).totals;
    console.log(`Redocly: ${t.errors} errors, ${t.warnings} warnings, ${t.ignored} ignored`);
    process.exit(t.errors === 0 && t.warnings === 0 && t.ignored === 0 ? 0 : 1);' "$OUT/redocly.json"
}
check "Redocly lint (recommended): 0 errors, 0 warnings" lint

typescript() {
  "$BIN/openapi-typescript" openapi/openapi.yaml -o "$OUT/api.d.ts" && grep -q "upsertCustomerByExternalId" "$OUT/api.d.ts"
}
check "openapi-typescript generates the API's types ($OUT/api.d.ts)" typescript

echo "contracts: $passed passed, $failed failed"
[ "$failed" = 0 ]
