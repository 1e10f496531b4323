#!/usr/bin/env bash
# Customer lookup benchmark: raw SQL (pgbench) vs REST vs GraphQL, measured in one run on one machine.
#
# Starts the packaged service on its embedded PostgreSQL and Redis (fresh temporary data directory) with a random
# bootstrap admin API key and a rate limit too high to ever refuse, seeds customers, then measures the same
# primary-key lookup four ways, each with a warm-up that is not reported:
#   1. pgbench, prepared statement, straight against the service's embedded PostgreSQL  (reference)
#   2. wrk GET  /api/v1/customers/{id}   (X-API-Key; rate limiter on: one Redis EVALSHA per request)
#   3. wrk POST /graphql  customer(id)   (X-API-Key; rate limiter on)
#   4. wrk GET  /api/v1/customers/{id}   (X-API-Key; service restarted on the same data with the limiter off)
# Results are ratios (REST/SQL, GraphQL/REST, REST limiter on/off) because absolute numbers on a shared 2-core
# machine mean little. Also reports start-up time to ready and the service's resident memory after the runs.
#
# Usage: src/bench/customer-lookup.sh [--duration S] [--connections C] [--warmup S] [--max-warmup S]
#                                     [--customers N] [--build]
# Options: --duration S per measured run (15), --connections C (16), --warmup S minimum warm-up per endpoint
# (10; REST and GraphQL warm up in 5 s steps until the service's JIT compilers are quiet, at most --max-warmup,
# 45), --customers N rows to seed (2000), --build to rebuild the jar first (it is built when missing).
# Writes target/bench/customer-lookup.json (and the service's log next to it). See src/bench/README.md.
set -euo pipefail

DURATION=15
WARMUP=10            # minimum warm-up per endpoint (s); the service's warm-up goes on in 5 s steps while its JIT
MAX_WARMUP=45        # compilers are still busy (more than JIT_QUIET cores), up to MAX_WARMUP
JIT_QUIET=0.10
CONNECTIONS=16
CUSTOMERS=2000
BUILD=0
REST_TARGET=0.6      # REST req/s as a fraction of SQL tps
GRAPHQL_TARGET=0.6   # GraphQL req/s as a fraction of REST req/s
# the limiter stays on (its Redis call is measured) but never refuses: 1e8 tokens, refilled at 1e8 per second
RATE_LIMIT_BURST=100000000
RATE_LIMIT_PER_SECOND=100000000

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --max-warmup) MAX_WARMUP="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --customers) CUSTOMERS="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done
for v in DURATION WARMUP MAX_WARMUP CONNECTIONS CUSTOMERS; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { echo "--${v,,} must be a positive integer" >&2; exit 2; }
done
[[ $MAX_WARMUP -ge $WARMUP ]] || MAX_WARMUP=$WARMUP
THREADS=$((CONNECTIONS < 2 ? CONNECTIONS : 2))

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/customer-lookup.json"
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"

# ---------------------------------------------------------------------------------------------- tools
# On Debian /usr/bin/pgbench and psql are wrappers (postgresql-client-common) that fail without the real
# binaries: pgbench comes with the server package (postgresql-contrib pulls it in), psql with postgresql-client.
ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    works pgbench --version || missing+=(postgresql-contrib)
    works psql --version || missing+=(postgresql-client)
    command -v curl >/dev/null || missing+=(curl)
    install_packages "${missing[@]}"
    command -v wrk >/dev/null && works pgbench --version && works psql --version \
        || die "wrk, pgbench and psql are still missing after apt-get install"
}
ensure_tools
command -v java >/dev/null || die "java is not on PATH"
ensure_jar

# ---------------------------------------------------------------------------------------------- start
bench_setup
KEEP_LOGS["$WORK/service-limiter-on.log"]=customer-lookup-service.log
KEEP_LOGS["$WORK/service-limiter-off.log"]=customer-lookup-service-limiter-off.log

start_limited() { # rate limiter true|false -> start_service (lib.sh) with CRM_RATE_LIMIT_ENABLED
    start_service "rate limiter enabled: $1" "$WORK/service-limiter-$([[ $1 == true ]] && echo on || echo off).log" \
        CRM_RATE_LIMIT_ENABLED="$1"
}

PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
start_limited true

# ---------------------------------------------------------------------------------------------- seed
# Customers get deterministic random-looking ids, md5('crm-bench-<n>')::uuid, so that pgbench (which cannot
# draw a random uuid) can address row n with a single primary-key lookup, like the service does.
log "seeding $CUSTOMERS customers"
"${PSQL[@]}" <<SQL
INSERT INTO customer (id, external_id, type, name, email, phone, registered_at, last_active_at, attributes,
                      created_at, updated_at, version)
SELECT md5('crm-bench-' || n)::uuid, 'bench-' || n,
       CASE WHEN n % 5 = 0 THEN 'ENTERPRISE' ELSE 'INDIVIDUAL' END,
       'Bench Customer ' || n, 'bench' || n || '@example.com', '+1415' || lpad(n::text, 7, '0'),
       now() - n * interval '1 day', now() - n * interval '1 minute',
       jsonb_build_object('tier', (ARRAY['gold', 'silver', 'bronze'])[1 + n % 3], 'city', 'Shanghai', 'score', n),
       now() - n * interval '1 second', now() - n * interval '1 second', 0
FROM generate_series(1, $CUSTOMERS) AS n;
VACUUM ANALYZE customer;
SQL
IDS="$WORK/ids.txt"
"${PSQL[@]}" -c "SELECT c.id FROM generate_series(1, $CUSTOMERS) AS n
                 JOIN customer c ON c.id = md5('crm-bench-' || n)::uuid ORDER BY n" >"$IDS"
[[ "$(wc -l <"$IDS")" -eq "$CUSTOMERS" ]] || die "expected $CUSTOMERS seeded ids, found $(wc -l <"$IDS")"

# authentication is on: without the key the same GET is a 401
code="$(curl -s -o /dev/null -w '%{http_code}' -m 10 "$BASE/api/v1/customers/$(sed -n 1p "$IDS")")"
[[ "$code" == 401 ]] || die "GET without X-API-Key returned $code, expected 401"
check_limiter() { # true|false: whether responses carry the rate limiter's RateLimit-Limit header
    local hdrs
    hdrs="$("${CURL[@]}" -sS -o /dev/null -D - -m 10 "$BASE/api/v1/customers/$(sed -n 1p "$IDS")")" \
        || die "GET /api/v1/customers failed"
    if [[ "$1" == true ]]; then
        grep -qi "^RateLimit-Limit: $RATE_LIMIT_BURST" <<<"$hdrs" \
            || die "the rate limiter is not on, or not at burst $RATE_LIMIT_BURST: $(tr '\r\n' '  ' <<<"$hdrs")"
    else
        ! grep -qi '^RateLimit-' <<<"$hdrs" || die "the rate limiter is still on: $(tr '\r\n' '  ' <<<"$hdrs")"
    fi
}
check_limiter true

# the write path and both read paths work on a row the service wrote itself
CREATED="$("${CURL[@]}" -fsS -m 10 -X POST "$BASE/api/v1/customers" -H 'Content-Type: application/json' \
    -d '{"name": "Bench Probe", "email": "probe@example.com", "attributes": {"tier": "gold"}}')" \
    || die "POST /api/v1/customers failed"
PROBE_ID="$(printf '%s' "$CREATED" | grep -o '"id" *: *"[0-9a-f-]*"' | head -n1 | grep -o '[0-9a-f-]\{36\}')" \
    || die "no id in the POST response: $CREATED"
check_get() {
    local code
    code="$("${CURL[@]}" -s -o "$WORK/get.json" -w '%{http_code}' -m 10 "$BASE/api/v1/customers/$1")"
    [[ "$code" == 200 ]] && grep -q "\"$1\"" "$WORK/get.json" \
        || die "GET /api/v1/customers/$1 returned $code: $(head -c 300 "$WORK/get.json")"
}
check_graphql() {
    local body
    body="$("${CURL[@]}" -fsS -m 10 -X POST "$BASE/graphql" -H 'Content-Type: application/json' \
        -d "{\"query\":\"query(\$id: ID!){ customer(id: \$id) { id name email type version } }\",\"variables\":{\"id\":\"$1\"}}")" \
        || die "POST /graphql failed for $1"
    [[ "$body" == *"\"customer\":{\"id\":\"$1\""* && "$body" != *'"errors"'* ]] \
        || die "GraphQL customer($1) did not return the customer: $body"
}
check_get "$PROBE_ID"
check_graphql "$PROBE_ID"
check_get "$(sed -n 1p "$IDS")"
check_get "$(sed -n "${CUSTOMERS}p" "$IDS")"
check_graphql "$(sed -n 1p "$IDS")"
log "401 without a key; with the key REST POST/GET and GraphQL checks passed; rate limiter on"

# ---------------------------------------------------------------------------------------------- scripts
cat >"$WORK/lookup.sql" <<SQL
\\set n random(1, $CUSTOMERS)
SELECT id, external_id, type, name, email, phone, registered_at, last_active_at, attributes, created_at, updated_at, version FROM customer WHERE id = md5('crm-bench-' || :n::text)::uuid;
SQL

# one Lua file for both endpoints: BENCH_MODE=rest|graphql; BENCH_VALIDATE=1 also checks every response body
WRK_LUA="$WORK/lookup.lua"
cat >"$WRK_LUA" <<'LUA'
local mode = os.getenv("BENCH_MODE") or "rest"
local validate = os.getenv("BENCH_VALIDATE") == "1"
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  bad = 0
  checked = 0
  math.randomseed(os.time() * 100 + tid)
  local key = os.getenv("BENCH_API_KEY")
  headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json", ["X-API-Key"] = key }
  get_headers = { ["X-API-Key"] = key }
end

function request()
  local id = ids[math.random(#ids)]
  if mode == "graphql" then
    local body = '{"query":"query($id: ID!){ customer(id: $id) { id name email type version } }",'
      .. '"variables":{"id":"' .. id .. '"}}'
    return wrk.format("POST", "/graphql", headers, body)
  end
  return wrk.format("GET", "/api/v1/customers/" .. id, get_headers, nil)
end

if validate then
  -- defined only while validating: wrk reads every body once a response() exists, which costs client CPU
  function response(status, hdrs, body)
    checked = checked + 1
    if status ~= 200 then
      bad = bad + 1
    elseif mode == "graphql" and (body:find('"errors"', 1, true) or not body:find('"customer":{"id":', 1, true)) then
      bad = bad + 1
    elseif mode == "rest" and not body:find('"id":', 1, true) then
      bad = bad + 1
    end
  end
end

LUA
wrk_lua_done >>"$WRK_LUA"

# ---------------------------------------------------------------------------------------------- runs
# run_client, run_wrk, warm_up_service and measure come from lib.sh; this is the "pgbench" kind of phase
run_pgbench() { # seconds, output file
    run_client "$2" pgbench -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$1" -f "$WORK/lookup.sql" \
        || { cat "$2" >&2; die "pgbench failed"; }
    grep -q '^number of failed transactions: [1-9]' "$2" && { cat "$2" >&2; die "pgbench reported failed transactions"; }
    return 0
}
pgbench_tps() { sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$1" | head -n1; }
pgbench_run() { # phase, output file
    log "$1: pgbench warm-up ${WARMUP} s, then ${DURATION} s (c=$CONNECTIONS, j=$THREADS)"
    run_pgbench "$WARMUP" "$WORK/$1-warmup.txt"
    M[$1.warmup_s]="$WARMUP"
    M[$1.warmup_jit_cores]=0
    cpu_mark
    run_pgbench "$DURATION" "$2"
}
pgbench_parse() { # phase, output file
    M[$1.rate]="$(pgbench_tps "$2")"
    M[$1.p50]="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$2")" # pgbench: the average
    M[$1.p99]=null
    [[ -n "${M[$1.rate]}" ]] || { cat "$2" >&2; die "no tps in the pgbench output"; }
}

measure sql pgbench
measure rest
measure graphql
RSS_MIB="$(rss_mib)"

# The same REST lookup without the rate limiter, so that its cost shows: the service restarted on the same data
# with CRM_RATE_LIMIT_ENABLED=false (API-key authentication stays on). A fresh JVM, so it warms up again.
stop_service
FIRST_STARTUP_S="$STARTUP_S"
start_limited false
RESTART_S="$STARTUP_S"
STARTUP_S="$FIRST_STARTUP_S"
check_limiter false
check_get "$(sed -n 2p "$IDS")"
log "rate limiter off; REST GET check passed"
measure rest_nolimit
RSS_NOLIMIT_MIB="$(rss_mib)"

# ---------------------------------------------------------------------------------------------- report
REST_RATIO="$(calc %.2f "${M[rest.rate]} / ${M[sql.rate]}")"
GQL_RATIO="$(calc %.2f "${M[graphql.rate]} / ${M[rest.rate]}")"
GQL_SQL_RATIO="$(calc %.2f "${M[graphql.rate]} / ${M[sql.rate]}")"
LIMITER_RATIO="$(calc %.2f "${M[rest.rate]} / ${M[rest_nolimit.rate]}")"
REST_OK="$(meets "$REST_RATIO" "$REST_TARGET")"
GQL_OK="$(meets "$GQL_RATIO" "$GRAPHQL_TARGET")"
NOISY="$(noisy sql rest graphql rest_nolimit)"
NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
C="$CONNECTIONS"
{
    echo
    echo "=== customer lookup ($NOW, $NCPU cores, $CUSTOMERS customers, ${DURATION} s per run;" \
        "warm-up s: SQL ${M[sql.warmup_s]}, REST ${M[rest.warmup_s]}, GraphQL ${M[graphql.warmup_s]}," \
        "REST limiter off ${M[rest_nolimit.warmup_s]}) ==="
    echo "REST and GraphQL with X-API-Key; rate limiter on (burst $RATE_LIMIT_BURST, $RATE_LIMIT_PER_SECOND/s: never refuses) unless marked off"
    echo "raw SQL (pgbench, prepared PK select, c=$C): $(calc %.0f "${M[sql.rate]}") tps"
    echo "REST GET /api/v1/customers/{id} (wrk, c=$C): $(calc %.0f "${M[rest.rate]}") req/s   ratio to SQL: $REST_RATIO  (target >= $REST_TARGET: $(verdict "$REST_OK"))"
    echo "GraphQL customer(id) (wrk, c=$C): $(calc %.0f "${M[graphql.rate]}") req/s   ratio to REST: $GQL_RATIO  (target >= $GRAPHQL_TARGET: $(verdict "$GQL_OK"))"
    echo "REST GET, rate limiter off (wrk, c=$C): $(calc %.0f "${M[rest_nolimit.rate]}") req/s   REST limiter on / off: $LIMITER_RATIO"
    echo "start-up to ready: $STARTUP_S s (restart with the limiter off: $RESTART_S s)   RSS after run: $RSS_MIB MiB (limiter off: $RSS_NOLIMIT_MIB MiB)"
    echo "latency: SQL avg ${M[sql.p50]} ms; REST p50 ${M[rest.p50]} / p99 ${M[rest.p99]} ms; GraphQL p50 ${M[graphql.p50]} / p99 ${M[graphql.p99]} ms;" \
        "REST limiter off p50 ${M[rest_nolimit.p50]} / p99 ${M[rest_nolimit.p99]} ms"
    echo "CPU per request: REST $(cpu_us rest); REST limiter off $(cpu_us rest_nolimit);"
    echo "                 GraphQL $(cpu_us graphql); SQL PostgreSQL ${M[sql.postgres_us]} us"
    echo "CPU in cores of $NCPU during each measured run (machine ${BACKGROUND_BUSY}% busy before start):"
    cpu_line sql pgbench
    cpu_line rest wrk
    cpu_line graphql wrk
    cpu_line rest_nolimit wrk
    if [[ "$NOISY" == true ]]; then
        echo "WARNING: other processes (or other guests: steal) used CPU during the run; these ratios are not from a quiet machine"
    fi
} | tee "$WORK/summary.txt"

GIT_REV="$(git_rev)"
CPU_MODEL="$(cpu_model)"
mkdir -p "$OUT_DIR"
cat >"$JSON_OUT" <<JSON
{
  "benchmark": "customer-lookup",
  "date": "$NOW",
  "git": "$GIT_REV",
  "machine": { "cores": $NCPU, "cpu": "$CPU_MODEL", "busy_pct_before_start": $BACKGROUND_BUSY, "noisy": $NOISY },
  "params": { "customers": $CUSTOMERS, "connections": $CONNECTIONS, "threads": $THREADS, "duration_s": $DURATION,
              "warmup_min_s": $WARMUP, "warmup_max_s": $MAX_WARMUP, "warmup_jit_quiet_cores": $JIT_QUIET,
              "auth": "X-API-Key", "rate_limit_burst": $RATE_LIMIT_BURST, "rate_limit_per_second": $RATE_LIMIT_PER_SECOND },
  "sql": $(phase_json sql "pgbench -M prepared" tps avg),
  "rest": $(phase_json rest wrk rps),
  "graphql": $(phase_json graphql wrk rps),
  "rest_limiter_off": $(phase_json rest_nolimit wrk rps),
  "ratios": {
    "rest_limiter_on_to_off": $LIMITER_RATIO,
    "rest_to_sql": $REST_RATIO, "rest_to_sql_target": $REST_TARGET, "rest_to_sql_meets_target": $REST_OK,
    "graphql_to_rest": $GQL_RATIO, "graphql_to_rest_target": $GRAPHQL_TARGET, "graphql_to_rest_meets_target": $GQL_OK,
    "graphql_to_sql": $GQL_SQL_RATIO
  },
  "startup_to_ready_s": $STARTUP_S,
  "restart_to_ready_limiter_off_s": $RESTART_S,
  "rss_after_run_mib": $RSS_MIB,
  "rss_after_run_limiter_off_mib": $RSS_NOLIMIT_MIB
}
JSON
log "wrote $JSON_OUT"
