# Shared helpers of the benchmark scripts in src/bench (sourced, not run): tool installation, the private copy of
# the packaged service and its start and stop on a fresh data directory, CPU accounting per process (service and
# its JIT threads, embedded PostgreSQL, embedded Redis, load generator, everything else), JIT-aware warm-ups,
# wrk runs, noise detection and the pieces of the summary and the JSON.
#
# The sourcing script sets ROOT, OUT_DIR, BENCH_NAME, DURATION, CONNECTIONS, THREADS, WARMUP, MAX_WARMUP,
# JIT_QUIET, RATE_LIMIT_BURST and RATE_LIMIT_PER_SECOND, then calls bench_setup; it writes its wrk Lua script to
# $WRK_LUA (see run_wrk for the protocol) and its ids to $IDS.
# shellcheck shell=bash

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
works() { "$@" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------- tools
install_packages() { # Debian packages... (apt-get, through sudo when not root)
    [[ $# -eq 0 ]] && return
    local sudo=()
    [[ $(id -u) -ne 0 ]] && sudo=(sudo)
    log "installing $*"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}

# ---------------------------------------------------------------------------------------------- build
maven_running_here() { # another Maven working in this tree may be rewriting target/quarkus-app right now
    local p
    for p in $(pgrep -f plexus-classworlds 2>/dev/null); do
        [[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" == "$ROOT" ]] && return 0
    done
    return 1
}
ensure_jar() { # builds target/quarkus-app when BUILD=1 or when it is missing; waits for another Maven first
    JAR_DIR="$ROOT/target/quarkus-app"
    local i
    if maven_running_here; then
        log "another Maven is running in $ROOT; waiting for it (at most 5 min) before using target/quarkus-app"
        for ((i = 0; i < 300; i++)); do maven_running_here || break; sleep 1; done
        maven_running_here && log "WARNING: Maven is still running in $ROOT; going on (and the machine is not quiet)"
    fi
    if [[ ${BUILD:-0} -eq 1 || ! -f "$JAR_DIR/quarkus-run.jar" ]]; then
        log "building the service (./mvnw -B -q package -DskipTests)"
        (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
    fi
    [[ -f "$JAR_DIR/quarkus-run.jar" ]] || die "$JAR_DIR/quarkus-run.jar is missing after the build"
}

# ---------------------------------------------------------------------------------------------- cleanup
SVC_PID=""
CLIENT_PID="" # the running load generator
declare -A KEEP_LOGS=() # service log in $WORK -> file name under $OUT_DIR, copied on exit

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
    for f in "${!KEEP_LOGS[@]}"; do
        rm -f "$OUT_DIR/${KEEP_LOGS[$f]}"
        [[ -f "$f" ]] && cp "$f" "$OUT_DIR/${KEEP_LOGS[$f]}"
    done
    rm -rf "$WORK"
    exit "$rc"
}

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
all_ticks() { # "pid ppid ticks comm" of every process (one that exits meanwhile is left out, not an error)
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk '{
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

# ---------------------------------------------------------------------------------------------- set-up
bench_setup() { # -> WORK, DATA, API_KEY, CURL, BACKGROUND_BUSY; the private copy of the service; exit trap
    WORK="$(mktemp -d -t crm-bench.XXXXXX)"
    DATA="$WORK/data"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    BACKGROUND_BUSY="$(background_busy)"
    [[ "$BACKGROUND_BUSY" -le 20 ]] || log "WARNING: the machine is already ${BACKGROUND_BUSY}% busy before the benchmark starts"
    # run from a private copy so that a concurrent `mvn package` in the work tree cannot pull the jar from under us
    cp -a "$JAR_DIR" "$WORK/app"
    [[ -f "$WORK/app/quarkus-run.jar" && -d "$WORK/app/lib" ]] || die "incomplete copy of $JAR_DIR (is a build running?)"
    mkdir -p "$DATA" "$OUT_DIR"
    unset CRM_DB_URL CRM_REDIS_URL PGPASSWORD PGSERVICE PGOPTIONS
    # a random, well-formed bootstrap admin key ('hcrm_' + 40 letters and digits); the service stores its hash on start
    API_KEY="hcrm_$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)" || true
    [[ $API_KEY =~ ^hcrm_[A-Za-z0-9]{40}$ ]] || die "could not make a random API key"
    # every curl to the service sends the key (read from a file); only 401 checks go without it
    printf 'X-API-Key: %s\n' "$API_KEY" >"$WORK/auth-header"
    CURL=(curl -H "@$WORK/auth-header")
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_service LABEL LOG [VAR=VALUE...]: the packaged service on its embedded PostgreSQL and Redis in $DATA, with the
# bootstrap key and a rate limit that never refuses, plus the given variables
#   -> SVC_PID, SVC_LOG, PORT, BASE, STARTUP_S, PG_PORT, PG_PM, REDIS_PORT, REDIS_PID; PG* exported for psql
start_service() {
    local label="$1" start_ns ready_ns="" i
    SVC_LOG="$2"
    shift 2
    PORT=18080
    while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
    log "starting the service on port $PORT ($label), data in $DATA"
    start_ns="$(date +%s%N)"
    # shellcheck disable=SC2086
    env CRM_DATA_DIR="$DATA" QUARKUS_HTTP_PORT="$PORT" CRM_BOOTSTRAP_API_KEY="$API_KEY" \
        CRM_RATE_LIMIT_BURST="$RATE_LIMIT_BURST" CRM_RATE_LIMIT_PER_SECOND="$RATE_LIMIT_PER_SECOND" "$@" \
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

    # "Embedded PostgreSQL listens on 127.0.0.1:PORT", else Flyway's "Database: jdbc:postgresql://...", else ps
    PG_PORT="$(grep -ao 'Embedded PostgreSQL listens on 127\.0\.0\.1:[0-9]*' "$SVC_LOG" | head -n1 | sed 's/.*://')" || true
    if [[ -z "$PG_PORT" ]]; then
        PG_PORT="$(grep -ao 'jdbc:postgresql://127\.0\.0\.1:[0-9]*/crm' "$SVC_LOG" | head -n1 | sed 's/.*:\([0-9]*\)\/crm/\1/')" || true
    fi
    if [[ -z "$PG_PORT" ]]; then
        PG_PORT="$(ps -eo args= | grep -a -- "postgres -D $DATA/postgres" | grep -v grep | grep -o -- '-p [0-9]*' | head -n1 \
            | tr -dc 0-9)" || true
    fi
    [[ -n "$PG_PORT" ]] || die "cannot find the embedded PostgreSQL's port (neither in the log nor in ps)"
    REDIS_PORT="$(grep -ao 'Embedded Redis listens on 127\.0\.0\.1:[0-9]*' "$SVC_LOG" | head -n1 | sed 's/.*://')" || true
    PG_PM="$(head -n1 "$DATA/postgres/postmaster.pid" 2>/dev/null | tr -dc 0-9)" || true
    [[ -n "$PG_PM" ]] || log "WARNING: no $DATA/postgres/postmaster.pid, PostgreSQL's CPU is not measured"
    REDIS_PID="$(head -n1 "$DATA/redis/redis.pid" 2>/dev/null | tr -dc 0-9)" || true
    # the embedded binary is redis-server-6.2.6-v5-linux-amd64, whose comm is cut to 15 characters
    if [[ -z "$REDIS_PID" ]] || ! grep -q '^redis-server' "/proc/$REDIS_PID/comm" 2>/dev/null; then
        log "WARNING: no live embedded Redis in $DATA/redis/redis.pid, Redis's CPU is counted as other"
        REDIS_PID=""
    fi
    export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=crm PGCONNECT_TIMEOUT=10
    log "embedded PostgreSQL on port $PG_PORT (postmaster ${PG_PM:-?}), Redis on port ${REDIS_PORT:-?} (pid ${REDIS_PID:-?})"
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
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SVC_PID/status"; }

# ---------------------------------------------------------------------------------------------- load generators
# The load generator runs in the background and the script waits for it, so that a signal stops the benchmark
# at once (bash runs traps only between foreground commands); its CPU time comes from `times` (the CPU time of
# this shell's reaped children), which is read in this shell, not in a $(...) subshell.
run_client() { # output file, command... -> the command's exit status; "$out.cpu" gets its CPU seconds, "$out.secs" its wall time
    local out="$1" rc=0 t0
    shift
    times >"$WORK/times.before"
    t0="$(date +%s%N)"
    "$@" >"$out" 2>&1 </dev/null &
    CLIENT_PID=$!
    wait "$CLIENT_PID" || rc=$?
    CLIENT_PID=""
    times >"$WORK/times.after"
    awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >"$out.secs"
    # line 2 of `times`: children's user and system time, as 0m1.234s 0m0.567s
    awk 'FNR == 2 { for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t[FILENAME] += p[1] * 60 + p[2] } }
        END { print t[ARGV[2]] - t[ARGV[1]] }' "$WORK/times.before" "$WORK/times.after" >"$out.cpu"
    return "$rc"
}
client_cores() { awk -v c="$(cat "$1.cpu")" -v s="$(cat "$1.secs")" 'BEGIN { printf "%.2f", (s > 0) ? c / s : 0 }'; }

# wrk with $WRK_LUA; BENCH_MODE is the phase's name up to its first _ (rest_nolimit -> rest). The Lua script reads
# BENCH_IDS and BENCH_API_KEY, checks every response when BENCH_VALIDATE=1 and prints BENCH_CHECKED, BENCH_BAD,
# BENCH_P50_MS and BENCH_P99_MS from done().
run_wrk() { # phase, seconds, validate (0|1), output file
    run_client "$4" env BENCH_MODE="${1%%_*}" BENCH_VALIDATE="$3" BENCH_IDS="$IDS" BENCH_API_KEY="$API_KEY" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --timeout 10s -s "$WRK_LUA" "$BASE" \
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
wrk_lua_done() { # the wrk script's done(): the validation counts and the latency percentiles the phases parse
    cat <<'LUA'

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
}

wrk_rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1" | head -n1; }
wrk_stat() { sed -n "s/^$2 \\([0-9.]*\\)/\\1/p" "$1" | head -n1; }

declare -A M # results: M[<phase>.<key>]

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

# the "wrk" kind of phase for measure()
wrk_run() { # phase, output file
    warm_up_service "$1"
    log "$1: measuring ${DURATION} s (c=$CONNECTIONS, t=$THREADS)"
    cpu_mark
    run_wrk "$1" "$DURATION" 0 "$2"
}
wrk_parse() { # phase, output file
    M[$1.rate]="$(wrk_rps "$2")"
    M[$1.p50]="$(wrk_stat "$2" BENCH_P50_MS)"
    M[$1.p99]="$(wrk_stat "$2" BENCH_P99_MS)"
    [[ -n "${M[$1.rate]}" ]] || { cat "$2" >&2; die "no Requests/sec in the wrk output"; }
}

# measure PHASE [KIND]: KIND_run (phase, output file) warms up (not reported), calls cpu_mark and runs the measured
# load through run_client, and nothing after it; KIND_parse (phase, output file) sets M[phase.rate], M[phase.p50] and
# M[phase.p99]. Fills M[phase.*] with the CPU split and the CPU per operation.
measure() {
    local phase="$1" kind="${2:-wrk}" out="$WORK/$1.txt" cpu secs
    "${kind}_run" "$phase" "$out"
    cpu="$(cpu_report "$(client_cores "$out")")"
    read -r "M[$phase.busy]" "M[$phase.service_cores]" "M[$phase.postgres_cores]" "M[$phase.client_cores]" \
        "M[$phase.other_cores]" "M[$phase.jit_cores]" "M[$phase.steal]" "M[$phase.redis_cores]" <<<"$cpu"
    secs="$(cat "$out.secs")"
    M[$phase.secs]="$secs"
    M[$phase.other_top]="$(other_top "$secs" | tr -d '"\\')"
    "${kind}_parse" "$phase" "$out"
    M[$phase.service_us]="$(awk -v c="${M[$phase.service_cores]}" -v r="${M[$phase.rate]}" 'BEGIN { printf "%.0f", 1e6 * c / r }')"
    M[$phase.postgres_us]="$(awk -v c="${M[$phase.postgres_cores]}" -v r="${M[$phase.rate]}" 'BEGIN { printf "%.0f", 1e6 * c / r }')"
    M[$phase.redis_us]="$(awk -v c="${M[$phase.redis_cores]}" -v r="${M[$phase.rate]}" 'BEGIN { printf "%.0f", 1e6 * c / r }')"
    log "$phase: ${M[$phase.rate]}/s; machine ${M[$phase.busy]}% busy, other processes ${M[$phase.other_cores]} cores${M[$phase.other_top]:+ (${M[$phase.other_top]})}"
}

# ---------------------------------------------------------------------------------------------- report
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
meets() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t + 0) ? "true" : "false" }'; }
verdict() { if [[ "$1" == true ]]; then echo "meets target"; else echo "BELOW target"; fi; }
noisy() { # phases... -> true when another process used 0.2 cores or more, steal reached 10%, or the machine was busy before
    local ph
    for ph in "$@"; do
        [[ "$(calc %d "${M[$ph.other_cores]} >= 0.2")" == 1 || "${M[$ph.steal]}" -ge 10 ]] && { echo true; return; }
    done
    [[ "$BACKGROUND_BUSY" -gt 20 ]] && { echo true; return; }
    echo false
}
cpu_line() { # phase, client name
    printf '  %-12s %3s%% busy (steal %s%%) = service %s (JIT %s) + PostgreSQL %s + Redis %s + %s %s + other %s%s\n' \
        "$1" "${M[$1.busy]}" "${M[$1.steal]}" "${M[$1.service_cores]}" "${M[$1.jit_cores]}" "${M[$1.postgres_cores]}" \
        "${M[$1.redis_cores]}" "$2" "${M[$1.client_cores]}" "${M[$1.other_cores]}" "${M[$1.other_top]:+   other: ${M[$1.other_top]}}"
}
cpu_us() { # phase -> "service 103 us + PostgreSQL 59 us + Redis 12 us"
    printf 'service %s us + PostgreSQL %s us + Redis %s us' "${M[$1.service_us]}" "${M[$1.postgres_us]}" "${M[$1.redis_us]}"
}
git_rev() { # the commit, "-dirty" when src/ or pom.xml has uncommitted changes (the jar may hold them)
    local rev
    rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)" || { echo unknown; return; }
    [[ -n "$(git -C "$ROOT" status --porcelain -- src/main pom.xml 2>/dev/null)" ]] && rev="$rev-dirty"
    echo "$rev"
}
cpu_model() { awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo | tr -d '"\\'; }
phase_json() { # phase, tool, rate name, latency name (p50, or avg when M[phase.p50] is an average)
    local p="$1"
    printf '{ "tool": "%s", "%s": %s, "latency_%s_ms": %s, "latency_p99_ms": %s,\n' "$2" "$3" "${M[$p.rate]}" \
        "${4:-p50}" "${M[$p.p50]:-null}" "${M[$p.p99]:-null}"
    printf '      "warmup_s": %s, "warmup_last_step_jit_cores": %s, "cpu_us_per_op": { "service": %s, "postgres": %s, "redis": %s },\n' \
        "${M[$p.warmup_s]}" "${M[$p.warmup_jit_cores]}" "${M[$p.service_us]}" "${M[$p.postgres_us]}" "${M[$p.redis_us]}"
    printf '      "cpu_cores": { "machine_busy_pct": %s, "steal_pct": %s, "service": %s, "postgres": %s, "redis": %s, "client": %s, "other": %s, "service_jit": %s, "other_top": "%s" } }' \
        "${M[$p.busy]}" "${M[$p.steal]}" "${M[$p.service_cores]}" "${M[$p.postgres_cores]}" "${M[$p.redis_cores]}" \
        "${M[$p.client_cores]}" "${M[$p.other_cores]}" "${M[$p.jit_cores]}" "${M[$p.other_top]}"
}

# ---------------------------------------------------------------------------------------------- webhook receiver
# .ci/WebhookReceiver.java, for the scripts that measure deliveries: receiver_setup once (after bench_setup), then
# start_receiver / stop_receiver around each phase that needs it.
RECV_PID=""
receiver_setup() { # -> RECV_PORT (free from 19080 up), the receiver's source in WORK
    cp "$ROOT/.ci/WebhookReceiver.java" "$WORK/WebhookReceiver.java"
    RECV_PORT=19080
    while port_in_use "$RECV_PORT"; do RECV_PORT=$((RECV_PORT + 1)); done
}
start_receiver() { # output file, secret -> RECV_PID, RECV_URL; waits until it answers
    local i
    java -XX:+UseParallelGC "$WORK/WebhookReceiver.java" "$RECV_PORT" "$1" "$2" >"$1.log" 2>&1 </dev/null &
    RECV_PID=$!
    RECV_URL="http://127.0.0.1:$RECV_PORT"
    for ((i = 0; i < 600; i++)); do
        curl -fs -o /dev/null -m 2 "$RECV_URL/" && return 0
        pid_alive "$RECV_PID" || break
        sleep 0.1
    done
    cat "$1.log" >&2
    die "the receiver did not start on port $RECV_PORT"
}
stop_receiver() { # SIGTERM: it flushes its output and writes its counts to <output file>.summary
    [[ -n "$RECV_PID" ]] || return 0
    stop_pid "$RECV_PID" 10
    wait "$RECV_PID" 2>/dev/null || true
    RECV_PID=""
}
receiver_summary() { sed -n "s/^$2=//p" "$1.summary" 2>/dev/null; }
