"""Lead sequences half matched on an instance that is SIGKILLed, resumed by it restarted.

Only instance B runs the lead matcher (A has CRM_LEADS_WORKERS_ENABLED=false). Phase "start": a rule "cart, then no
payment within 40 s" is defined through A; 1,100 customers add to cart through A; once B holds 1,100 half-matched
sequences (the rule's stats), B is killed with SIGKILL, and 100 of the customers pay through A while B is down. The
shell then starts B again. Phase "verify": once the deadlines have passed, the rule made exactly one lead for each
of the 1,000 who did not pay and none for the 100 who did, nothing is pending, and each lead's lead.created message
was written once.

Usage: two-instances-leads.py start BASE_A BASE_B API_KEY PID_B STATE_FILE
       two-instances-leads.py verify BASE_A API_KEY STATE_FILE
Exits non-zero on any failure."""
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

ABANDON, PAY = 1000, 100
WITHIN_S = 40


def call(base, key, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"X-API-Key": key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def must(expected, result, what):
    if result[0] not in (expected if isinstance(expected, tuple) else (expected,)):
        raise SystemExit(f"     {what}: {result[0]} {result[1]}")
    return result[1]


def events(base, key, customers, kind):
    now = datetime.now(timezone.utc).isoformat()
    for i in range(0, len(customers), 500):
        items = [{"customerId": c, "type": kind, "eventId": str(uuid.uuid4()), "occurredAt": now,
                  "properties": {"sku": "fridge"}} for c in customers[i:i + 500]]
        body = must(200, call(base, key, "POST", "/api/v1/events", {"items": items}), kind)
        if body["accepted"] != len(items):
            raise SystemExit(f"     {kind}: {body}")


def start(a, b, key, pid_b, state_file):
    m = uuid.uuid4().hex[:8]
    cart, paid = f"crash-cart-{m}", f"crash-paid-{m}"
    for t in (cart, paid):
        must(201, call(a, key, "POST", "/api/v1/properties",
                       {"scope": "EVENT", "eventType": t, "name": "sku", "type": "STRING"}), "property")
    endpoint = must(201, call(a, key, "POST", "/api/v1/webhook-endpoints",
                              {"url": "http://127.0.0.1:9/leads", "eventTypes": ["lead.created"]}), "endpoint")["id"]
    rule = must(201, call(a, key, "POST", "/api/v1/lead-rules", {
        "key": f"crash-{m}", "name": "Abandoned cart", "within": "PT2M",
        "steps": [{"eventType": cart}, {"then": "NOT", "eventType": paid, "within": f"PT{WITHIN_S}S"}],
        "lead": {"type": "rescue"}}), "rule")["id"]

    def customer(i):
        return must(201, call(a, key, "POST", "/api/v1/customers", {"name": f"Cart {i}"}), "customer")["id"]

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(customer, range(ABANDON + PAY)))
    carted = time.monotonic()
    events(a, key, ids, cart)
    deadline = time.monotonic() + WITHIN_S / 2
    while True:
        stats = must(200, call(a, key, "GET", f"/api/v1/lead-rules/{rule}/stats"), "stats")
        if stats["pendingMatches"] == len(ids):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"     B did not half-match all {len(ids)} in time: {stats}")
        time.sleep(0.1)
    if stats["leads"] != 0:
        raise SystemExit(f"     leads before any deadline: {stats}")
    os.kill(pid_b, signal.SIGKILL)
    print(f"     B (pid {pid_b}) SIGKILLed with {stats['pendingMatches']} sequences half-matched, "
          f"{time.monotonic() - carted:.1f} s after the carts")
    events(a, key, ids[ABANDON:], paid)  # queued while nobody matches
    with open(state_file, "w") as f:
        json.dump({"rule": rule, "endpoint": endpoint, "abandoned": ids[:ABANDON], "paid": ids[ABANDON:],
                   "due": time.time() + WITHIN_S - (time.monotonic() - carted)}, f)


def verify(a, key, state_file):
    with open(state_file) as f:
        state = json.load(f)
    rule = state["rule"]
    until = max(state["due"], time.time()) + 60
    while True:
        stats = must(200, call(a, key, "GET", f"/api/v1/lead-rules/{rule}/stats"), "stats")
        if stats["pendingMatches"] == 0 and time.time() > state["due"]:
            break
        if time.time() > until:
            raise SystemExit(f"     matches still pending 60 s after the deadline: {stats}")
        time.sleep(0.5)
    leads, cursor = [], None
    while True:
        page = must(200, call(a, key, "GET", f"/api/v1/leads?rule={rule}&limit=100"
                              + (f"&cursor={cursor}" if cursor else "")), "leads")
        leads += page["items"]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    customers = [lead["customerId"] for lead in leads]
    if len(customers) != len(set(customers)):
        raise SystemExit(f"     {len(customers) - len(set(customers))} customers got more than one lead")
    if set(customers) != set(state["abandoned"]):
        missing = len(set(state["abandoned"]) - set(customers))
        extra = len(set(customers) & set(state["paid"]))
        raise SystemExit(f"     {missing} who abandoned got no lead, {extra} who paid got one")
    late = [lead for lead in leads if lead["trace"]["events"][-1]["absent"] is not True]
    if late:
        raise SystemExit(f"     {len(late)} leads without the absence in their trace")
    created, cursor = 0, None
    while True:
        page = must(200, call(a, key, "GET", f"/api/v1/webhook-endpoints/{state['endpoint']}/messages?limit=100"
                              + (f"&cursor={cursor}" if cursor else "")), "messages")
        created += sum(1 for msg in page["items"] if msg["eventType"] == "lead.created")
        cursor = page.get("nextCursor")
        if not cursor:
            break
    if created != ABANDON:
        raise SystemExit(f"     {created} lead.created messages for {ABANDON} leads")
    print(f"     {len(leads)} leads, one per customer who did not pay; none for the {PAY} who paid while B was "
          f"down; {created} lead.created messages")


if __name__ == "__main__":
    if sys.argv[1] == "start":
        start(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(__doc__)
