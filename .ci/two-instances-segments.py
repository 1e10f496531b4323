"""Segment upkeep on two instances at once, one of them SIGKILLed half way.

An audience ("at least 2 events of a type today") and a dimension ("busy": at least 3 of them, else "quiet") are
defined through A; customers are created and their events sent through both instances by concurrent writers; half
way, instance B is killed with SIGKILL (its upkeep may be mid-step). Afterwards, through A: every customer is in the
audience and in the busy bucket, and the webhooks written say each entered the audience exactly once and moved
quiet -> busy exactly once (no double entries, no lost changes).

Usage: two-instances-segments.py BASE_A BASE_B API_KEY PID_B. Exits non-zero on any failure."""
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

A, B, KEY, PID_B = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
CUSTOMERS, WRITERS = 40, 4


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"X-API-Key": KEY, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def must(expected, result, what):
    if result[0] != expected:
        raise SystemExit(f"     {what}: {result[0]} {result[1]}")
    return result[1]


prefix = "seg2-" + uuid.uuid4().hex[:8]
kind = f"{prefix}.visit"
endpoint = must(201, call(A, "POST", "/api/v1/webhook-endpoints",
                          {"url": "http://127.0.0.1:9/segments", "eventTypes": ["segment.*"]}), "endpoint")["id"]
visits = lambda n: {"event": {"type": kind, "within": "P1D", "op": "gte", "value": n}}
audience = must(201, call(A, "POST", "/api/v1/segments", {"key": prefix, "name": prefix, "condition": visits(2)}),
                "audience")["id"]
dimension = must(201, call(A, "POST", "/api/v1/dimensions", {"key": prefix + "-d", "name": prefix, "buckets": [
    {"key": "busy", "name": "Busy", "condition": visits(3)}, {"key": "quiet", "name": "Quiet"}]}), "dimension")["id"]
customers = [must(201, call(A if i % 2 else B, "POST", "/api/v1/customers", {"name": f"{prefix} {i}"}), "customer")["id"]
             for i in range(CUSTOMERS)]
errors = []
killed = threading.Event()
sent = [0]
lock = threading.Lock()


def writer(mine):
    for round_ in range(3):
        for customer in mine:
            base = B if (round_ + len(customer)) % 2 and not killed.is_set() else A
            at = (datetime.now(timezone.utc) - timedelta(seconds=10)).isoformat()
            item = {"eventId": str(uuid.uuid4()), "type": kind, "customerId": customer, "occurredAt": at}
            retried = False
            try:
                status, body = call(base, "POST", "/api/v1/events", {"items": [item]})
            except OSError:  # B died under this request: send it again through A
                status, body = call(A, "POST", "/api/v1/events", {"items": [item]})
                retried = True
            # a retry of an event B had committed before it died is a replay: stored once either way
            stored = status == 200 and (body["accepted"] == 1 or retried and body["duplicates"] == 1)
            if not stored:
                errors.append(f"event {status} {body}")
                return
            with lock:
                sent[0] += 1
                if sent[0] == CUSTOMERS * 3 // 2 and not killed.is_set():
                    killed.set()
                    os.kill(PID_B, signal.SIGKILL)


threads = [threading.Thread(target=writer, args=(customers[i::WRITERS],)) for i in range(WRITERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if errors:
    raise SystemExit("     " + "; ".join(errors[:3]))


def members(segment, bucket=None):
    ids, cursor = set(), None
    while True:
        query = "?limit=100" + (f"&bucket={bucket}" if bucket else "") + (f"&cursor={cursor}" if cursor else "")
        page = must(200, call(A, "GET", f"/api/v1/segments/{segment}/members{query}"), "members")
        ids.update(c["id"] for c in page["items"])
        cursor = page.get("nextCursor")
        if not cursor:
            return ids


deadline = time.time() + 90
while time.time() < deadline:
    if members(audience) == set(customers) and members(dimension, "busy") == set(customers):
        break
    time.sleep(0.5)
else:
    raise SystemExit(f"     not caught up in 90 s: audience {len(members(audience))}, busy "
                     f"{len(members(dimension, 'busy'))} of {CUSTOMERS}")

time.sleep(1)  # any double entry would have been written by now
seen = {}
cursor = None
while True:
    page = must(200, call(A, "GET", f"/api/v1/webhook-endpoints/{endpoint}/messages?limit=100"
                          + (f"&cursor={cursor}" if cursor else "")), "messages")
    for m in page["items"]:
        data = must(200, call(A, "GET", f"/api/v1/webhook-messages/{m['id']}"), "message")["payload"]["data"]
        key = (data["customerId"], data["segmentKey"], data.get("bucket"), m["eventType"])
        seen[key] = seen.get(key, 0) + 1
    cursor = page.get("nextCursor")
    if not cursor:
        break
bad = [f"{c[:8]} {s} {b} {t} x{n}" for (c, s, b, t), n in seen.items() if n != 1]
for c in customers:
    for key in ((c, prefix, None, "segment.entered"), (c, prefix + "-d", "busy", "segment.entered"),
                (c, prefix + "-d", "quiet", "segment.exited")):
        if key not in seen:
            bad.append(f"{c[:8]} missing {key[1]} {key[2]} {key[3]}")
if any(k[3] == "segment.exited" and k[1] == prefix for k in seen):
    bad.append("an audience exit was sent, but nobody left")
print(f"     {CUSTOMERS * 3} events through both instances (B killed after {CUSTOMERS * 3 // 2}), "
      f"{sum(seen.values())} segment webhooks, {len(bad)} wrong")
for b in bad[:5]:
    print("     " + b)
sys.exit(1 if bad else 0)
