#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A fake CrowdSec LAPI: crowdsec_fakelapi.py PORT SERVED [SCRIPT]

Answers GET /v1/decisions/stream with its replies in order, then the last
one again and again. Each time it writes how many it has served to the
file SERVED, and appends "COUNT MS" (milliseconds since the epoch, just
before the answer is sent) to SERVED.log.

Without SCRIPT, the replies are the garbage below (tests/crowdsec_badinput.sh):
each bad answer is followed by an empty good one, so the bouncer's backoff
starts over at 1 s (and it then asks for the full set: startup=true).
SCRIPT is a JSON file of replies [{"status": 200, "body": {...}}, ...]
whose durations the test chooses exactly (crowdsec_bouncer.sh's expiry)."""
import http.server
import json
import sys
import time

GOOD = {"scope": "Ip", "value": "10.0.0.9", "id": 9, "type": "ban", "duration": "1h"}
EMPTY = (200, b'{"deleted": null, "new": null}')
BAD = [
    (200, b"this is not JSON"),
    (200, b"[1, 2, 3]"),
    (500, b"internal error"),
    (403, b'{"message":"access forbidden"}'),
    (200, b'{"new": 5, "deleted": null}'),
    (200, b'{"new": [' + json.dumps(GOOD).encode()),  # cut short
    (200, None),  # larger than the bouncer accepts
    (200, b""),
]
REPLIES = [r for bad in BAD for r in (bad, EMPTY)] + [
    (200, json.dumps({"deleted": None, "new": [
        {"scope": "Ip", "value": "999.1.1.1", "id": 1, "type": "ban", "duration": "1h"},
        {"scope": "Range", "value": "10.0.0.0/99", "id": 2, "type": "ban", "duration": "1h"},
        {"scope": "Ip", "value": "10.0.0.7", "id": "three", "type": "ban", "duration": "1h"},
        {"scope": "Ip", "value": "10.0.0.8", "id": 4, "type": "ban", "duration": "banana"},
        {"scope": "Ip", "value": "10.0.0.5/24", "id": 5, "type": "ban", "duration": "1h"},
        {"scope": "Ip", "value": 167772166, "id": 6, "type": "ban", "duration": "1h"},
        {"scope": "Country", "value": "FR", "id": 7, "type": "ban", "duration": "1h"},
        {"scope": "Ip", "id": 8, "type": "ban", "duration": "1h"},
        "a string",
        None,
        GOOD,
        {"scope": "Range", "value": "10.0.0.77/24", "id": 10, "type": "ban", "duration": "1h"},
    ]}).encode()),
    (200, json.dumps({"deleted": [{"scope": "Ip", "value": "10.0.0.99", "id": 77,
                                   "type": "ban", "duration": "-1s"}, 42],
                      "new": None}).encode()),
    EMPTY,
]
if len(sys.argv) > 3:
    with open(sys.argv[3]) as f:
        REPLIES = [(r["status"], json.dumps(r["body"]).encode()) for r in json.load(f)]
BIG = 257 << 20
served = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global served
        if not self.path.startswith("/v1/decisions/stream"):
            self.send_response(404)
            self.end_headers()
            return
        status, body = REPLIES[min(served, len(REPLIES) - 1)]
        served += 1
        with open(sys.argv[2], "w") as f:
            f.write(f"{served}\n")
        with open(sys.argv[2] + ".log", "a") as f:
            f.write(f"{served} {int(time.time() * 1000)}\n")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if body is None:
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            # The bouncer must give up on the header alone.
            try:
                self.wfile.write(b" " * 4096)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write(fmt % args + "\n")


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
