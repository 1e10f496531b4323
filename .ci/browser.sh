#!/usr/bin/env bash
# GraphQL and REST from a real browser on another origin: the packaged service (target/quarkus-app) on its embedded
# default, with CRM_CORS_ORIGINS allowing the page's origin; a static page served by .ci/browser/server.mjs on another
# port; Debian's Chromium, driven by puppeteer-core (pinned in .ci/tools), runs the page's steps (.ci/browser/app.js):
# (a) a query with fetch, the key in X-API-Key; REST setup of a campaign (preflighted PUT/POST, Location and ETag read);
# (b) a screen's operation with several root fields; (c) campaignProgress over graphql-transport-ws with graphql-ws's
# client, the key in connection_init's payload; and the same query from an origin the service does not allow.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
if ! command -v chromium >/dev/null; then
  sudo=; [ "$(id -u)" = 0 ] || ! command -v sudo >/dev/null || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
[ -d .ci/tools/node_modules/puppeteer-core ] && [ -d .ci/tools/node_modules/graphql-ws ] \
  || npm ci --prefix .ci/tools --no-audit --no-fund
DATA=target/browser-data
PORT=${BROWSER_PORT:-18292}
PAGE_PORT=${BROWSER_PAGE_PORT:-18293}
BASE="http://127.0.0.1:$PORT"
PAGE="http://127.0.0.1:$PAGE_PORT"
LOG="$DATA/service.log"
RESULTS="$DATA/results.json"
PID=
PAGE_PID=
. .ci/lib.sh
KEY=$(random_api_key)
export CRM_CORS_ORIGINS="$PAGE"

cleanup() {
  set +e
  stop_service
  [ -z "$PAGE_PID" ] || kill "$PAGE_PID" 2>/dev/null
}
trap cleanup EXIT

rm -rf "$DATA" && mkdir -p "$DATA"
check "service starts on the embedded default, allowing $PAGE" start_service
start_page() {
  PAGE_PORT="$PAGE_PORT" node .ci/browser/server.mjs >"$DATA/page.log" 2>&1 &
  PAGE_PID=$!
  wait_ready "$PAGE/" "$PAGE_PID" "$DATA/page.log" 10
}
check "the page is served from another origin" start_page

# localhost is another origin than 127.0.0.1 for the browser, and one the service was not told to allow
drive() {
  CRM_API_KEY="$KEY" node .ci/browser/drive.mjs "$(command -v chromium)" "$BASE" "$PAGE/" \
    "http://localhost:$PAGE_PORT/" >"$RESULTS" 2>"$DATA/browser.log"
}
check "Chromium ran the page (puppeteer-core)" drive

holds() { [ "$(json "($1)" <"$RESULTS" 2>/dev/null)" = True ]; } # a Python expression over the results, as d
check "(a) a query with fetch and X-API-Key: data, no errors, X-Request-Id readable" \
  holds "d['query']['status'] == 200 and 'errors' not in d['query']['body']
         and isinstance(d['query']['body']['data']['customers']['totalCount'], int) and bool(d['query']['requestId'])
         and d['query']['rateLimitRemaining'] is not None"
check "REST from the page: customers created (Location, ETag readable) and tagged, a campaign created" \
  holds "all(c['status'] == 201 and c['location'] and c['etag'] and c['assigned'] == 201 for c in d['rest']['customers'])
         and d['rest']['tag'] == 201 and d['rest']['campaign']['status'] == 201 and bool(d['rest']['campaign']['id'])"
check "(b) a screen's operation with customers, tags and touchpoints: data for each, no errors" \
  holds "d['screen']['status'] == 200 and 'errors' not in d['screen']['body']
         and all(d['screen']['body']['data'][f] is not None for f in ('customers', 'tags', 'touchpoints'))"
check "(c) campaignProgress over graphql-transport-ws, key in connection_init: acknowledged" \
  holds "d['subscription']['connected'] is True and d['subscription']['scheduled'] == 200"
check "(c) at least one next with progress and no errors, then complete" \
  holds "len(d['subscription']['next']) > 0 and d['subscription']['completed'] is True
         and all('errors' not in n and n['data']['campaignProgress'] for n in d['subscription']['next'])
         and d['subscription']['next'][-1]['data']['campaignProgress']['status'] == 'COMPLETED'"
check "an origin the service does not allow gets no answer in the browser" \
  holds "'answered' not in d['otherOrigin'] and 'Failed to fetch' in d['otherOrigin']['failure']"

if [ "$failed" != 0 ]; then
  echo "what the page found:"; python3 -m json.tool "$RESULTS" 2>/dev/null | head -150 || cat "$RESULTS"
  echo "browser log:"; tail -40 "$DATA/browser.log"
fi
echo "browser: $passed passed, $failed failed"
[ "$failed" = 0 ]
