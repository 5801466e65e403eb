#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""prom_check.py STATS < EXPOSITION

Check 'burstctl stats --prometheus' output (stdin) against the Prometheus
text exposition format (version 0.0.4) and against STATS, a copy of
/proc/net/burstguard/stats ("name value" lines) taken at the same moment.

Two independent readings must agree:
  - Debian's python3-prometheus-client parser
    (text_string_to_metric_families) reads every family, type, help text
    and value;
  - a strict line-by-line reader that the lenient parser does not replace:
    only '# HELP', '# TYPE' and sample lines; names [a-zA-Z_:][a-zA-Z0-9_:]*
    with the burstguard_ prefix; per metric exactly one HELP then one TYPE,
    both before its one sample, all three adjacent; counters end in _total,
    gauges do not; no labels, timestamps, blank lines, stray whitespace;
    values are unsigned integers; the output ends in a newline.
Then the metrics are exactly the /proc counters (none missing, none extra),
'sources' and 'max_sources' gauges and the rest counters, with values equal
to /proc's, digit for digit.
Prints one line per problem and exits 1 on any, else prints a summary.
"""
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

GAUGES = {"sources", "max_sources"}
NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
problems = []


def bad(msg):
    problems.append(msg)


def read_proc(path):
    stats = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            w = line.split()
            if len(w) != 2 or not w[1].isdigit():
                bad(f"{path}:{n}: not 'name value': {line!r}")
                continue
            stats[w[0]] = w[1]
    return stats


def strict(text):
    """The metrics as {name: (type, help, value string)}, checked line by line."""
    metrics = {}
    if not text.endswith("\n"):
        bad("output does not end with a newline")
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    i = 0
    while i < len(lines):
        group = lines[i:i + 3]
        where = f"line {i + 1}"
        i += 3
        if len(group) < 3:
            bad(f"{where}: incomplete metric (want HELP, TYPE, sample): {group!r}")
            break
        help_, type_, sample = group
        for line in group:
            if line != line.strip() or "  " in line or "\t" in line or line == "":
                bad(f"{where}: stray or missing whitespace: {line!r}")
        m = re.fullmatch(r"# HELP (\S+) (.+)", help_)
        if not m:
            bad(f"{where}: want '# HELP name text', got {help_!r}")
            continue
        name, helptext = m.groups()
        if re.search(r"\\[^\\n]", helptext) or helptext.endswith("\\"):
            bad(f"{where}: HELP text has an escape other than \\\\ or \\n: {helptext!r}")
        m = re.fullmatch(r"# TYPE (\S+) (counter|gauge|histogram|summary|untyped)", type_)
        if not m:
            bad(f"{where}: want '# TYPE name type', got {type_!r}")
            continue
        if m.group(1) != name:
            bad(f"{where}: TYPE names {m.group(1)}, HELP names {name}")
        mtype = m.group(2)
        m = re.fullmatch(r"(\S+) (\S+)", sample)
        if not m:
            bad(f"{where}: want 'name value' (no labels, no timestamp), got {sample!r}")
            continue
        sname, value = m.groups()
        if sname != name:
            bad(f"{where}: sample {sname} follows HELP/TYPE of {name}")
        if not NAME.match(name):
            bad(f"{where}: {name!r} is not a valid metric name")
        if not name.startswith("burstguard_"):
            bad(f"{where}: {name} lacks the burstguard_ prefix")
        if mtype == "counter" and not name.endswith("_total"):
            bad(f"{where}: counter {name} does not end in _total")
        if mtype != "counter" and name.endswith("_total"):
            bad(f"{where}: {mtype} {name} ends in _total (reserved for counters)")
        if mtype not in ("counter", "gauge"):
            bad(f"{where}: {name} has type {mtype}, want counter or gauge")
        if not value.isdigit() or (len(value) > 1 and value[0] == "0"):
            bad(f"{where}: {name} value {value!r} is not an unsigned integer")
        if name in metrics:
            bad(f"{where}: {name} appears twice")
        metrics[name] = (mtype, helptext, value)
    return metrics


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    proc = read_proc(sys.argv[1])
    text = sys.stdin.read()
    metrics = strict(text)

    # The library's reading must give the same families, types and values.
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser raises ValueError and others
        bad(f"prometheus_client cannot parse the output: {e!r}")
        families = []
    seen = set()
    for fam in families:
        samples = fam.samples
        if len(samples) != 1 or samples[0].labels or samples[0].timestamp is not None:
            bad(f"family {fam.name}: want one unlabelled sample, got {samples!r}")
            continue
        s = samples[0]
        seen.add(s.name)
        want = metrics.get(s.name)
        if want is None:
            bad(f"prometheus_client sees {s.name}, the strict reader does not")
            continue
        if fam.type != want[0] or fam.documentation != want[1]:
            bad(f"{s.name}: prometheus_client reads type {fam.type!r} help {fam.documentation!r}")
        if s.value != float(want[2]):
            bad(f"{s.name}: prometheus_client reads {s.value}, text says {want[2]}")
    if seen != set(metrics):
        bad(f"prometheus_client misses {sorted(set(metrics) - seen)}")

    # Exactly the /proc counters, same values.
    expected = {}
    for name, value in proc.items():
        mname = f"burstguard_{name}" + ("" if name in GAUGES else "_total")
        expected[mname] = ("gauge" if name in GAUGES else "counter", value)
    for mname, (mtype, value) in expected.items():
        got = metrics.get(mname)
        if got is None:
            bad(f"{mname} missing (from /proc stats)")
        elif got[0] != mtype or got[2] != value:
            bad(f"{mname}: {got[0]} {got[2]}, /proc says {mtype} {value}")
    for mname in sorted(set(metrics) - set(expected)):
        bad(f"{mname}: not a counter of /proc/net/burstguard/stats")

    if problems:
        for p in problems:
            print(f"prom_check: {p}")
        sys.exit(1)
    nonzero = sum(1 for v in proc.values() if v != "0")
    print(f"prom_check: {len(metrics)} metrics ({nonzero} non-zero) valid and equal to /proc")


if __name__ == "__main__":
    main()
