"""A campaign run on an instance that is SIGKILLed half way, resumed by a restarted one.

Only instance B runs campaign workers (A has CRM_CAMPAIGNS_WORKERS_ENABLED=false, so the run cannot move elsewhere
before the kill). Phase "start": CUSTOMERS customers are tagged through A, a campaign to them is sent now, and once
B has reached some but not all of them, B is killed with SIGKILL. The shell then starts B again. Phase "verify":
the run completes; every customer was reached exactly once (the run's outcomes, its report, and each sampled
customer's touchpoints agree), and campaign.run_started / campaign.run_completed were each written once.

Usage: two-instances-campaigns.py start BASE_A BASE_B API_KEY PID_B STATE_FILE
       two-instances-campaigns.py verify BASE_A API_KEY STATE_FILE
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

CUSTOMERS = 3000


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
    if result[0] != expected:
        raise SystemExit(f"     {what}: {result[0]} {result[1]}")
    return result[1]


def outcomes(base, key, campaign, run):
    view = must(200, call(base, key, "GET", f"/api/v1/campaigns/{campaign}/runs/{run}"), "run")
    return view["status"], view["outcomes"]


def start(a, b, key, pid_b, state_file):
    tag = "crash-" + uuid.uuid4().hex[:8]
    must(201, call(a, key, "POST", "/api/v1/tags", {"key": tag, "name": tag}), "tag")
    endpoint = must(201, call(a, key, "POST", "/api/v1/webhook-endpoints",
                              {"url": "http://127.0.0.1:9/campaigns", "eventTypes": ["campaign.*"]}), "endpoint")["id"]

    def customer(i):
        return must(201, call(a, key, "POST", "/api/v1/customers",
                              {"name": f"Crash {i}", "phone": f"+8613{i:09d}"}), "customer")["id"]

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(customer, range(CUSTOMERS)))
    for i in range(0, len(ids), 1000):
        must(200, call(a, key, "POST", "/api/v1/tag-assignments",
                       {"operation": "ASSIGN", "tags": [tag], "customerIds": ids[i:i + 1000]}), "tagging")
    campaign = must(201, call(a, key, "POST", "/api/v1/campaigns", {
        "name": "Crash test", "channel": "SMS", "audience": {"include": [{"tag": tag}]},
        "variants": [{"key": "only", "content": {"body": "Hello"}}], "schedule": {"type": "NOW"}}), "campaign")["id"]
    must(200, call(a, key, "POST", f"/api/v1/campaigns/{campaign}/schedule"), "schedule")
    deadline = time.time() + 60
    while time.time() < deadline:
        runs = must(200, call(a, key, "GET", f"/api/v1/campaigns/{campaign}/runs"), "runs")["items"]
        if runs:
            status, counts = outcomes(a, key, campaign, runs[0]["id"])
            reached = counts.get("REACHED", 0)
            if 0 < reached < CUSTOMERS:
                os.kill(pid_b, signal.SIGKILL)
                print(f"     B killed with {reached} of {CUSTOMERS} reached")
                with open(state_file, "w") as f:
                    json.dump({"campaign": campaign, "run": runs[0]["id"], "endpoint": endpoint,
                               "sample": ids[::60]}, f)
                return
            if status == "COMPLETED":
                raise SystemExit("     the run completed before it could be interrupted")
        time.sleep(0.05)
    raise SystemExit("     the run made no progress on B in 60 s")


def verify(a, key, state_file):
    with open(state_file) as f:
        state = json.load(f)
    campaign, run = state["campaign"], state["run"]
    deadline = time.time() + 120
    status = None
    while time.time() < deadline:
        status, counts = outcomes(a, key, campaign, run)
        if status == "COMPLETED":
            break
        time.sleep(0.5)
    if status != "COMPLETED":
        raise SystemExit(f"     the run did not complete after the restart: {status} {counts}")
    if counts != {"REACHED": CUSTOMERS}:
        raise SystemExit(f"     outcomes {counts}, expected every one of {CUSTOMERS} reached once")
    report = must(200, call(a, key, "GET", f"/api/v1/campaigns/{campaign}/report"), "report")
    if report["total"]["reached"] != CUSTOMERS:
        raise SystemExit(f"     the report counts {report['total']['reached']} reached, not {CUSTOMERS}")
    for customer in state["sample"]:
        items = must(200, call(a, key, "GET", f"/api/v1/touchpoints?customerId={customer}&limit=10"), "touchpoints")["items"]
        if len(items) != 1 or items[0]["campaignRunId"] != run:
            raise SystemExit(f"     customer {customer} has {len(items)} touchpoints: {items}")
    messages = must(200, call(a, key, "GET", f"/api/v1/webhook-endpoints/{state['endpoint']}/messages?limit=100"),
                    "messages")["items"]
    types = sorted(m["eventType"] for m in messages)  # the endpoint was subscribed for this campaign alone
    if types != ["campaign.run_completed", "campaign.run_started"]:
        raise SystemExit(f"     run webhooks {types}, expected run_started and run_completed once each")
    print(f"     {CUSTOMERS} reached once each across the kill; run_started and run_completed written once")


if __name__ == "__main__":
    if sys.argv[1] == "start":
        start(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    else:
        verify(sys.argv[2], sys.argv[3], sys.argv[4])
