#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""metrics_http.py PORT

Bad and slow requests to 'burstctl serve-metrics' on 127.0.0.1:PORT, each
with the status it must get, then fifty slow clients that hold half a
request each while a real scrape must still get its 200 and a valid
exposition, and that the server must then drop (idle timeout).
Prints one line per problem and exits 1 on any, else a summary.
"""
import http.client
import socket
import sys

from prometheus_client.parser import text_string_to_metric_families

PORT = int(sys.argv[1])
problems = []


def request(method, path, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def expect(what, want, method, path, headers=None, body=None):
    status, hdrs, data = request(method, path, headers, body)
    if status != want:
        problems.append(f"{what}: {method} {path[:40]} got {status}, want {want}")
    return status, hdrs, data


def raw(data):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=60)
    s.sendall(data)
    r = s.recv(100)
    s.close()
    return r


big = "a" * 40000
expect("wrong path", 404, "GET", "/nope")
expect("index", 200, "GET", "/")
_, h, _ = expect("POST", 405, "POST", "/metrics", body="x=1")
if h.get("allow") != "GET, HEAD":
    problems.append(f"405 has Allow: {h.get('allow')!r}")
expect("DELETE", 405, "DELETE", "/metrics")
_, h, data = expect("HEAD", 200, "HEAD", "/metrics")
if data or int(h.get("content-length", "0")) == 0:
    problems.append(f"HEAD: body {len(data)} bytes, Content-Length {h.get('content-length')}")
expect("huge header", 431, "GET", "/metrics", headers={"X-Big": big})
expect("huge URI", 414, "GET", "/metrics?" + big)
if not raw(b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400"):
    problems.append("garbage did not get 400")

# Fifty half-sent requests, held open.
slow = []
for i in range(50):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=120)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    slow.append(s)
status, h, data = request("GET", "/metrics")
if status != 200 or not h.get("content-type", "").startswith("text/plain; version=0.0.4"):
    problems.append(f"scrape beside slow clients: {status} {h.get('content-type')}")
try:
    fams = {f.name for f in text_string_to_metric_families(data.decode())}
    if "burstguard_up" not in fams or "burstguard_attempts" not in fams:
        problems.append(f"scrape beside slow clients: families {sorted(fams)}")
except Exception as e:  # the parser raises ValueError and others
    problems.append(f"scrape beside slow clients does not parse: {e!r}")
# The server drops idle clients: each sees the connection closed.
closed = 0
for s in slow:
    try:
        while s.recv(4096):
            pass
        closed += 1
    except OSError:
        pass
    s.close()
if closed != 50:
    problems.append(f"the server closed {closed} of 50 idle clients")

if problems:
    for p in problems:
        print(f"metrics_http: {p}")
    sys.exit(1)
print("metrics_http: 404, 200, 405 with Allow, HEAD, 431, 414, 400; "
      "a scrape beside 50 slow clients; all 50 dropped")
