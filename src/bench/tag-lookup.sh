#!/usr/bin/env bash
# Tag lookup benchmark: a customer's tags served from the Redis read-through cache, against the service's trivial
# endpoint, against Redis itself, and against PostgreSQL alone, measured in one run on one machine.
#
# Starts the packaged service on its embedded PostgreSQL and Redis (fresh temporary data directory) with a random
# bootstrap admin API key and a rate limit too high to ever refuse, seeds customers with tags through the API, then
# measures, each with a warm-up that is not reported:
#   1. wrk GET /api/v1/me                        (X-API-Key; the trivial authenticated endpoint: the ceiling)
#   2. wrk GET /api/v1/customers/{id}/tags       (X-API-Key; tag cache on, filled by the warm-up; hit ratio checked)
#   3. redis-benchmark GET                       (the same embedded Redis, values the size of a cached tag set, -P 1)
#   4. wrk GET /api/v1/customers/{id}/tags       (service restarted on the same data with CRM_TAGS_CACHE_ENABLED=false:
#                                                 PostgreSQL only)
# Results are ratios (cached tags / me, cached tags / Redis GET, cached / uncached) because absolute numbers on a
# shared 2-core machine mean little. Also reports start-up time to ready and the service's resident memory.
#
# Usage: src/bench/tag-lookup.sh [--duration S] [--connections C] [--warmup S] [--max-warmup S]
#                                [--customers N] [--tags-per-customer K] [--build]
# Options: --duration S per measured run (15), --connections C (16), --warmup S minimum warm-up per endpoint
# (10; the service's endpoints warm up in 5 s steps until its JIT compilers are quiet, at most --max-warmup, 45),
# --customers N to seed (300), --tags-per-customer K (5, of 20 tag definitions), --build to rebuild the jar first
# (it is built when missing).
# Writes target/bench/tag-lookup.json (and the service's logs next to it). See src/bench/README.md.
set -euo pipefail

DURATION=15
WARMUP=10            # minimum warm-up per endpoint (s); the service's warm-up goes on in 5 s steps while its JIT
MAX_WARMUP=45        # compilers are still busy (more than JIT_QUIET cores), up to MAX_WARMUP
JIT_QUIET=0.10
CONNECTIONS=16
CUSTOMERS=300
TAGS_PER_CUSTOMER=5
BUILD=0
TAGS_TARGET=0.7      # cached tags req/s as a fraction of GET /api/v1/me req/s
HIT_RATIO_MIN=0.99   # below this the "cached" run did not measure the cache: the benchmark fails
# the limiter stays on (as in production) but never refuses: 1e8 tokens, refilled at 1e8 per second
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
        --tags-per-customer) TAGS_PER_CUSTOMER="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done
for v in DURATION WARMUP MAX_WARMUP CONNECTIONS CUSTOMERS TAGS_PER_CUSTOMER; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { o="${v,,}"; echo "--${o//_/-} must be a positive integer" >&2; exit 2; }
done
[[ $MAX_WARMUP -ge $WARMUP ]] || MAX_WARMUP=$WARMUP
THREADS=$((CONNECTIONS < 2 ? CONNECTIONS : 2))

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/tag-lookup.json"
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"

# key|name|category|color: the tag definitions, realistic in length; customer n carries K of them
TAG_DEFS=(
    "vip|VIP|value|#ff8800" "high-value|High value|value|#e67e22" "frequent-buyer|Frequent buyer|value|#d35400"
    "wholesale|Wholesale|value|#c0392b" "newsletter|Newsletter subscriber|marketing|#2980b9"
    "sms-opt-in|SMS opt-in|marketing|#3498db" "early-adopter|Early adopter|marketing|#1abc9c"
    "referral|Came through a referral|marketing|#16a085" "event-2026|Met at an event in 2026|marketing|#27ae60"
    "cart-abandoner|Abandoned a cart|lifecycle|#f1c40f" "churn-risk|Churn risk|lifecycle|#e74c3c"
    "inactive-90d|Inactive for 90 days|lifecycle|#95a5a6" "seasonal|Seasonal buyer|lifecycle|#7f8c8d"
    "loyalty-gold|Loyalty: gold|loyalty|#f39c12" "loyalty-silver|Loyalty: silver|loyalty|#bdc3c7"
    "beta-tester|Beta tester|product|#8e44ad" "mobile-user|Uses the mobile app|product|#9b59b6"
    "b2b|Business customer|segment|#34495e" "support-priority|Priority support|support|#2c3e50"
    "premium-support|Premium support contract|support|#22313f"
)
[[ $TAGS_PER_CUSTOMER -le ${#TAG_DEFS[@]} ]] || { echo "--tags-per-customer must be at most ${#TAG_DEFS[@]}" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------- tools
ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-tools)
    command -v curl >/dev/null || missing+=(curl)
    install_packages "${missing[@]}"
    command -v wrk >/dev/null && command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null \
        || die "wrk, redis-benchmark and redis-cli are still missing after apt-get install"
}
ensure_tools
command -v java >/dev/null || die "java is not on PATH"
ensure_jar

# ---------------------------------------------------------------------------------------------- start
bench_setup
KEEP_LOGS["$WORK/service-cache-on.log"]=tag-lookup-service.log
KEEP_LOGS["$WORK/service-cache-off.log"]=tag-lookup-service-cache-off.log

start_cached() { # tag cache true|false -> start_service (lib.sh) with CRM_TAGS_CACHE_ENABLED; checks Redis's port
    start_service "tag cache enabled: $1" "$WORK/service-cache-$([[ $1 == true ]] && echo on || echo off).log" \
        CRM_TAGS_CACHE_ENABLED="$1" CRM_RATE_LIMIT_ENABLED=true
    [[ -n "$REDIS_PORT" ]] || die "no 'Embedded Redis listens on 127.0.0.1:PORT' in the service's log"
    REDIS=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT")
    [[ "$("${REDIS[@]}" PING)" == PONG ]] || die "the embedded Redis on port $REDIS_PORT does not answer PING"
}
start_cached true

# ---------------------------------------------------------------------------------------------- seed
# Through the API, as a client would: K tag definitions, N customers, K assignments each (every one a transaction
# with its audit row and a cache invalidation). One curl process per batch reuses its connection.
curl_config() { # method, path, JSON body -> one request of a curl config file (-K), after a "next"
    local body="${3//\\/\\\\}"
    printf 'next\nurl = "%s%s"\nrequest = "%s"\nheader = "X-API-Key: %s"\nheader = "Content-Type: application/json"\n' \
        "$BASE" "$2" "$1" "$API_KEY"
    printf 'data = "%s"\nwrite-out = "\\nHTTP %%{http_code}\\n"\n' "${body//\"/\\\"}"
}
run_batch() { # config file, expected status, what -> the bodies and statuses in "$1.out"; fails on any other status
    sed 1d "$1" | curl -sS -K - >"$1.out" || die "curl failed while seeding $3"  # without the first "next"
    local n bad
    n="$(grep -c '^HTTP [0-9]' "$1.out")"
    bad="$(grep '^HTTP [0-9]' "$1.out" | grep -vc "^HTTP $2\$")" || true
    [[ "$n" -eq "$(grep -c '^url = ' "$1")" && "$bad" -eq 0 ]] \
        || { grep -B1 '^HTTP' "$1.out" | grep -v "^HTTP $2\$" | head -n 6 >&2; die "seeding $3: $bad of $n requests did not return $2"; }
}
seed_t0="$(date +%s%N)"
log "seeding ${#TAG_DEFS[@]} tags and $CUSTOMERS customers with $TAGS_PER_CUSTOMER tags each, through the API"
: >"$WORK/seed-tags.cfg"
TAG_KEYS=()
for def in "${TAG_DEFS[@]}"; do
    IFS='|' read -r key name category color <<<"$def"
    TAG_KEYS+=("$key")
    curl_config POST /api/v1/tags "{\"key\": \"$key\", \"name\": \"$name\", \"category\": \"$category\", \"color\": \"$color\"}" \
        >>"$WORK/seed-tags.cfg"
done
run_batch "$WORK/seed-tags.cfg" 201 tags
: >"$WORK/seed-customers.cfg"
for ((n = 1; n <= CUSTOMERS; n++)); do
    curl_config POST /api/v1/customers "{\"name\": \"Bench Customer $n\", \"email\": \"bench$n@example.com\", \"type\": \"INDIVIDUAL\"}" \
        >>"$WORK/seed-customers.cfg"
done
run_batch "$WORK/seed-customers.cfg" 201 customers
IDS="$WORK/ids.txt"
grep -o '"id" *: *"[0-9a-f-]\{36\}"' "$WORK/seed-customers.cfg.out" | grep -o '[0-9a-f-]\{36\}' >"$IDS"
[[ "$(wc -l <"$IDS")" -eq "$CUSTOMERS" ]] || die "expected $CUSTOMERS customer ids, found $(wc -l <"$IDS")"
# customer n carries the K tags n, n+1, ... (mod the number of tags), so every tag is used and the sets differ
expected_tags() { # n -> its tag keys, sorted, one a line
    local j
    for ((j = 0; j < TAGS_PER_CUSTOMER; j++)); do echo "${TAG_KEYS[$(((n + j) % ${#TAG_KEYS[@]}))]}"; done | LC_ALL=C sort
}
: >"$WORK/seed-assign.cfg"
n=0
while read -r id; do
    n=$((n + 1))
    for key in $(expected_tags "$n"); do curl_config PUT "/api/v1/customers/$id/tags/$key" '{}' >>"$WORK/seed-assign.cfg"; done
done <"$IDS"
run_batch "$WORK/seed-assign.cfg" 201 "tag assignments"
SEED_S="$(awk -v a="$seed_t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
log "seeded in $SEED_S s ($((${#TAG_DEFS[@]} + CUSTOMERS * (1 + TAGS_PER_CUSTOMER))) requests)"

# ---------------------------------------------------------------------------------------------- checks
# authentication is on: without the key /me is a 401
code="$(curl -s -o /dev/null -w '%{http_code}' -m 10 "$BASE/api/v1/me")"
[[ "$code" == 401 ]] || die "GET /api/v1/me without X-API-Key returned $code, expected 401"
hdrs="$("${CURL[@]}" -sS -o "$WORK/me.json" -D - -m 10 "$BASE/api/v1/me")" || die "GET /api/v1/me failed"
grep -qi "^RateLimit-Limit: $RATE_LIMIT_BURST" <<<"$hdrs" \
    || die "the rate limiter is not on, or not at burst $RATE_LIMIT_BURST: $(tr '\r\n' '  ' <<<"$hdrs")"
grep -q '"roles" *: *\[' "$WORK/me.json" || die "GET /api/v1/me returned no roles: $(head -c 300 "$WORK/me.json")"
check_tags() { # customer number n (1-based), output file: its tags are exactly the expected keys
    local id code
    id="$(sed -n "${1}p" "$IDS")"
    code="$("${CURL[@]}" -s -o "$2" -w '%{http_code}' -m 10 "$BASE/api/v1/customers/$id/tags")"
    [[ "$code" == 200 ]] || die "GET /api/v1/customers/$id/tags returned $code: $(head -c 300 "$2")"
    [[ "$(grep -o '"key" *: *"[^"]*"' "$2" | sed 's/.*"\([^"]*\)"$/\1/' | LC_ALL=C sort)" == "$(n="$1" expected_tags)" ]] \
        || die "customer $id: expected tags $(n="$1" expected_tags | tr '\n' ' ')but got $(head -c 400 "$2")"
}
check_tags 1 "$WORK/tags-1.json"
check_tags "$CUSTOMERS" "$WORK/tags-last.json"
log "401 without a key; /me, rate limiter on and tag lookups check out"

# cache counters from /q/metrics (no key needed): "hit miss fallback"
cache_counts() {
    curl -fsS -m 10 "$BASE/q/metrics" | awk '
        /^crm_tags_cache_total\{/ { if (match($0, /result="[a-z]*"/)) c[substr($0, RSTART + 8, RLENGTH - 9)] += $NF }
        END { printf "%.0f %.0f %.0f\n", c["hit"], c["miss"], c["fallback"] }'
}

# ---------------------------------------------------------------------------------------------- scripts
# one Lua file for both endpoints: BENCH_MODE=me|tags; BENCH_VALIDATE=1 also checks every response body
WRK_LUA="$WORK/lookup.lua"
cat >"$WRK_LUA" <<'LUA'
local mode = os.getenv("BENCH_MODE") or "tags"
local validate = os.getenv("BENCH_VALIDATE") == "1"
local expected_tags = tonumber(os.getenv("BENCH_TAGS") or "0")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do
    if #line > 0 then paths[#paths + 1] = "/api/v1/customers/" .. line .. "/tags" end
  end
  bad = 0
  checked = 0
  math.randomseed(os.time() * 100 + tid)
  headers = { ["X-API-Key"] = os.getenv("BENCH_API_KEY") }
end

function request()
  if mode == "me" then
    return wrk.format("GET", "/api/v1/me", headers, nil)
  end
  return wrk.format("GET", paths[math.random(#paths)], headers, nil)
end

if validate then
  -- defined only while validating: wrk reads every body once a response() exists, which costs client CPU
  function response(status, hdrs, body)
    checked = checked + 1
    if status ~= 200 then
      bad = bad + 1
    elseif mode == "me" then
      if not body:find('"roles":[', 1, true) then bad = bad + 1 end
    elseif body:sub(1, 1) ~= "[" or select(2, body:gsub('"key":', '')) ~= expected_tags then
      bad = bad + 1
    end
  end
end

LUA
wrk_lua_done >>"$WRK_LUA"
export BENCH_TAGS="$TAGS_PER_CUSTOMER"

# ---------------------------------------------------------------------------------------------- runs
# run_client, run_wrk, warm_up_service and measure come from lib.sh. /me is the plain "wrk" kind; the tags
# phases are the "tags" kind (wrk, plus the cache's counters around the measured run); Redis is "redisbench".
cache_entries() { # -> "entries mean_bytes" of the tag cache's current epoch in Redis
    local epoch
    epoch="$("${REDIS[@]}" GET crm:tags:epoch)"
    "${REDIS[@]}" --scan --pattern "crm:tags:${epoch:-0}:*" | sed 's/^/STRLEN /' | "${REDIS[@]}" \
        | awk '{ n++; s += $1 } END { printf "%d %.0f\n", n, n ? s / n : 0 }'
}
tags_run() { # phase, output file
    warm_up_service "$1"
    if [[ "$1" == tags ]]; then
        read -r "M[tags.entries]" "M[tags.entry_bytes]" <<<"$(cache_entries)"
        log "tags: ${M[tags.entries]} tag sets cached in Redis, ${M[tags.entry_bytes]} bytes on average"
        [[ "${M[tags.entries]}" -ge "$CUSTOMERS" ]] \
            || log "WARNING: only ${M[tags.entries]} of $CUSTOMERS tag sets are cached after the warm-up"
    fi
    CACHE_BEFORE="$(cache_counts)" || die "cannot read /q/metrics"
    log "$1: measuring ${DURATION} s (c=$CONNECTIONS, t=$THREADS)"
    cpu_mark
    run_wrk "$1" "$DURATION" 0 "$2"
}
tags_parse() { # phase, output file
    wrk_parse "$1" "$2"
    local after
    after="$(cache_counts)" || die "cannot read /q/metrics"
    read -r "M[$1.hits]" "M[$1.misses]" "M[$1.fallbacks]" <<<"$(awk -v a="$CACHE_BEFORE" -v b="$after" \
        'BEGIN { split(a, x, " "); split(b, y, " "); print y[1] - x[1], y[2] - x[2], y[3] - x[3] }')"
    M[$1.hit_ratio]="$(awk -v h="${M[$1.hits]}" -v m="${M[$1.misses]}" -v f="${M[$1.fallbacks]}" \
        'BEGIN { printf "%.4f", (h + m + f) ? h / (h + m + f) : 0 }')"
    log "$1: tag cache during the measured run: ${M[$1.hits]} hits, ${M[$1.misses]} misses, ${M[$1.fallbacks]} fallbacks"
}

redisbench_run() { # phase, output file: GETs of CUSTOMERS keys whose values are as long as a cached tag set
    local bytes="${M[tags.entry_bytes]}" t0 n rps
    [[ "$bytes" -gt 0 ]] || die "no cached tag set to take the value size from"
    # the keys redis-benchmark -r draws from: key:000000000000 ... (12 digits), set once, not measured
    awk -v n="$CUSTOMERS" -v b="$bytes" 'BEGIN { v = sprintf("%*s", b, ""); gsub(/ /, "x", v)
        for (i = 0; i < n; i++) printf "SET key:%012d %s\n", i, v }' | "${REDIS[@]}" >"$WORK/redis-set.txt"
    [[ "$(grep -c '^OK$' "$WORK/redis-set.txt")" -eq "$CUSTOMERS" ]] || die "could not set the redis-benchmark keys"
    [[ "$("${REDIS[@]}" STRLEN "key:$(printf %012d $((CUSTOMERS - 1)))")" -eq "$bytes" ]] || die "redis-benchmark keys have the wrong size"
    REDIS_BENCH=(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -t get -c "$CONNECTIONS" -P 1 -d "$bytes" -r "$CUSTOMERS" --csv)
    # warm-up, which also tells how many GETs make a DURATION-second run (redis-benchmark counts, wrk times)
    log "$1: redis-benchmark warm-up (200000 GETs of $bytes bytes), then about ${DURATION} s (c=$CONNECTIONS, -P 1)"
    t0="$(date +%s%N)"
    run_client "$WORK/$1-warmup.txt" "${REDIS_BENCH[@]}" -n 200000 || { cat "$WORK/$1-warmup.txt" >&2; die "redis-benchmark failed"; }
    M[$1.warmup_s]="$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.0f", (b - a) / 1e9 }')"
    M[$1.warmup_jit_cores]=0
    rps="$(redisbench_col "$WORK/$1-warmup.txt" rps)"
    [[ -n "$rps" ]] || { cat "$WORK/$1-warmup.txt" >&2; die "no rps in redis-benchmark's output"; }
    n="$(awk -v r="$rps" -v d="$DURATION" 'BEGIN { n = r * d; printf "%.0f", n < 200000 ? 200000 : n }')"
    M[$1.requests]="$n"
    REDIS_STATS_BEFORE="$(redis_keyspace)"
    cpu_mark
    run_client "$2" "${REDIS_BENCH[@]}" -n "$n" || { cat "$2" >&2; die "redis-benchmark failed"; }
}
redisbench_col() { # csv output, column name ("rps", "p50_latency_ms", "p99_latency_ms") -> the GET row's value
    tr -d '"\r' <"$1" | awk -F, -v col="$2" '$1 == "test" { for (i = 1; i <= NF; i++) h[$i] = i; next }
        $1 == "GET" && (col in h) { print $h[col]; exit }'
}
redis_keyspace() { "${REDIS[@]}" INFO stats | tr -d '\r' | awk -F: '$1 == "keyspace_hits" { h = $2 } $1 == "keyspace_misses" { m = $2 } END { print h + 0, m + 0 }'; }
redisbench_parse() { # phase, output file
    local after
    after="$(redis_keyspace)"
    M[$1.rate]="$(redisbench_col "$2" rps)"
    M[$1.p50]="$(redisbench_col "$2" p50_latency_ms)"
    M[$1.p99]="$(redisbench_col "$2" p99_latency_ms)"
    [[ -n "${M[$1.rate]}" && -n "${M[$1.p99]}" ]] || { cat "$2" >&2; die "no rps or p99 in redis-benchmark's output"; }
    # every GET must have found its key (the service, idle meanwhile, adds a handful of lookups at most)
    read -r "M[$1.keyspace_hits]" "M[$1.keyspace_misses]" <<<"$(awk -v a="$REDIS_STATS_BEFORE" -v b="$after" \
        'BEGIN { split(a, x, " "); split(b, y, " "); print y[1] - x[1], y[2] - x[2] }')"
    [[ "${M[$1.keyspace_hits]}" -ge "${M[$1.requests]}" && "${M[$1.keyspace_misses]}" -le $((${M[$1.requests]} / 100)) ]] \
        || die "redis-benchmark's GETs: ${M[$1.keyspace_hits]} found their key, ${M[$1.keyspace_misses]} missed (of ${M[$1.requests]})"
    # the keys go again, so the service's Redis holds only what the service wrote
    "${REDIS[@]}" --scan --pattern 'key:[0-9]*' | sed 's/^/DEL /' | "${REDIS[@]}" >/dev/null
}

measure me
measure tags tags
[[ "$(calc %d "${M[tags.hit_ratio]} >= $HIT_RATIO_MIN")" == 1 ]] && HITS_DOMINATE=true || HITS_DOMINATE=false
[[ $HITS_DOMINATE == true ]] || log "WARNING: hit ratio ${M[tags.hit_ratio]} < $HIT_RATIO_MIN: the cached run did not only measure the cache"
check_tags 1 "$WORK/tags-1-cached.json"
measure redis_get redisbench
RSS_MIB="$(rss_mib)"

# The same tag lookup without the cache: the service restarted on the same data with CRM_TAGS_CACHE_ENABLED=false,
# so every lookup is one PostgreSQL query. A fresh JVM, so it warms up again.
stop_service
FIRST_STARTUP_S="$STARTUP_S"
start_cached false
RESTART_S="$STARTUP_S"
STARTUP_S="$FIRST_STARTUP_S"
check_tags 1 "$WORK/tags-1-uncached.json"
cmp -s "$WORK/tags-1-cached.json" "$WORK/tags-1-uncached.json" \
    || log "WARNING: customer 1's tags read from the cache and from PostgreSQL differ: $(head -c 300 "$WORK/tags-1-cached.json") / $(head -c 300 "$WORK/tags-1-uncached.json")"
log "tag cache off; tag lookup check passed"
measure tags_nocache tags
[[ "${M[tags_nocache.hits]}" == 0 && "${M[tags_nocache.misses]}" == 0 && "${M[tags_nocache.fallbacks]}" == 0 ]] \
    || die "with CRM_TAGS_CACHE_ENABLED=false the tag cache still counted ${M[tags_nocache.hits]} hits, ${M[tags_nocache.misses]} misses, ${M[tags_nocache.fallbacks]} fallbacks"
RSS_NOCACHE_MIB="$(rss_mib)"

# ---------------------------------------------------------------------------------------------- report
TAGS_ME_RATIO="$(calc %.2f "${M[tags.rate]} / ${M[me.rate]}")"
TAGS_REDIS_RATIO="$(calc %.2f "${M[tags.rate]} / ${M[redis_get.rate]}")"
CACHE_RATIO="$(calc %.2f "${M[tags.rate]} / ${M[tags_nocache.rate]}")"
TAGS_OK="$(meets "$TAGS_ME_RATIO" "$TAGS_TARGET")"
NOISY="$(noisy me tags redis_get tags_nocache)"
NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
C="$CONNECTIONS"
lat() { printf 'p50 %s / p99 %s ms' "${M[$1.p50]}" "${M[$1.p99]}"; }
{
    echo
    echo "=== tag lookup ($NOW, $NCPU cores, $CUSTOMERS customers x $TAGS_PER_CUSTOMER tags, ${DURATION} s per run;" \
        "warm-up s: me ${M[me.warmup_s]}, tags ${M[tags.warmup_s]}, Redis ${M[redis_get.warmup_s]}, tags uncached ${M[tags_nocache.warmup_s]}) ==="
    echo "every HTTP request with X-API-Key; rate limiter on (burst $RATE_LIMIT_BURST, $RATE_LIMIT_PER_SECOND/s: never refuses)"
    echo "trivial GET /api/v1/me (wrk, c=$C): $(calc %.0f "${M[me.rate]}") req/s   $(lat me)"
    echo "tags GET /api/v1/customers/{id}/tags, cache on (wrk, c=$C): $(calc %.0f "${M[tags.rate]}") req/s   $(lat tags)"
    echo "    ratio to /me: $TAGS_ME_RATIO  (target >= $TAGS_TARGET: $(verdict "$TAGS_OK"))"
    echo "    tag cache in the measured run: hit ratio ${M[tags.hit_ratio]} (${M[tags.hits]} hits, ${M[tags.misses]} misses," \
        "${M[tags.fallbacks]} fallbacks); ${M[tags.entries]} tag sets cached, ${M[tags.entry_bytes]} bytes on average"
    echo "redis-benchmark GET, -d ${M[tags.entry_bytes]} -P 1 (c=$C, same Redis): $(calc %.0f "${M[redis_get.rate]}") req/s   $(lat redis_get)"
    echo "    cached tags / Redis GET: $TAGS_REDIS_RATIO"
    echo "tags GET, cache off: PostgreSQL only (wrk, c=$C): $(calc %.0f "${M[tags_nocache.rate]}") req/s   $(lat tags_nocache)"
    echo "    cached / uncached: $CACHE_RATIO"
    echo "start-up to ready: $STARTUP_S s (restart with the cache off: $RESTART_S s)   RSS after run: $RSS_MIB MiB (cache off: $RSS_NOCACHE_MIB MiB)"
    echo "CPU per request: /me $(cpu_us me); tags cached $(cpu_us tags);"
    echo "                 tags uncached $(cpu_us tags_nocache); Redis GET: Redis ${M[redis_get.redis_us]} us"
    echo "CPU in cores of $NCPU during each measured run (machine ${BACKGROUND_BUSY}% busy before start):"
    cpu_line me wrk
    cpu_line tags wrk
    cpu_line redis_get redis-bench
    cpu_line tags_nocache wrk
    if [[ "$NOISY" == true ]]; then
        echo "WARNING: other processes (or other guests: steal) used CPU during the run; these ratios are not from a quiet machine"
    fi
    if [[ "$HITS_DOMINATE" != true ]]; then
        echo "WARNING: the tag cache's hit ratio was ${M[tags.hit_ratio]} (< $HIT_RATIO_MIN): the cached run is not valid"
    fi
} | tee "$WORK/summary.txt"

cache_json() { # phase
    printf '{ "hits": %s, "misses": %s, "fallbacks": %s, "hit_ratio": %s }' \
        "${M[$1.hits]}" "${M[$1.misses]}" "${M[$1.fallbacks]}" "${M[$1.hit_ratio]}"
}
mkdir -p "$OUT_DIR"
cat >"$JSON_OUT" <<JSON
{
  "benchmark": "tag-lookup",
  "date": "$NOW",
  "git": "$(git_rev)",
  "machine": { "cores": $NCPU, "cpu": "$(cpu_model)", "busy_pct_before_start": $BACKGROUND_BUSY, "noisy": $NOISY },
  "params": { "customers": $CUSTOMERS, "tags_per_customer": $TAGS_PER_CUSTOMER, "tag_definitions": ${#TAG_DEFS[@]},
              "connections": $CONNECTIONS, "threads": $THREADS, "duration_s": $DURATION,
              "warmup_min_s": $WARMUP, "warmup_max_s": $MAX_WARMUP, "warmup_jit_quiet_cores": $JIT_QUIET,
              "auth": "X-API-Key", "rate_limit_burst": $RATE_LIMIT_BURST, "rate_limit_per_second": $RATE_LIMIT_PER_SECOND,
              "seed_s": $SEED_S },
  "me": $(phase_json me wrk rps),
  "tags_cached": $(phase_json tags wrk rps),
  "redis_get": $(phase_json redis_get "redis-benchmark -t get -P 1 -d ${M[tags.entry_bytes]} -r $CUSTOMERS -n ${M[redis_get.requests]}" rps),
  "tags_uncached": $(phase_json tags_nocache wrk rps),
  "tag_cache": { "entries": ${M[tags.entries]}, "entry_bytes_avg": ${M[tags.entry_bytes]},
                 "cached_run": $(cache_json tags), "hit_ratio_min": $HIT_RATIO_MIN, "hits_dominate": $HITS_DOMINATE,
                 "uncached_run": $(cache_json tags_nocache) },
  "ratios": {
    "tags_cached_to_me": $TAGS_ME_RATIO, "tags_cached_to_me_target": $TAGS_TARGET, "tags_cached_to_me_meets_target": $TAGS_OK,
    "tags_cached_to_redis_get": $TAGS_REDIS_RATIO,
    "tags_cached_to_uncached": $CACHE_RATIO
  },
  "startup_to_ready_s": $STARTUP_S,
  "restart_to_ready_cache_off_s": $RESTART_S,
  "rss_after_run_mib": $RSS_MIB,
  "rss_after_run_cache_off_mib": $RSS_NOCACHE_MIB
}
JSON
log "wrote $JSON_OUT"
[[ "$HITS_DOMINATE" == true ]] || die "the tag cache's hit ratio in the cached run was ${M[tags.hit_ratio]}, below $HIT_RATIO_MIN"
