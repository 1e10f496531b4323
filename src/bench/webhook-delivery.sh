#!/usr/bin/env bash
# Webhook delivery benchmark: how fast the service empties its outbox into one endpoint, against how fast the
# receiver itself can take requests, and how long a touchpoint takes from its commit to the receiver at a steady
# rate, measured in one run on one machine.
#
# The receiver is .ci/WebhookReceiver.java (JDK HttpServer, 32 threads, every Standard Webhooks signature checked;
# one line per request with the time it arrived). Phases:
#   1. receiver ceiling   wrk POSTs a signed ~600-byte touchpoint.created body to the receiver (c=C): req/s
#   2. outbox drain       the service started with CRM_WEBHOOK_DISPATCH_ENABLED=false; N touchpoints created in
#                         batches of 500 (N messages wait in the outbox); stopped (SIGTERM) and started again with
#                         the dispatcher on: deliveries/s = N / (last receipt - first receipt), plus the rate over
#                         the middle 80 % of the receipts, and the time from ready until all N arrived
#   3. commit to receipt  the dispatcher on and warm; touchpoints created in small batches every 50 ms at about
#                         half the drain rate for --paced-seconds; p50/p99 of (receipt - data.touchpoint.createdAt)
# Results are ratios (deliveries/s / receiver req/s) because absolute numbers on a shared 2-core machine mean little.
# The dispatcher's knobs come from the environment and are reported: CRM_WEBHOOK_DISPATCH_MAX_IN_FLIGHT (400),
# CRM_WEBHOOK_DISPATCH_BATCH_SIZE (200), CRM_WEBHOOK_DISPATCH_CONNECTIONS_PER_ENDPOINT (64); JAVA_OPTS goes to the
# service's JVM.
#
# Usage: src/bench/webhook-delivery.sh [--messages N] [--duration S] [--connections C] [--paced-seconds S]
#                                      [--paced-rate R] [--build]
# Options: --messages N in the outbox (20000), --duration S of the measured wrk run against the receiver (12, after
# a 5 s warm-up), --connections C for wrk (16), --paced-seconds S of paced creation (15), --paced-rate R
# touchpoints/s (default: half the measured drain rate), --build to rebuild the jar first (built when missing).
# Writes target/bench/webhook-delivery.json (and the service's logs next to it).
set -euo pipefail

MESSAGES=20000
DURATION=12
CONNECTIONS=16
PACED_SECONDS=15
PACED_RATE=0
BATCH=500
CUSTOMERS=100
BUILD=0
WARMUP=5
MAX_WARMUP=5
JIT_QUIET=1
DRAIN_TARGET=3000    # deliveries/s the issue asks for (reported, not enforced)
RATE_LIMIT_BURST=100000000
RATE_LIMIT_PER_SECOND=100000000

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --messages) MESSAGES="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --paced-seconds) PACED_SECONDS="$2"; shift 2 ;;
        --paced-rate) PACED_RATE="$2"; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done
for v in MESSAGES DURATION CONNECTIONS PACED_SECONDS; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || { o="${v,,}"; echo "--${o//_/-} must be a positive integer" >&2; exit 2; }
done
[[ $PACED_RATE =~ ^[0-9]+$ ]] || { echo "--paced-rate must be a non-negative integer" >&2; exit 2; }
THREADS=$((CONNECTIONS < 2 ? CONNECTIONS : 2))

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/bench"
JSON_OUT="$OUT_DIR/webhook-delivery.json"
BENCH_NAME=webhook-delivery
# shellcheck source=src/bench/lib.sh
source "$ROOT/src/bench/lib.sh"

# ---------------------------------------------------------------------------------------------- tools
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
install_packages "${missing[@]}"
command -v wrk >/dev/null && command -v curl >/dev/null || die "wrk and curl are still missing after apt-get install"
command -v java >/dev/null || die "java is not on PATH"
command -v python3 >/dev/null || die "python3 is not on PATH"
ensure_jar

bench_setup
KEEP_LOGS["$WORK/service-fill.log"]=webhook-delivery-service-fill.log
KEEP_LOGS["$WORK/service-drain.log"]=webhook-delivery-service.log
KNOBS="max-in-flight ${CRM_WEBHOOK_DISPATCH_MAX_IN_FLIGHT:-400}, batch-size ${CRM_WEBHOOK_DISPATCH_BATCH_SIZE:-200},"
KNOBS="$KNOBS connections-per-endpoint ${CRM_WEBHOOK_DISPATCH_CONNECTIONS_PER_ENDPOINT:-64}${JAVA_OPTS:+, JAVA_OPTS $JAVA_OPTS}"
log "dispatcher: $KNOBS"

# ---------------------------------------------------------------------------------------------- receiver
receiver_setup
bench_cleanup() { # the receiver first, then lib.sh's cleanup (which exits with the script's status)
    local rc=$?
    set +e
    stop_receiver
    (exit "$rc")
    cleanup
}
trap bench_cleanup EXIT

# ---------------------------------------------------------------------------------------------- 1. receiver ceiling
# a body the size and shape of a real touchpoint.created delivery, signed once with a secret made for this phase
SECRET_A="whsec_$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
python3 - "$SECRET_A" >"$WORK/signed.txt" <<'PY'
import base64, hashlib, hmac, json, sys, time, uuid
secret = base64.b64decode(sys.argv[1][len("whsec_"):])
now = time.strftime("%Y-%m-%dT%H:%M:%S.123456Z", time.gmtime())
body = json.dumps({"type": "touchpoint.created", "timestamp": now[:23] + "Z", "data": {
    "touchpoint": {"id": str(uuid.uuid4()), "customerId": str(uuid.uuid4()), "channel": "EMAIL", "purpose": "marketing",
                   "content": {"subject": "Your order has shipped",
                               "body": "Hello, your order 12345 left our warehouse today and should arrive on Friday."},
                   "source": "MANUAL", "status": "QUEUED", "statusReason": None, "createdAt": now, "updatedAt": now},
    "recipient": {"customerId": str(uuid.uuid4()), "name": "Bench Customer 42", "email": "bench42@example.com",
                  "phone": None}}}, separators=(",", ":"))
msg_id, ts = "msg_" + uuid.uuid4().hex, str(int(time.time()))
sig = base64.b64encode(hmac.new(secret, f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256).digest()).decode()
print(msg_id); print(ts); print("v1," + sig); print(body)
PY
BODY_BYTES="$(sed -n 4p "$WORK/signed.txt" | tr -d '\n' | wc -c)"
WRK_LUA="$WORK/receiver.lua"
cat >"$WRK_LUA" <<'LUA'
local validate = os.getenv("BENCH_VALIDATE") == "1"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = io.open(os.getenv("BENCH_IDS"))
  local id, ts, sig, body = f:read("*l"), f:read("*l"), f:read("*l"), f:read("*l")
  f:close()
  req = wrk.format("POST", "/hook", { ["Content-Type"] = "application/json", ["webhook-id"] = id,
    ["webhook-timestamp"] = ts, ["webhook-signature"] = sig, ["User-Agent"] = "HeadlessCRM-Webhooks/1.0" }, body)
  bad = 0
  checked = 0
end

function request()
  return req
end

if validate then
  function response(status, hdrs, body)
    checked = checked + 1
    if status ~= 200 then bad = bad + 1 end
  end
end

LUA
wrk_lua_done >>"$WRK_LUA"
IDS="$WORK/signed.txt"

start_receiver "$WORK/received-wrk.txt" "$SECRET_A"
BASE="$RECV_URL"
log "receiver: warm-up ${WARMUP} s, then ${DURATION} s (wrk c=$CONNECTIONS, t=$THREADS, $BODY_BYTES-byte body)"
run_wrk receiver "$WARMUP" 1 "$WORK/receiver-warmup.txt"
SVC_PID="$RECV_PID" # CPU accounting: the receiver is "the service" of this phase
cpu_mark
run_wrk receiver "$DURATION" 0 "$WORK/receiver.txt"
read -r "M[receiver.busy]" "M[receiver.service_cores]" _ _ "M[receiver.other_cores]" _ "M[receiver.steal]" _ \
    <<<"$(cpu_report "$(client_cores "$WORK/receiver.txt")")"
M[receiver.client_cores]="$(client_cores "$WORK/receiver.txt")"
SVC_PID=""
wrk_parse receiver "$WORK/receiver.txt"
stop_receiver
[[ "$(receiver_summary "$WORK/received-wrk.txt" bad_signatures)" == 0 ]] \
    || die "the receiver counted bad signatures on the wrk body: $(cat "$WORK/received-wrk.txt.summary")"
log "receiver ceiling: ${M[receiver.rate]} req/s (p50 ${M[receiver.p50]} ms, p99 ${M[receiver.p99]} ms)"

# ---------------------------------------------------------------------------------------------- 2. outbox drain
WEBHOOK_ENV=(CRM_WEBHOOK_ALLOWLIST=127.0.0.0/8)
start_service "dispatcher off: filling the outbox" "$WORK/service-fill.log" "${WEBHOOK_ENV[@]}" CRM_WEBHOOK_DISPATCH_ENABLED=false
grep -q 'Webhook dispatcher disabled' "$WORK/service-fill.log" || die "the service did not log that its dispatcher is disabled"
"${CURL[@]}" -fsS -m 30 -H 'Content-Type: application/json' -X POST "$BASE/api/v1/webhook-endpoints" \
    -d "{\"url\": \"http://127.0.0.1:$RECV_PORT/hook\", \"eventTypes\": [\"touchpoint.created\"]}" >"$WORK/endpoint.json" \
    || die "cannot create the webhook endpoint"
SECRET="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["secret"])' "$WORK/endpoint.json")"
ENDPOINT_ID="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/endpoint.json")"

curl_post_config() { # path, body file -> one request of a curl config file
    printf 'next\nurl = "%s%s"\nrequest = "POST"\nheader = "X-API-Key: %s"\nheader = "Content-Type: application/json"\n' \
        "$BASE" "$1" "$API_KEY"
    printf 'data-binary = "@%s"\nwrite-out = "\\nHTTP %%{http_code}\\n"\n' "$2"
}
: >"$WORK/customers.cfg"
for ((n = 1; n <= CUSTOMERS; n++)); do
    printf '{"name": "Webhook Bench %d", "email": "webhook-bench%d@example.com"}' "$n" "$n" >"$WORK/customer-$n.json"
    curl_post_config /api/v1/customers "$WORK/customer-$n.json" >>"$WORK/customers.cfg"
done
sed 1d "$WORK/customers.cfg" | curl -sS -K - >"$WORK/customers.out" || die "curl failed while creating customers"
grep -o '"id" *: *"[0-9a-f-]\{36\}"' "$WORK/customers.out" | grep -o '[0-9a-f-]\{36\}' >"$WORK/customer-ids.txt"
[[ "$(wc -l <"$WORK/customer-ids.txt")" -eq "$CUSTOMERS" ]] || die "expected $CUSTOMERS customers, got: $(head -c 300 "$WORK/customers.out")"

make_batches() { # prefix, count, first n -> $WORK/<prefix>-<k>.json of up to BATCH items each
    python3 - "$WORK" "$1" "$2" "$3" "$BATCH" <<'PY'
import json, sys
work, prefix, count, first, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
customers = open(f"{work}/customer-ids.txt").read().split()
for k, b in enumerate(range(first, first + count, size)):
    items = [{"customerId": customers[n % len(customers)], "channel": "EMAIL", "purpose": "marketing",
              "content": {"subject": f"Bench touchpoint {n}", "body": f"Hello, this is touchpoint {n} of the webhook benchmark."}}
             for n in range(b, min(b + size, first + count))]
    with open(f"{work}/{prefix}-{k}.json", "w") as f:
        json.dump({"items": items}, f)
PY
}
make_batches fill "$MESSAGES" 0
: >"$WORK/fill.cfg"
for f in "$WORK"/fill-*.json; do curl_post_config /api/v1/touchpoints/batch "$f" >>"$WORK/fill.cfg"; done
fill_t0="$(date +%s%N)"
log "creating $MESSAGES touchpoints in batches of $BATCH with the dispatcher off"
sed 1d "$WORK/fill.cfg" | curl -sS -K - >"$WORK/fill.out" || die "curl failed while creating touchpoints"
CREATED="$(python3 - "$WORK/fill.out" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
created = suppressed = 0
for body, status in re.findall(r"(.*)\nHTTP (\d+)", text):
    if status != "200":
        sys.exit(f"a batch returned HTTP {status}: {body[:300]}")
    d = json.loads(body); created += d["created"]; suppressed += d["suppressed"]
print(created - suppressed)
PY
)" || die "creating touchpoints failed"
[[ "$CREATED" -eq "$MESSAGES" ]] || die "expected $MESSAGES queued touchpoints, got $CREATED"
FILL_S="$(awk -v a="$fill_t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
log "created $MESSAGES touchpoints in $FILL_S s; stopping the service"
stop_service

RECEIVED="$WORK/received.txt"
start_receiver "$RECEIVED" "$SECRET"
receipts() { wc -l <"$RECEIVED"; }
[[ "$(receipts)" -eq 0 ]] || die "the receiver got requests while the dispatcher was off"
launch_ns="$(date +%s%N)"
start_service "dispatcher on: draining the outbox ($KNOBS)" "$WORK/service-drain.log" "${WEBHOOK_ENV[@]}"
ready_ns="$(date +%s%N)"
AT_READY="$(receipts)"
thread_ticks() { # "tid ticks name" of every thread of the service
    local t
    for t in "/proc/$SVC_PID/task/"*; do
        echo "${t##*/} $(proc_ticks "$SVC_PID/task/${t##*/}") $(tr ' ' _ <"$t/comm" 2>/dev/null)"
    done
}
thread_ticks >"$WORK/threads.before"
cpu_mark
recv_ticks0="$(proc_ticks "$RECV_PID")"
log "ready; $AT_READY delivered so far; waiting for all $MESSAGES"
deadline=$((SECONDS + 600))
while [[ "$(receipts)" -lt "$MESSAGES" ]]; do
    [[ $SECONDS -lt $deadline ]] || die "only $(receipts) of $MESSAGES messages arrived within 600 s"
    pid_alive "$SVC_PID" || die "the service died while delivering"
    sleep 0.1
done
done_ns="$(date +%s%N)"
thread_ticks >"$WORK/threads.after"
# the service's busiest threads during the drain, in cores: "vert.x-eventloo 0.61, ..."
BUSY_THREADS="$(awk -v hz="$CLK_TCK" -v secs="$(calc %.3f "($(date +%s%N) - $ready_ns) / 1e9")" '
    NR == FNR { t[$1] = $2; next } { c = ($2 - t[$1]) / hz / secs; if (c >= 0.02) printf "%.2f %s\n", c, $3 }' \
    "$WORK/threads.before" "$WORK/threads.after" | sort -rn | head -n 6 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')"
recv_cores="$(awk -v a="$recv_ticks0" -v b="$(proc_ticks "$RECV_PID")" -v hz="$CLK_TCK" -v t0="$ready_ns" -v t1="$done_ns" \
    'BEGIN { printf "%.2f", (b - a) / hz / ((t1 - t0) / 1e9) }')"
read -r "M[drain.busy]" "M[drain.service_cores]" "M[drain.postgres_cores]" "M[drain.client_cores]" "M[drain.other_cores]" \
    "M[drain.jit_cores]" "M[drain.steal]" "M[drain.redis_cores]" <<<"$(cpu_report "$recv_cores")"
M[drain.other_top]="$(other_top "$(calc %.3f "($done_ns - $ready_ns) / 1e9")" | tr -d '"\\')"
sleep 1 # a late duplicate, if any, is in the file
read -r DISTINCT TOTAL FIRST_US LAST_US P10_US P90_US <<<"$(sort -n -k3,3 "$RECEIVED" | awk -v n="$MESSAGES" '
    { t[NR] = $3; if (!($1 in seen)) { seen[$1] = 1; d++ } }
    END { i10 = int(NR * 0.1) + 1; i90 = int(NR * 0.9); print d, NR, t[1], t[NR], t[i10], t[i90] }')"
[[ "$DISTINCT" -eq "$MESSAGES" ]] || die "$DISTINCT distinct webhook-ids of $MESSAGES arrived"
SPAN_S="$(calc %.3f "($LAST_US - $FIRST_US) / 1e6")"
M[drain.rate]="$(calc %.0f "$MESSAGES / $SPAN_S")"
DRAIN_MID_RATE="$(calc %.0f "($TOTAL * 0.8) / (($P90_US - $P10_US) / 1e6)")"
READY_TO_ALL_S="$(calc %.2f "($LAST_US / 1e6) - ($ready_ns / 1e9)")"
LAUNCH_TO_ALL_S="$(calc %.2f "($LAST_US / 1e6) - ($launch_ns / 1e9)")"
FIRST_AFTER_LAUNCH_S="$(calc %.2f "($FIRST_US / 1e6) - ($launch_ns / 1e9)")"
# receipts per second from the launch, and how many claims the dispatcher made (index scans of the due index, read
# with psql when it is installed)
DRAIN_TIMELINE="$(awk -v l="$launch_ns" '{ s = int($3 / 1e6 - l / 1e9); c[s]++; if (s > m) m = s }
    END { for (i = 0; i <= m; i++) printf "%s%d", (i ? " " : ""), c[i] + 0 }' "$RECEIVED")"
log "drain: receipts in each second after the launch: $DRAIN_TIMELINE"
CLAIMS=null
if command -v psql >/dev/null; then
    CLAIMS="$(psql -qtAX -c "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'webhook_message_due_idx'" 2>/dev/null)" \
        && [[ $CLAIMS =~ ^[0-9]+$ ]] || CLAIMS=null
    log "drain: the due-message index was scanned $CLAIMS times (about one scan per claim)"
fi
log "drain: $MESSAGES in $SPAN_S s from first to last receipt = ${M[drain.rate]}/s (middle 80 %: $DRAIN_MID_RATE/s);" \
    "$TOTAL requests; ready -> all received $READY_TO_ALL_S s"

# ---------------------------------------------------------------------------------------------- 3. commit to receipt
[[ $PACED_RATE -gt 0 ]] || PACED_RATE="$(calc %.0f "${M[drain.rate]} / 2")"
[[ $PACED_RATE -gt 0 ]] || PACED_RATE=1
PACED_N=$((PACED_RATE * PACED_SECONDS))
log "paced: $PACED_RATE touchpoints/s for $PACED_SECONDS s (one batch every 50 ms) with the dispatcher on"
BEFORE_PACED="$(receipts)"
cat >"$WORK/pace.py" <<'PY'
# Creates touchpoints at a steady rate: every 50 ms one batch of rate/20 items (spread when that is under 1),
# posted by 4 worker threads on kept-alive connections so that a slow answer does not hold up the schedule.
import http.client, json, queue, sys, threading, time
port, key, rate, seconds, ids_file = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
customers = open(ids_file).read().split()
work, results, lock = queue.Queue(), {"created": 0, "bad": 0, "late": 0}, threading.Lock()
def worker():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while (items := work.get()) is not None:
        body = json.dumps({"items": items})
        conn.request("POST", "/api/v1/touchpoints/batch", body, {"X-API-Key": key, "Content-Type": "application/json"})
        r = conn.getresponse(); data = r.read()
        with lock:
            if r.status == 200: results["created"] += json.loads(data)["created"]
            else: results["bad"] += 1; print(r.status, data[:300], file=sys.stderr)
workers = [threading.Thread(target=worker) for _ in range(4)]
for w in workers: w.start()
tick, start, made, n = 0.05, time.monotonic(), 0, 0
while (elapsed := time.monotonic() - start) < seconds:
    due = int(rate * (elapsed + tick)) - made
    if due > 0:
        items = [{"customerId": customers[(n + i) % len(customers)], "channel": "EMAIL", "purpose": "transactional",
                  "content": {"subject": "Paced", "body": f"Hello, this is paced touchpoint {n + i}."}} for i in range(due)]
        for b in range(0, len(items), 500): work.put(items[b:b + 500])
        made += due; n += due
    if work.qsize() > 8: results["late"] += 1
    time.sleep(max(0, start + (int(elapsed / tick) + 1) * tick - time.monotonic()))
for w in workers: work.put(None)
for w in workers: w.join()
print(results["created"], results["bad"], results["late"], made)
PY
run_client "$WORK/paced.txt" python3 "$WORK/pace.py" "$PORT" "$API_KEY" "$PACED_RATE" "$PACED_SECONDS" "$WORK/customer-ids.txt" \
    || { cat "$WORK/paced.txt" >&2; die "the paced client failed"; }
read -r PACED_CREATED PACED_BAD PACED_LATE PACED_MADE <<<"$(tail -n1 "$WORK/paced.txt")"
[[ "$PACED_BAD" -eq 0 && "$PACED_CREATED" -eq "$PACED_MADE" ]] \
    || die "paced creation: $PACED_CREATED created of $PACED_MADE, $PACED_BAD failed batches: $(head -c 500 "$WORK/paced.txt")"
PACED_ACHIEVED="$(calc %.0f "$PACED_MADE / $(cat "$WORK/paced.txt.secs")")"
[[ "$PACED_LATE" -eq 0 ]] || log "WARNING: the paced client fell behind its schedule $PACED_LATE times (the service answers slower than the pace): $PACED_MADE created in $(cat "$WORK/paced.txt.secs") s = $PACED_ACHIEVED/s"
deadline=$((SECONDS + 120))
while [[ "$(receipts)" -lt $((BEFORE_PACED + PACED_MADE)) ]]; do
    [[ $SECONDS -lt $deadline ]] || die "only $(($(receipts) - BEFORE_PACED)) of $PACED_MADE paced messages arrived within 120 s"
    sleep 0.1
done
sleep 1
stop_receiver
BAD_SIGNATURES="$(receiver_summary "$RECEIVED" bad_signatures)"
[[ "$BAD_SIGNATURES" == 0 ]] || die "the receiver counted ${BAD_SIGNATURES:-?} bad signatures"
read -r PACED_DISTINCT "M[paced.p50]" "M[paced.p99]" "M[paced.max]" <<<"$(tail -n +"$((BEFORE_PACED + 1))" "$RECEIVED" | python3 -c '
import sys
from datetime import datetime
first, lat = {}, []
for line in sys.stdin:
    wid, status, micros, created = line.split()
    if wid in first or created == "-": continue
    first[wid] = 1
    lat.append(int(micros) / 1000 - datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp() * 1000)
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p / 100))]
print(len(lat), "%.1f" % pct(50), "%.1f" % pct(99), "%.1f" % lat[-1])')"
[[ "$PACED_DISTINCT" -eq "$PACED_MADE" ]] || die "$PACED_DISTINCT distinct paced messages arrived, $PACED_MADE made"
DUPLICATES=$(($(receipts) - MESSAGES - PACED_MADE))
RSS_MIB="$(rss_mib)"
log "paced: p50 ${M[paced.p50]} ms, p99 ${M[paced.p99]} ms, max ${M[paced.max]} ms over $PACED_DISTINCT messages"

# ---------------------------------------------------------------------------------------------- report
RATIO="$(calc %.2f "${M[drain.rate]} / ${M[receiver.rate]}")"
MID_RATIO="$(calc %.2f "$DRAIN_MID_RATE / ${M[receiver.rate]}")"
DRAIN_OK="$(meets "${M[drain.rate]}" "$DRAIN_TARGET")"
NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
NOISY="$(noisy drain)"
{
    echo
    echo "=== webhook delivery ($NOW, $NCPU cores; dispatcher: $KNOBS) ==="
    printf '%-58s %s\n' "receiver ceiling (wrk POST $BODY_BYTES B signed, c=$CONNECTIONS, ${DURATION} s):" \
        "$(calc %.0f "${M[receiver.rate]}") req/s   p50 ${M[receiver.p50]} / p99 ${M[receiver.p99]} ms"
    printf '%-58s %s\n' "durable deliveries ($MESSAGES from the outbox after a restart):" \
        "${M[drain.rate]} /s   (first->last receipt $SPAN_S s; middle 80 %: $DRAIN_MID_RATE /s; target $DRAIN_TARGET /s: $(verdict "$DRAIN_OK"))"
    printf '%-58s %s\n' "ratio deliveries / receiver ceiling:" "$RATIO   (middle 80 %: $MID_RATIO)"
    printf '%-58s %s\n' "restart: launch -> ready / -> first receipt / -> all:" \
        "$STARTUP_S s / $FIRST_AFTER_LAUNCH_S s / $LAUNCH_TO_ALL_S s   (ready -> all received $READY_TO_ALL_S s; $AT_READY delivered before ready)"
    printf '%-58s %s\n' "commit -> receipt at $PACED_RATE/s paced ($PACED_DISTINCT messages):" \
        "p50 ${M[paced.p50]} ms / p99 ${M[paced.p99]} ms / max ${M[paced.max]} ms   (created at $PACED_ACHIEVED/s achieved)"
    printf '%-58s %s\n' "requests received / duplicates / bad signatures:" "$TOTAL + $(($(receipts) - TOTAL)) / $DUPLICATES / $BAD_SIGNATURES"
    echo "CPU in cores of $NCPU (machine ${BACKGROUND_BUSY}% busy before start):"
    printf '  %-9s %3s%% busy (steal %s%%) = receiver %s + wrk %s + other %s\n' receiver "${M[receiver.busy]}" \
        "${M[receiver.steal]}" "${M[receiver.service_cores]}" "${M[receiver.client_cores]}" "${M[receiver.other_cores]}"
    printf '  %-9s %3s%% busy (steal %s%%) = service %s (JIT %s) + PostgreSQL %s + Redis %s + receiver %s + other %s\n' drain \
        "${M[drain.busy]}" "${M[drain.steal]}" "${M[drain.service_cores]}" "${M[drain.jit_cores]}" "${M[drain.postgres_cores]}" \
        "${M[drain.redis_cores]}" "${M[drain.client_cores]}" "${M[drain.other_cores]}${M[drain.other_top]:+ (${M[drain.other_top]})}"
    echo "  service's busiest threads during the drain (cores): $BUSY_THREADS"
    echo "service RSS after the runs: $RSS_MIB MiB; outbox filled in $FILL_S s"
    if [[ "$NOISY" == true ]]; then
        echo "WARNING: other processes (or other guests: steal) used CPU during the run; these ratios are not from a quiet machine"
    fi
} | tee "$WORK/summary.txt"

mkdir -p "$OUT_DIR"
cat >"$JSON_OUT" <<JSON
{
  "benchmark": "webhook-delivery",
  "date": "$NOW",
  "git": "$(git_rev)",
  "machine": { "cores": $NCPU, "cpu": "$(cpu_model)", "busy_pct_before_start": $BACKGROUND_BUSY, "noisy": $NOISY },
  "params": { "messages": $MESSAGES, "batch": $BATCH, "customers": $CUSTOMERS, "wrk_connections": $CONNECTIONS,
              "wrk_duration_s": $DURATION, "body_bytes": $BODY_BYTES, "paced_rate": $PACED_RATE, "paced_seconds": $PACED_SECONDS,
              "max_in_flight": ${CRM_WEBHOOK_DISPATCH_MAX_IN_FLIGHT:-400}, "batch_size": ${CRM_WEBHOOK_DISPATCH_BATCH_SIZE:-200},
              "connections_per_endpoint": ${CRM_WEBHOOK_DISPATCH_CONNECTIONS_PER_ENDPOINT:-64}, "java_opts": "${JAVA_OPTS:-}" },
  "receiver": { "rps": ${M[receiver.rate]}, "latency_p50_ms": ${M[receiver.p50]}, "latency_p99_ms": ${M[receiver.p99]},
                "cpu_cores": { "receiver": ${M[receiver.service_cores]}, "wrk": ${M[receiver.client_cores]}, "other": ${M[receiver.other_cores]} } },
  "drain": { "deliveries_per_s": ${M[drain.rate]}, "middle_80pct_per_s": $DRAIN_MID_RATE, "first_to_last_s": $SPAN_S,
             "requests": $TOTAL, "claims": $CLAIMS, "receipts_per_second_after_launch": [${DRAIN_TIMELINE// /, }],
             "delivered_before_ready": $AT_READY, "startup_to_ready_s": $STARTUP_S,
             "launch_to_first_receipt_s": $FIRST_AFTER_LAUNCH_S, "launch_to_all_s": $LAUNCH_TO_ALL_S, "ready_to_all_s": $READY_TO_ALL_S,
             "target_per_s": $DRAIN_TARGET, "meets_target": $DRAIN_OK,
             "cpu_cores": { "machine_busy_pct": ${M[drain.busy]}, "steal_pct": ${M[drain.steal]}, "service": ${M[drain.service_cores]},
                            "service_jit": ${M[drain.jit_cores]}, "service_busiest_threads": "$BUSY_THREADS", "postgres": ${M[drain.postgres_cores]}, "redis": ${M[drain.redis_cores]},
                            "receiver": ${M[drain.client_cores]}, "other": ${M[drain.other_cores]}, "other_top": "${M[drain.other_top]}" } },
  "paced": { "rate_per_s": $PACED_RATE, "messages": $PACED_DISTINCT, "commit_to_receipt_p50_ms": ${M[paced.p50]},
             "commit_to_receipt_p99_ms": ${M[paced.p99]}, "commit_to_receipt_max_ms": ${M[paced.max]}, "achieved_rate_per_s": $PACED_ACHIEVED,
             "client_fell_behind": $PACED_LATE },
  "ratios": { "deliveries_to_receiver": $RATIO, "middle_80pct_deliveries_to_receiver": $MID_RATIO },
  "duplicates": $DUPLICATES,
  "bad_signatures": $BAD_SIGNATURES,
  "rss_after_run_mib": $RSS_MIB
}
JSON
log "wrote $JSON_OUT"
