#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""metrics_check.py EXPOSITION LABEL STATS CONFIG [LABEL STATS CONFIG]...

Check what 'burstctl serve-metrics' answered on /metrics (the file
EXPOSITION) against copies of /proc/net/burstguard/stats and config of
each namespace, taken with no traffic running:

  - Debian's python3-prometheus-client parser reads it;
  - a strict reader: only '# HELP', '# TYPE' and sample lines, each family
    has one HELP then one TYPE before its samples, which are contiguous;
    no family appears twice, values are unsigned integers;
  - for each namespace LABEL: burstguard_up is 1, every /proc counter is
    burstguard_NAME_total (counter) or burstguard_NAME (gauge: sources,
    max_sources) with netns="LABEL" and exactly /proc's value, and no
    other counter sample carries that label;
  - the default limit (rule 0) and every rule of CONFIG are in
    burstguard_rule_info (port, mode), rule_rate, rule_period_seconds,
    rule_burst and rule_ban_seconds with the config's values.
Prints one line per problem and exits 1 on any, else a summary.
"""
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

GAUGES = {"sources", "max_sources"}
PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
           "h": 3600, "hour": 3600}
problems = []


def bad(msg):
    problems.append(msg)


def strict(text):
    fams, order, cur = {}, [], None
    if not text.endswith("\n"):
        bad("does not end with a newline")
    for n, line in enumerate(text.split("\n")[:-1], 1):
        m = re.fullmatch(r"# HELP (\S+) (.+)", line)
        if m:
            if m.group(1) in fams:
                bad(f"line {n}: family {m.group(1)} appears twice")
            cur = m.group(1)
            fams[cur] = {"help": m.group(2), "type": None, "samples": 0}
            order.append(cur)
            continue
        m = re.fullmatch(r"# TYPE (\S+) (counter|gauge|untyped)", line)
        if m:
            if m.group(1) != cur or fams[cur]["type"] or fams[cur]["samples"]:
                bad(f"line {n}: TYPE out of place: {line!r}")
            else:
                fams[cur]["type"] = m.group(2)
            continue
        m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)\{([a-z_]+="[^"\\\n]*"(,[a-z_]+="[^"\\\n]*")*)\} (0|[1-9][0-9]*)', line)
        if not m:
            bad(f"line {n}: not HELP, TYPE or 'name{{labels}} value': {line!r}")
            continue
        if cur is None or not fams[cur]["type"] or m.group(1) != cur:
            bad(f"line {n}: sample {m.group(1)} outside its family (in {cur})")
            continue
        fams[cur]["samples"] += 1
    return fams


def samples(text):
    """{(sample name, frozenset(labels)): value} from prometheus_client."""
    out = {}
    try:
        for fam in text_string_to_metric_families(text):
            for s in fam.samples:
                key = (s.name, frozenset(s.labels.items()))
                if key in out:
                    bad(f"duplicate sample {s.name}{s.labels}")
                out[key] = s.value
    except Exception as e:  # the parser raises ValueError and others
        bad(f"prometheus_client cannot parse it: {e!r}")
    return out


def read_config(path):
    limits = {}  # rule id -> (port, rate, period, burst, ban, mode)
    d = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == "rule":
                kv = dict(zip(w[2::2], w[3::2]))
                lo, hi = kv["port"].split("-")
                rate, per = kv["rate"].split("/")
                limits[w[1]] = ("%s" % lo if lo == hi else kv["port"], int(rate),
                                PERIODS[per], int(kv["burst"]),
                                int(kv["ban"].rstrip("s")), kv["mode"])
            elif len(w) == 2:
                d[w[0]] = w[1]
    rate, per = d["rate"].split("/")
    limits["0"] = ("default", int(rate), PERIODS[per], int(d["burst"]),
                   int(d["ban"].rstrip("s")), d["mode"])
    return limits


def main():
    args = sys.argv[1:]
    if len(args) < 4 or (len(args) - 1) % 3:
        sys.exit(__doc__)
    text = open(args[0]).read()
    fams = strict(text)
    got = samples(text)
    nrules = 0
    labels = []
    for i in range(1, len(args), 3):
        label, stats_path, config_path = args[i:i + 3]
        labels.append(label)
        ns = frozenset({("netns", label)})
        if got.get(("burstguard_up", ns)) != 1:
            bad(f"{label}: burstguard_up is {got.get(('burstguard_up', ns))}")
        want = set()
        with open(stats_path) as f:
            for line in f:
                name, value = line.split()
                mname = f"burstguard_{name}" + ("" if name in GAUGES else "_total")
                fam = fams.get(mname)
                if not fam or fam["type"] != ("gauge" if name in GAUGES else "counter"):
                    bad(f"{mname}: family {fam}")
                want.add(mname)
                v = got.get((mname, ns))
                if v is None or v != float(value) or str(int(v)) != value:
                    bad(f"{label}: {mname} is {v}, /proc says {value}")
        extra = [n for (n, lab) in got if lab == ns and n not in want
                 and n != "burstguard_up"]
        if extra:
            bad(f"{label}: samples not in /proc stats: {sorted(extra)}")
        for rid, (port, rate, per, burst, ban, mode) in read_config(config_path).items():
            nrules += 1
            info = frozenset({("netns", label), ("rule", rid), ("port", port),
                              ("mode", mode)})
            if got.get(("burstguard_rule_info", info)) != 1:
                bad(f"{label}: no burstguard_rule_info for rule {rid} port {port} mode {mode}")
            lab = frozenset({("netns", label), ("rule", rid)})
            for mname, v in (("rule_rate", rate), ("rule_period_seconds", per),
                             ("rule_burst", burst), ("rule_ban_seconds", ban)):
                if got.get((f"burstguard_{mname}", lab)) != v:
                    bad(f"{label}: rule {rid}: burstguard_{mname} is "
                        f"{got.get((f'burstguard_{mname}', lab))}, config says {v}")
    for (n, lab) in got:
        ns = dict(lab).get("netns")
        if ns not in labels:
            bad(f"{n} has netns={ns!r}, not one of {labels}")
    if problems:
        for p in problems:
            print(f"metrics_check: {p}")
        sys.exit(1)
    print(f"metrics_check: {len(got)} samples in {len(fams)} families for "
          f"{len(labels)} namespaces ({nrules} limits) valid and equal to /proc")


if __name__ == "__main__":
    main()
