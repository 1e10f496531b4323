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

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------- tools
# On Debian /usr/bin/pgbench and psql are wrappers (postgresql-client-common) that fail without the real
# binaries: pgbench comes with the server package (postgresql-contrib pulls it in), psql with postgresql-client.
works() { "$@" >/dev/null 2>&1; }
ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    works pgbench --version || missing+=(postgresql-contrib)
    works psql --version || missing+=(postgresql-client)
    command -v curl >/dev/null || missing+=(curl)
    [[ ${#missing[@]} -eq 0 ]] && return
    local sudo=()
    [[ $(id -u) -ne 0 ]] && sudo=(sudo)
    log "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
    command -v wrk >/dev/null && works pgbench --version && works psql --version \
        || die "wrk, pgbench and psql are still missing after apt-get install"
}
ensure_tools
command -v java >/dev/null || die "java is not on PATH"

# ---------------------------------------------------------------------------------------------- build
JAR_DIR="$ROOT/target/quarkus-app"
maven_running_here() { # another Maven working in this tree may be rewriting target/quarkus-app right now
    local p
    for p in $(pgrep -f plexus-classworlds 2>/dev/null); do
        [[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" == "$ROOT" ]] && return 0
    done
    return 1
}
if maven_running_here; then
    log "another Maven is running in $ROOT; waiting for it (at most 5 min) before using target/quarkus-app"
    for ((i = 0; i < 300; i++)); do maven_running_here || break; sleep 1; done
    maven_running_here && log "WARNING: Maven is still running in $ROOT; going on (and the machine is not quiet)"
fi
if [[ $BUILD -eq 1 || ! -f "$JAR_DIR/quarkus-run.jar" ]]; then
    log "building the service (./mvnw -B -q package -DskipTests)"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi
[[ -f "$JAR_DIR/quarkus-run.jar" ]] || die "$JAR_DIR/quarkus-run.jar is missing after the build"

# ---------------------------------------------------------------------------------------------- cleanup
WORK="$(mktemp -d -t crm-bench.XXXXXX)"
DATA="$WORK/data"
SVC_PID=""
CLIENT_PID="" # the running pgbench or wrk
SVC_LOG=""    # the running service's log: $WORK/service-limiter-on.log, then $WORK/service-limiter-off.log

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

stop_pid() { # pid, seconds to wait after SIGTERM before SIGKILL
    local pid="$1" i
    pid_alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < $2 * 10; i++)); do pid_alive "$pid" || return 0; sleep 0.1; done
    log "pid $pid did not stop after SIGTERM, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if pid_alive "$CLIENT_PID"; then
        kill -TERM "$CLIENT_PID" 2>/dev/null
        wait "$CLIENT_PID" 2>/dev/null
    fi
    if pid_alive "$SVC_PID"; then
        log "stopping the service (pid $SVC_PID)"
        stop_pid "$SVC_PID" 60
    fi
    [[ -n "$SVC_PID" ]] && wait "$SVC_PID" 2>/dev/null
    # the service stops its embedded servers itself; only a killed service leaves them behind
    local f pid
    for f in "$DATA/postgres/postmaster.pid" "$DATA/redis/redis.pid"; do
        [[ -f "$f" ]] || continue
        pid="$(head -n1 "$f" 2>/dev/null | tr -dc 0-9)"
        # a pid file left by a killed server may name a reused pid: only stop the server it names
        if pid_alive "$pid" && grep -qE '^(postgres|redis-server)' "/proc/$pid/comm" 2>/dev/null; then
            log "stopping leftover embedded server pid $pid ($f)"
            stop_pid "$pid" 20
        fi
    done
    mkdir -p "$OUT_DIR"
    rm -f "$OUT_DIR/customer-lookup-service.log" "$OUT_DIR/customer-lookup-service-limiter-off.log"
    [[ -f "$WORK/service-limiter-on.log" ]] && cp "$WORK/service-limiter-on.log" "$OUT_DIR/customer-lookup-service.log"
    [[ -f "$WORK/service-limiter-off.log" ]] && cp "$WORK/service-limiter-off.log" "$OUT_DIR/customer-lookup-service-limiter-off.log"
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------- CPU sampling
CLK_TCK="$(getconf CLK_TCK)"
NCPU="$(nproc)"

machine_ticks() { # "busy total steal" from /proc/stat (steal: time the hypervisor gave to other guests)
    awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t, $9 }' /proc/stat
}
proc_ticks() { # utime+stime (+ cutime+cstime when $2 = all) of one process, 0 if gone
    local s
    s="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
    s="${s##*) }"
    # shellcheck disable=SC2086
    set -- $s "${2:-self}"
    if [[ "${!#}" == all ]]; then echo $((${12} + ${13} + ${14} + ${15})); else echo $((${12} + ${13})); fi
}
PG_PM="" # the embedded postmaster's pid, set once the service is ready
pg_ticks() { # the postmaster, the backends it already reaped, and its live children
    local total c
    [[ -n "$PG_PM" ]] || { echo 0; return; }
    total="$(proc_ticks "$PG_PM" all)"
    for c in $(ps -o pid= --ppid "$PG_PM" 2>/dev/null); do total=$((total + $(proc_ticks "$c"))); done
    echo "$total"
}
REDIS_PID="" # the embedded Redis server's pid, set once the service is ready
redis_ticks() { [[ -n "$REDIS_PID" ]] && proc_ticks "$REDIS_PID" || echo 0; }
jit_ticks() { # the service's JIT compiler threads
    local t total=0
    for t in "/proc/$SVC_PID/task/"*; do
        [[ "$(cat "$t/comm" 2>/dev/null)" == C[12]\ Compiler* ]] && total=$((total + $(proc_ticks "$SVC_PID/task/${t##*/}")))
    done
    echo "$total"
}
all_ticks() { # "pid ppid ticks comm" of every process
    cat /proc/[0-9]*/stat 2>/dev/null | awk '{
        l = $0; p = index(l, "("); match(l, /\)[^)]*$/)
        comm = substr(l, p + 1, RSTART - p - 1); split(substr(l, RSTART + 2), f, " ")
        gsub(/ /, "_", comm); print substr(l, 1, p - 2), f[2], f[12] + f[13], comm }'
}
CPU_MARK=""
cpu_mark() {
    all_ticks >"$WORK/ticks.before"
    CPU_MARK="$(machine_ticks) $(proc_ticks "$SVC_PID") $(pg_ticks) $(date +%s%N) $(jit_ticks) $(redis_ticks)"
}
cpu_report() { # client cores -> "busy_pct service postgres client other jit (cores) steal_pct redis" since cpu_mark
    local now
    now="$(machine_ticks) $(proc_ticks "$SVC_PID") $(pg_ticks) $(date +%s%N) $(jit_ticks) $(redis_ticks)"
    all_ticks >"$WORK/ticks.after"
    awk -v a="$CPU_MARK" -v b="$now" -v hz="$CLK_TCK" -v n="$NCPU" -v cl="$1" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        secs = (y[6] - x[6]) / 1e9
        busy = (y[2] > x[2]) ? (y[1] - x[1]) / (y[2] - x[2]) : 0
        steal = (y[2] > x[2]) ? (y[3] - x[3]) / (y[2] - x[2]) : 0
        svc = (y[4] - x[4]) / hz / secs; pg = (y[5] - x[5]) / hz / secs; rd = (y[8] - x[8]) / hz / secs
        other = (busy - steal) * n - svc - pg - rd - cl; if (other < 0) other = 0
        printf "%.0f %.2f %.2f %.2f %.2f %.2f %.0f %.2f\n", 100 * busy, svc, pg, cl, other, (y[7] - x[7]) / hz / secs,
            100 * steal, rd }'
}
other_top() { # seconds -> the busiest processes that are not ours, e.g. "java (surefire) 0.61; beam.smp 0.06"
    awk -v svc="$SVC_PID" -v pm="${PG_PM:-0}" -v rd="${REDIS_PID:-0}" -v me="$$" -v hz="$CLK_TCK" -v secs="$1" '
        NR == FNR { t[$1 " " $4] = $3; next }
        ($1 " " $4) in t && $1 != svc && $2 != svc && $1 != pm && $2 != pm && $1 != rd && $1 != me && $2 != me {
            c = ($3 - t[$1 " " $4]) / hz / secs; if (c >= 0.05) printf "%.2f %s %s\n", c, $1, $4 }' \
        "$WORK/ticks.before" "$WORK/ticks.after" | sort -rn | head -n 3 | while read -r c pid comm; do
        local what
        what="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -o 'plexus-classworlds\|surefire\|quarkus-run\|maven' | head -n1)" || true
        printf '%s%s %s; ' "$comm" "${what:+ ($what)}" "$c"
    done | sed 's/; $//'
}
background_busy() { # machine busy % over one idle second, before anything of ours runs
    local a b
    a="$(machine_ticks)"; sleep 1; b="$(machine_ticks)"
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ")
        printf "%.0f", (y[2] > x[2]) ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0 }'
}

# ---------------------------------------------------------------------------------------------- start
BACKGROUND_BUSY="$(background_busy)"
[[ "$BACKGROUND_BUSY" -le 20 ]] || log "WARNING: the machine is already ${BACKGROUND_BUSY}% busy before the benchmark starts"
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# run from a private copy so that a concurrent `mvn package` in the work tree cannot pull the jar from under us
cp -a "$JAR_DIR" "$WORK/app"
[[ -f "$WORK/app/quarkus-run.jar" && -d "$WORK/app/lib" ]] || die "incomplete copy of $JAR_DIR (is a build running?)"
mkdir -p "$DATA" "$OUT_DIR"
unset CRM_DB_URL CRM_REDIS_URL
# a random, well-formed bootstrap admin key ('hcrm_' + 48 hex digits); the service stores its hash on start
API_KEY="hcrm_$(od -An -N24 -tx1 /dev/urandom | tr -dc 0-9a-f)"
[[ $API_KEY =~ ^hcrm_[0-9a-f]{48}$ ]] || die "could not make a random API key"
# every curl to the service sends the key (read from a file); only the 401 check below goes without it
printf 'X-API-Key: %s\n' "$API_KEY" >"$WORK/auth-header"
CURL=(curl -H "@$WORK/auth-header")

start_service() { # limiter true|false -> SVC_PID, SVC_LOG, BASE, STARTUP_S, PG_PORT, PG_PM, REDIS_PID; PG* exported
    local limiter="$1" start_ns ready_ns="" i
    PORT=18080
    while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
    SVC_LOG="$WORK/service-limiter-$([[ $limiter == true ]] && echo on || echo off).log"
    log "starting the service on port $PORT (rate limiter enabled: $limiter), data in $DATA"
    start_ns="$(date +%s%N)"
    # shellcheck disable=SC2086
    CRM_DATA_DIR="$DATA" QUARKUS_HTTP_PORT="$PORT" CRM_BOOTSTRAP_API_KEY="$API_KEY" \
        CRM_RATE_LIMIT_ENABLED="$limiter" CRM_RATE_LIMIT_BURST="$RATE_LIMIT_BURST" \
        CRM_RATE_LIMIT_PER_SECOND="$RATE_LIMIT_PER_SECOND" \
        java ${JAVA_OPTS:-} -jar "$WORK/app/quarkus-run.jar" >"$SVC_LOG" 2>&1 </dev/null &
    SVC_PID=$!
    BASE="http://127.0.0.1:$PORT"
    for ((i = 0; i < 1800; i++)); do # 180 s at most
        if "${CURL[@]}" -fs -o /dev/null -m 2 "$BASE/q/health/ready"; then ready_ns="$(date +%s%N)"; break; fi
        pid_alive "$SVC_PID" || { tail -n 40 "$SVC_LOG" >&2; die "the service exited during start-up"; }
        sleep 0.1
    done
    [[ -n "$ready_ns" ]] || { tail -n 40 "$SVC_LOG" >&2; die "the service was not ready within 180 s"; }
    STARTUP_S="$(awk -v a="$start_ns" -v b="$ready_ns" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
    log "ready after ${STARTUP_S} s"

    PG_PORT="$(grep -ao 'jdbc:postgresql://127\.0\.0\.1:[0-9]*/crm' "$SVC_LOG" | head -n1 | sed 's/.*:\([0-9]*\)\/crm/\1/')" || true
    if [[ -z "$PG_PORT" ]]; then
        PG_PORT="$(ps -eo args= | grep -a -- "postgres -D $DATA/postgres" | grep -v grep | grep -o -- '-p [0-9]*' | head -n1 \
            | tr -dc 0-9)" || true
    fi
    [[ -n "$PG_PORT" ]] || die "cannot find the embedded PostgreSQL's port (neither in the log nor in ps)"
    PG_PM="$(head -n1 "$DATA/postgres/postmaster.pid" 2>/dev/null | tr -dc 0-9)" || true
    [[ -n "$PG_PM" ]] || log "WARNING: no $DATA/postgres/postmaster.pid, PostgreSQL's CPU is not measured"
    REDIS_PID="$(head -n1 "$DATA/redis/redis.pid" 2>/dev/null | tr -dc 0-9)" || true
    # the embedded binary is redis-server-6.2.6-v5-linux-amd64, whose comm is cut to 15 characters
    if [[ -z "$REDIS_PID" ]] || ! grep -q '^redis-server' "/proc/$REDIS_PID/comm" 2>/dev/null; then
        log "WARNING: no live embedded Redis in $DATA/redis/redis.pid, Redis's CPU is counted as other"
        REDIS_PID=""
    fi
    export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=crm PGCONNECT_TIMEOUT=10
    log "embedded PostgreSQL on port $PG_PORT (postmaster ${PG_PM:-?}), Redis pid ${REDIS_PID:-?}"
}
stop_service() { # SIGTERM, then wait until the service and its embedded servers are gone
    local f pid i
    log "stopping the service (pid $SVC_PID)"
    stop_pid "$SVC_PID" 60
    wait "$SVC_PID" 2>/dev/null || true
    for f in "$DATA/postgres/postmaster.pid" "$DATA/redis/redis.pid"; do
        pid="$(head -n1 "$f" 2>/dev/null | tr -dc 0-9)" || true
        for ((i = 0; i < 200; i++)); do
            pid_alive "$pid" && grep -qE '^(postgres|redis-server)' "/proc/$pid/comm" 2>/dev/null || break
            sleep 0.1
        done
        [[ $i -lt 200 ]] || die "the embedded server $pid ($f) is still running 20 s after the service stopped"
    done
    SVC_PID=""
}

unset PGPASSWORD PGSERVICE PGOPTIONS
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
start_service true

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
cat >"$WORK/lookup.lua" <<'LUA'
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

function done(summary, latency, requests)
  local b, c = 0, 0
  for _, t in ipairs(threads) do
    b = b + (t:get("bad") or 0)
    c = c + (t:get("checked") or 0)
  end
  io.write(string.format("BENCH_CHECKED %d\nBENCH_BAD %d\n", c, b))
  io.write(string.format("BENCH_P50_MS %.3f\nBENCH_P99_MS %.3f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

# ---------------------------------------------------------------------------------------------- runs
# The load generator runs in the background and the script waits for it, so that a signal stops the benchmark
# at once (bash runs traps only between foreground commands); its CPU time comes from `times` (the CPU time of
# this shell's reaped children), which is read in this shell, not in a $(...) subshell.
run_client() { # output file, command... -> the command's exit status; "$out.cpu" gets its CPU seconds
    local out="$1" rc=0
    shift
    times >"$WORK/times.before"
    "$@" >"$out" 2>&1 </dev/null &
    CLIENT_PID=$!
    wait "$CLIENT_PID" || rc=$?
    CLIENT_PID=""
    times >"$WORK/times.after"
    # line 2 of `times`: children's user and system time, as 0m1.234s 0m0.567s
    awk 'FNR == 2 { for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t[FILENAME] += p[1] * 60 + p[2] } }
        END { print t[ARGV[2]] - t[ARGV[1]] }' "$WORK/times.before" "$WORK/times.after" >"$out.cpu"
    return "$rc"
}
client_cores() { awk -v d="$2" '{ printf "%.2f", $1 / d }' "$1"; }

run_pgbench() { # seconds, output file
    run_client "$2" pgbench -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$1" -f "$WORK/lookup.sql" \
        || { cat "$2" >&2; die "pgbench failed"; }
    grep -q '^number of failed transactions: [1-9]' "$2" && { cat "$2" >&2; die "pgbench reported failed transactions"; }
    return 0
}
pgbench_tps() { sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$1" | head -n1; }

run_wrk() { # phase (rest, graphql, rest_nolimit: the part before _ is the mode), seconds, validate (0|1), output file
    run_client "$4" env BENCH_MODE="${1%%_*}" BENCH_VALIDATE="$3" BENCH_IDS="$IDS" BENCH_API_KEY="$API_KEY" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --timeout 10s -s "$WORK/lookup.lua" "$BASE" \
        || { cat "$4" >&2; die "wrk failed ($1)"; }
    local non2xx sock bad
    non2xx="$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$4")"
    sock="$(sed -n 's/.*Socket errors:\(.*\)/\1/p' "$4")"
    bad="$(sed -n 's/^BENCH_BAD \([0-9]*\)/\1/p' "$4")"
    if [[ -n "$non2xx" || -n "$sock" || "${bad:-0}" != 0 ]]; then
        cat "$4" >&2
        die "$1: non-2xx responses (${non2xx:-0}), socket errors (${sock:-none}) or bad bodies (${bad:-0})"
    fi
    if [[ "$3" == 1 && "$(sed -n 's/^BENCH_CHECKED \([0-9]*\)/\1/p' "$4")" == 0 ]]; then
        cat "$4" >&2; die "$1: the warm-up checked no responses"
    fi
}
wrk_rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1" | head -n1; }
wrk_stat() { sed -n "s/^$2 \\([0-9.]*\\)/\\1/p" "$1" | head -n1; }

declare -A M # results: M[<phase>.<key>], phases sql, rest, graphql, rest_nolimit

# A JVM on 2 shared cores is still compiling hot code well after 5 s of load, and those compiler threads take
# CPU from the request threads; so warm up in 5 s steps (every response checked) until the JIT is quiet.
warm_up_service() { # phase -> M[phase.warmup_s], M[phase.warmup_jit_cores] (JIT cores in the last step)
    local done_s=0 step jit0 t0 jit
    while :; do
        step=$((WARMUP - done_s > 5 ? 5 : (WARMUP - done_s > 0 ? WARMUP - done_s : 5)))
        jit0="$(jit_ticks)"; t0="$(date +%s%N)"
        run_wrk "$1" "$step" 1 "$WORK/$1-warmup.txt"
        jit="$(awk -v a="$jit0" -v b="$(jit_ticks)" -v t0="$t0" -v t1="$(date +%s%N)" -v hz="$CLK_TCK" \
            'BEGIN { printf "%.2f", (b - a) / hz / ((t1 - t0) / 1e9) }')"
        done_s=$((done_s + step))
        if [[ $done_s -ge $WARMUP ]] && awk -v j="$jit" -v q="$JIT_QUIET" 'BEGIN { exit !(j < q) }'; then break; fi
        if [[ $done_s -ge $MAX_WARMUP ]]; then
            log "$1: WARNING: the service's JIT still used $jit cores after ${done_s} s of warm-up"
            break
        fi
    done
    M[$1.warmup_s]="$done_s"
    M[$1.warmup_jit_cores]="$jit"
    log "$1: warmed up for ${done_s} s (JIT compiling ${jit} cores in the last step)"
}

measure() { # phase -> fills M[phase.*]; a warm-up run first, not reported
    local phase="$1" out="$WORK/$1.txt" cpu
    if [[ "$phase" == sql ]]; then
        log "sql: pgbench warm-up ${WARMUP} s, then ${DURATION} s (c=$CONNECTIONS, j=$THREADS)"
        run_pgbench "$WARMUP" "$WORK/$phase-warmup.txt"
        M[$phase.warmup_s]="$WARMUP"
        M[$phase.warmup_jit_cores]=0
        cpu_mark
        run_pgbench "$DURATION" "$out"
    else
        warm_up_service "$phase"
        log "$phase: measuring ${DURATION} s (c=$CONNECTIONS, t=$THREADS)"
        cpu_mark
        run_wrk "$phase" "$DURATION" 0 "$out"
    fi
    cpu="$(cpu_report "$(client_cores "$out.cpu" "$DURATION")")"
    read -r "M[$phase.busy]" "M[$phase.service_cores]" "M[$phase.postgres_cores]" "M[$phase.client_cores]" \
        "M[$phase.other_cores]" "M[$phase.jit_cores]" "M[$phase.steal]" "M[$phase.redis_cores]" <<<"$cpu"
    M[$phase.other_top]="$(other_top "$DURATION" | tr -d '"\\')"
    if [[ "$phase" == sql ]]; then
        M[$phase.rate]="$(pgbench_tps "$out")"
        M[$phase.p50]="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$out")" # pgbench: the average
        M[$phase.p99]=null
        [[ -n "${M[$phase.rate]}" ]] || { cat "$out" >&2; die "no tps in the pgbench output"; }
    else
        M[$phase.rate]="$(wrk_rps "$out")"
        M[$phase.p50]="$(wrk_stat "$out" BENCH_P50_MS)"
        M[$phase.p99]="$(wrk_stat "$out" BENCH_P99_MS)"
        [[ -n "${M[$phase.rate]}" ]] || { cat "$out" >&2; die "no Requests/sec in the wrk output"; }
    fi
    M[$phase.service_us]="$(awk -v c="${M[$phase.service_cores]}" -v r="${M[$phase.rate]}" 'BEGIN { printf "%.0f", 1e6 * c / r }')"
    M[$phase.postgres_us]="$(awk -v c="${M[$phase.postgres_cores]}" -v r="${M[$phase.rate]}" 'BEGIN { printf "%.0f", 1e6 * c / r }')"
    M[$phase.redis_us]="$(awk -v c="${M[$phase.redis_cores]}" -v r="${M[$phase.rate]}" 'BEGIN { printf "%.0f", 1e6 * c / r }')"
    log "$phase: ${M[$phase.rate]}/s; machine ${M[$phase.busy]}% busy, other processes ${M[$phase.other_cores]} cores${M[$phase.other_top]:+ (${M[$phase.other_top]})}"
}
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SVC_PID/status"; }
measure sql
measure rest
measure graphql
RSS_MIB="$(rss_mib)"

# The same REST lookup without the rate limiter, so that its cost shows: the service restarted on the same data
# with CRM_RATE_LIMIT_ENABLED=false (API-key authentication stays on). A fresh JVM, so it warms up again.
stop_service
FIRST_STARTUP_S="$STARTUP_S"
start_service false
RESTART_S="$STARTUP_S"
STARTUP_S="$FIRST_STARTUP_S"
check_limiter false
check_get "$(sed -n 2p "$IDS")"
log "rate limiter off; REST GET check passed"
measure rest_nolimit
RSS_NOLIMIT_MIB="$(rss_mib)"

# ---------------------------------------------------------------------------------------------- report
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
REST_RATIO="$(calc %.2f "${M[rest.rate]} / ${M[sql.rate]}")"
GQL_RATIO="$(calc %.2f "${M[graphql.rate]} / ${M[rest.rate]}")"
GQL_SQL_RATIO="$(calc %.2f "${M[graphql.rate]} / ${M[sql.rate]}")"
LIMITER_RATIO="$(calc %.2f "${M[rest.rate]} / ${M[rest_nolimit.rate]}")"
meets() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t + 0) ? "true" : "false" }'; }
REST_OK="$(meets "$REST_RATIO" "$REST_TARGET")"
GQL_OK="$(meets "$GQL_RATIO" "$GRAPHQL_TARGET")"
verdict() { if [[ "$1" == true ]]; then echo "meets target"; else echo "BELOW target"; fi; }
NOISY=false
for ph in sql rest graphql rest_nolimit; do
    [[ "$(calc %d "${M[$ph.other_cores]} >= 0.2")" == 1 || "${M[$ph.steal]}" -ge 10 ]] && NOISY=true
done
[[ "$BACKGROUND_BUSY" -gt 20 ]] && NOISY=true
cpu_line() { # phase, client name
    printf '  %-12s %3s%% busy (steal %s%%) = service %s (JIT %s) + PostgreSQL %s + Redis %s + %s %s + other %s%s\n' \
        "$1" "${M[$1.busy]}" "${M[$1.steal]}" "${M[$1.service_cores]}" "${M[$1.jit_cores]}" "${M[$1.postgres_cores]}" \
        "${M[$1.redis_cores]}" "$2" "${M[$1.client_cores]}" "${M[$1.other_cores]}" "${M[$1.other_top]:+   other: ${M[$1.other_top]}}"
}
cpu_us() { # phase -> "service 103 us + PostgreSQL 59 us + Redis 12 us"
    printf 'service %s us + PostgreSQL %s us + Redis %s us' "${M[$1.service_us]}" "${M[$1.postgres_us]}" "${M[$1.redis_us]}"
}

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

GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
CPU_MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo | tr -d '"\\')"
phase_json() { # phase, tool, rate name
    local p="$1"
    printf '{ "tool": "%s", "%s": %s, "latency_%s_ms": %s, "latency_p99_ms": %s,\n' "$2" "$3" "${M[$p.rate]}" \
        "$([[ $p == sql ]] && echo avg || echo p50)" "${M[$p.p50]:-null}" "${M[$p.p99]:-null}"
    printf '      "warmup_s": %s, "warmup_last_step_jit_cores": %s, "cpu_us_per_op": { "service": %s, "postgres": %s, "redis": %s },\n' \
        "${M[$p.warmup_s]}" "${M[$p.warmup_jit_cores]}" "${M[$p.service_us]}" "${M[$p.postgres_us]}" "${M[$p.redis_us]}"
    printf '      "cpu_cores": { "machine_busy_pct": %s, "steal_pct": %s, "service": %s, "postgres": %s, "redis": %s, "client": %s, "other": %s, "service_jit": %s, "other_top": "%s" } }' \
        "${M[$p.busy]}" "${M[$p.steal]}" "${M[$p.service_cores]}" "${M[$p.postgres_cores]}" "${M[$p.redis_cores]}" \
        "${M[$p.client_cores]}" "${M[$p.other_cores]}" "${M[$p.jit_cores]}" "${M[$p.other_top]}"
}
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
  "sql": $(phase_json sql "pgbench -M prepared" tps),
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
