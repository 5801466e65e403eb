#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/report.py RAW: bench/results.md (Markdown) from bench/guest.sh's lines.

Every figure and every note below is computed from RAW; nothing is typed in.
Deltas are paired: run r of a contender minus run r of none (same kernel,
condition and workload), then pooled (mean of the paired deltas) and shown
with their range.
"""
import statistics
import sys
from collections import defaultdict

NAMES = {"none": "(0) none", "bg0": "(0') burstguard, under limit",
         "bg": "(a) burstguard", "nft": "(b) nft set+limit",
         "ipt": "(c) hashlimit", "nftset": "(d) nft interval set",
         "ipset": "(e) ipset hash:net"}
WL = {"W0": "W0 non-SYN (ACK), random sources",
      "W1": "W1 one IPv4 source, SYN flood",
      "W2": "W2 65,536 IPv4 sources (one SYN each)",
      "W4a": "W4 one IPv6 source, SYN flood",
      "W4b": "W4 65,536 IPv6 /64 sources (one SYN each)",
      "W5": "W3/W5 1,000,000 IPv4 sources + legitimate",
      "hit": "SYNs from random sources in a denied /16",
      "miss": "SYNs from random sources no entry covers"}
CONDS = {"base": "no conntrack, blackhole route",
         "ct": "conntrack active (nft input chain with ct state)",
         "listen": "a listening socket on port 80 instead of the blackhole route",
         "lists": "burstguard with full allow and deny lists (1024 + 1024 IPv4 prefixes, none matching)",
         "rules": "burstguard with 64 port rules, the matching one last"}
OCC_CACHE = {"bg": "burstguard_src4", "bg0": "burstguard_src4",
             "nft": "kmalloc-128", "ipt": "xt_hashlimit"}
W0_TARGET = 2.0		# issue 6: W0 within 2% of no filter
OUTLIER = 0.02		# a run more than 2% from its cell's median


def kernels_of(raw):
    """Split RAW into {kernel: [fields...]} by its 'K kver part' lines."""
    by = defaultdict(list)
    cur = "?"
    named = False
    host, calls, errors = [], [], []
    parts, done = [], set()
    for line in open(raw, errors="replace"):
        f = line.split()
        if not f:
            continue
        if f[0] == "K" and len(f) >= 3:
            cur, named = f[1], True
            parts.append((cur, f[2]))
        elif f[0] == "I" and len(f) >= 3 and f[1] == "done":
            done.add((cur, f[2]))
            by[cur].append(f)
        elif f[0] == "I" and len(f) >= 2 and f[1] == "nft:":
            pass	# part lists' note of a size nft skipped; report_kernel says it
        elif f[0] == "I" and len(f) >= 3 and f[1] == "kernel" and not named:
            cur = f[2]
            by[cur].append(f)
        elif f[0] == "H":
            host.append(" ".join(f[1:]))
        elif f[0] == "C":
            calls.append(" ".join(f[1:]))
        else:
            by[cur].append(f)
            if f[0] == "E" or "FAIL" in line or "splat" in line:
                errors.append(f"{cur}: {line.strip()}")
    for kv, part in parts:
        if (kv, part) not in done:
            errors.append(f"{kv}: part '{part}' did not finish (its guest stopped or was stopped early); "
                          "its figures cover only the measurements it completed")
    return by, host, calls, errors


def fmt_range(v, unit=""):
    return f"{min(v):+.0f}{unit} to {max(v):+.0f}{unit}"


class Kernel:
    def __init__(self, rows):
        self.ns = defaultdict(dict)	# (cond, c, w) -> {run: ns/packet}
        self.seen_bad = []
        self.mem = defaultdict(list)	# (c, w) -> [(run, cache, sz, added, tot, now)]
        self.info = []
        self.stats = {}		# (run, cond, c, w) -> {name: value}
        self.x = {}
        self.samples = defaultdict(list)	# (run, c) -> [T fields]
        self.files = defaultdict(lambda: defaultdict(list))	# (run, c) -> frame -> [F lines]
        self.legit = {}		# (run, c) -> dict
        self.legacy = False
        self.rlegit = {}
        self.nft_max = "?"
        self.loads = defaultdict(list)	# (size, c) -> [(run, cpu_s, real_s, slab_kb, vmalloc_kb)]
        for f in rows:
            t = f[0]
            # Lines of the method before 2026-12-02 have no condition field
            # (R run contender workload ...): read them as base.
            if t in ("R", "S") and len(f) >= 4 and f[2] in NAMES:
                f = f[:2] + ["base"] + f[2:]
                self.legacy = True
            elif t == "M" and len(f) == 8 and f[1] in NAMES:
                f = ["M", "1", "base"] + f[1:]
                self.legacy = True
            if t == "R" and len(f) >= 10:
                run, cond, c, w = int(f[1]), f[2], f[3], f[4]
                n, tns, seen = int(f[5]), int(f[6]), int(f[7])
                self.ns[(cond, c, w)][run] = tns / n
                self.rlegit[(run, cond, c, w)] = (int(f[8]), int(f[9]))
                if not (n <= seen <= n + 20):
                    self.seen_bad.append(f"run {run} {cond} {c} {w}: sent {n}, {seen} at the IP layer")
            elif t == "M" and len(f) >= 10:
                run, cond, c, w = int(f[1]), f[2], f[3], f[4]
                self.mem[(c, w)].append((run, f[5], int(f[6]), int(f[7]), int(f[8]), int(f[9])))
            elif t == "M":
                self.mem[(f[3], f[4])].append((int(f[1]), None, 0, 0, 0, 0))
            elif t == "Y" and len(f) >= 5 and f[2].startswith("l"):
                kv = dict(x.split("=", 1) for x in f[4:] if "=" in x)
                self.loads[(int(f[2][1:]), f[3])].append(
                    (int(f[1]), float(kv["user_s"]) + float(kv["sys_s"]), float(kv["real_s"]),
                     int(kv["slab_kb"]), int(kv["vmalloc_kb"])))
            elif t == "I" and len(f) > 2 and f[1] == "lists:" and "nft_max" in f:
                self.nft_max = f[f.index("nft_max") + 1]
                self.info.append(" ".join(f[1:]))
            elif t == "I":
                self.info.append(" ".join(f[1:]))
            elif t == "S" and len(f) >= 5:
                self.stats[(int(f[1]), f[2], f[3], f[4])] = dict(
                    x.split("=", 1) for x in f[5:] if "=" in x)
            elif t == "X" and len(f) >= 5:
                self.x[(int(f[1]), f[2], f[3], f[4])] = dict(
                    x.split("=", 1) for x in f[5:] if "=" in x)
            elif t == "T" and len(f) >= 11:
                self.samples[(int(f[1]), f[3])].append([int(x) for x in f[5:11]])
            elif t == "F" and len(f) >= 8:
                self.files[(int(f[1]), f[3])][int(f[6])].append((int(f[5]), f[7:]))
            elif t == "L" and len(f) >= 5:
                self.legit[(int(f[1]), f[3])] = {k: int(v) for k, v in
                                                 (x.split("=", 1) for x in f[5:] if "=" in x)}

    def paired(self, cond, c, w):
        """Paired deltas (ns) of contender c against none, by run."""
        a, b = self.ns.get((cond, c, w), {}), self.ns.get((cond, "none", w), {})
        return {r: a[r] - b[r] for r in a if r in b}

    def pooled(self, cond, cs, w):
        """Pooled paired deltas of contenders cs: (mean ns, mean %, deltas ns, deltas %)."""
        d, pct = [], []
        for c in cs:
            for r, v in self.paired(cond, c, w).items():
                d.append(v)
                pct.append(100 * v / self.ns[(cond, "none", w)][r])
        if not d:
            return None
        return statistics.mean(d), statistics.mean(pct), d, pct

    # W5 samples: per sample frame, occupancy and in_no_route
    def w5_series(self, run, c):
        out = []
        files = self.files.get((run, c), {})
        base = None
        for T in self.samples.get((run, c), []):
            frame, tns, es, er, ls, lr = T
            slab, noroute, st = {}, None, {}
            hdr = None
            # rt_cache (a header, then hex, one line per CPU), slab caches
            # (name active_objs ... : tunables ...), burstguard's stats
            # (name value)
            rt = {}
            for idx, fl in files.get(frame, []):
                if fl[0] == "entries":
                    rt[idx] = fl
                elif idx in rt and len(fl) == len(rt[idx]):
                    noroute = (noroute or 0) + int(fl[rt[idx].index("in_no_route")], 16)
                elif ":" in fl and len(fl) > 2 and fl[1].isdigit():
                    slab[fl[0]] = int(fl[1])
                elif len(fl) == 2 and fl[1].isdigit():
                    st[fl[0]] = int(fl[1])
            if base is None:
                base = (dict(slab), noroute)
            occ = None
            if c in ("bg", "bg0") and "sources" in st:
                occ = st["sources"]
            elif c in OCC_CACHE and OCC_CACHE[c] in slab and OCC_CACHE[c] in base[0]:
                occ = slab[OCC_CACHE[c]] - base[0][OCC_CACHE[c]]
            passed = None if noroute is None or base[1] is None else noroute - base[1]
            out.append(dict(frame=frame, t=tns, es=es, er=er, ls=ls, lr=lr,
                            occ=occ, passed=passed, st=st))
        return out


def cell(v, none_med=None):
    vals = list(v.values())
    med = statistics.median(vals)
    r = f" ×{med / none_med:.3f}" if none_med else ""
    return f"{med:.0f} [{min(vals):.0f}–{max(vals):.0f}]{r} (n={len(vals)})"


def report_kernel(p, kv, K):
    p(f"## Linux {kv}\n")
    if K.legacy:
        p("**These lines come from the method before 2026-12-02**, re-analysed here: in each run "
          "all workloads of a contender shared one pair of namespaces and one table (so W4a ran in a "
          "table still holding W2's entries, and their GC could land in a later window); memory was "
          "measured in run 1 only; W5 ran once per "
          "filter, without a no-filter run, with legitimate sources that all started before the "
          "table filled; no drops or occupancy were recorded over time.\n")
    for i in K.info:
        p(f"- {i}")
    if K.seen_bad:
        p("\n**Frame count mismatches:** " + "; ".join(K.seen_bad))
    p("")

    # --- headline: W0
    w0 = K.pooled("base", ["bg", "bg0"], "W0")
    if w0:
        mean, pct, d, dp = w0
        met = "met" if pct <= W0_TARGET else "NOT met"
        if min(dp) <= W0_TARGET < max(dp):
            met += f" by the pooled figure, but single pairs lie on both sides of +{W0_TARGET:.0f}%"
        p(f"**W0 (non-SYN traffic), burstguard over no filter:** {mean:+.0f} ns, "
          f"{pct:+.2f}% (pooled paired deltas of (0') and (a), which run the same code on a "
          f"non-SYN packet; {len(d)} pairs, range {fmt_range(d, ' ns')}, {min(dp):+.2f}% to {max(dp):+.2f}%). "
          f"Target: at most +{W0_TARGET:.0f}% pooled: **{met}**.")
        for c in ("bg0", "bg"):
            x = K.pooled("base", [c], "W0")
            if x:
                p(f"- {NAMES[c]} alone: {x[0]:+.0f} ns, {x[1]:+.2f}% (range {min(x[3]):+.2f}% to {max(x[3]):+.2f}%)")
        p("")

    # --- main table
    wls = [w for w in WL if w != "W5" and any(k[0] == "base" and k[2] == w for k in K.ns)]
    cs = [c for c in NAMES if any(k[0] == "base" and k[1] == c for k in K.ns)]
    if wls:
        p("### Per-packet cost (ns of guest time per frame)\n")
        p("Cells: median [min–max] ×ratio of medians to none (runs).\n")
        p("| workload | " + " | ".join(NAMES[c] for c in cs) + " |")
        p("|---|" + "---|" * len(cs))
        for w in wls:
            nm = statistics.median(K.ns[("base", "none", w)].values()) if ("base", "none", w) in K.ns else None
            cells = [cell(K.ns[("base", c, w)], nm) if ("base", c, w) in K.ns else "–" for c in cs]
            p(f"| {WL[w]} | " + " | ".join(cells) + " |")
        p("\n### Added cost over no filter: pooled paired deltas\n")
        p("Each cell: mean over runs of (contender's run r − none's run r) in ns, and the range "
          "of those paired deltas. D = burstguard's pooled delta / theirs (below 1: burstguard adds less). "
          "A negative delta means the filter refused the flood at the hook, so those frames skip the "
          "route lookup that ends an accepted frame; D is then not meaningful and ours − theirs is given.\n")
        fc = [c for c in cs if c != "none"]
        p("| workload | " + " | ".join(NAMES[c] for c in fc) + " | D vs nft | D vs hashlimit |")
        p("|---|" + "---|" * (len(fc) + 2))
        for w in wls:
            cells = []
            pool = {}
            for c in fc:
                x = K.pooled("base", [c], w)
                if not x:
                    cells.append("–")
                    continue
                pool[c] = x[0]
                cells.append(f"{x[0]:+.0f} ({x[1]:+.2f}%) [{fmt_range(x[2])}]")
            ds = []
            for o in ("nft", "ipt"):
                if "bg" not in pool or o not in pool:
                    ds.append("–")
                elif pool[o] <= 0 or pool["bg"] < 0:
                    ds.append(f"n/a; ours − theirs = {pool['bg'] - pool[o]:+.0f} ns")
                else:
                    ds.append(f"{pool['bg'] / pool[o]:.2f}")
            p(f"| {WL[w]} | " + " | ".join(cells) + " | " + " | ".join(ds) + " |")
        p("")

    # --- targets (issue 6), from the pooled paired deltas
    tg = []
    if w0:
        tg.append(("W0: burstguard over none at most +2% (pooled (0') and (a))",
                   f"{w0[0]:+.0f} ns, {w0[1]:+.2f}% (pairs {min(w0[3]):+.2f}% to {max(w0[3]):+.2f}%)",
                   w0[1] <= W0_TARGET))
    for w in ("W2", "W4b"):
        a = K.pooled("base", ["bg"], w)
        for o in ("ipt", "nft"):
            b = K.pooled("base", [o], w)
            if a and b and b[0] > 0:
                # the range: D of each run's pair
                pa, pb = K.paired("base", "bg", w), K.paired("base", o, w)
                per = [pa[r] / pb[r] for r in pa if r in pb and pb[r] > 0]
                tg.append((f"{w}: D vs {NAMES[o]} at most 0.5", f"{a[0] / b[0]:.3f} ({a[0]:+.0f} / {b[0]:+.0f} ns; "
                           f"per run {min(per):.2f} to {max(per):.2f})", a[0] / b[0] <= 0.5))
    if tg:
        p("### Targets of issue 6\n")
        p("| target | measured | met |")
        p("|---|---|---|")
        for t, m, ok in tg:
            p(f"| {t} | {m} | {'yes' if ok else '**no**'} |")
        p("")

    # --- outliers
    outl = []
    for (cond, c, w), v in sorted(K.ns.items()):
        if len(v) < 3:
            continue
        med = statistics.median(v.values())
        for r, x in sorted(v.items()):
            if abs(x - med) > OUTLIER * med:
                outl.append(f"{cond} {NAMES[c]} {w} run {r}: {x:.0f} ns against a median of {med:.0f} ({100 * (x - med) / med:+.1f}%)")
    p("### Outliers\n")
    if outl:
        p(f"Runs more than {OUTLIER * 100:.0f}% from their cell's median (kept in every figure above):\n")
        for o in outl:
            p(f"- {o}")
    else:
        p(f"No run is more than {OUTLIER * 100:.0f}% from its cell's median.")
    p("")

    # --- memory
    if K.mem:
        p("### Memory per tracked source (slab" + (", run 1 only)\n" if K.legacy else ", every run, fresh namespaces each)\n"))
        p("| contender | flood | cache that grew most | object size (B) | objects added (median) | "
          "slab bytes added / object: median [min–max] | objects after (median) | runs |")
        p("|---|---|---|---|---|---|---|---|")
        per = {}
        for (c, w), ms in sorted(K.mem.items(), key=lambda kv: (list(NAMES).index(kv[0][0]), kv[0][1])):
            caches = sorted({m[1] for m in ms if m[1]})
            good = [m for m in ms if m[1] and m[3] > 0]
            if not good:
                p(f"| {NAMES.get(c, c)} | {w} | (no cache gained objects) | | | | | {len(ms)} |")
                continue
            b = [m[4] / m[3] for m in good]
            per[(c, w)] = (caches, good[0][2], statistics.median(b))
            p(f"| {NAMES.get(c, c)} | {w} | {', '.join(caches)} | {good[0][2]} | "
              f"{statistics.median([m[3] for m in good]):.0f} | {statistics.median(b):.0f} [{min(b):.0f}–{max(b):.0f}] | "
              f"{statistics.median([m[5] for m in good]):.0f} | {len(ms)} |")
        p("")
        notes = []
        for c in ("bg0", "bg", "nft", "ipt"):
            v4, v6 = per.get((c, "W2")), per.get((c, "W4b"))
            if v4 and v6:
                same = "the same cache" if v4[0] == v6[0] else "different caches"
                notes.append(f"{NAMES[c]}: {v4[2]:.0f} B per IPv4 source ({', '.join(v4[0])}, {v4[1]} B objects) "
                             f"and {v6[2]:.0f} B per IPv6 /64 ({', '.join(v6[0])}, {v6[1]} B objects); {same} for both families")
        for n in notes:
            p(f"- {n}.")
        p("\n'slab bytes added / object' is the growth of all slab caches during the flood divided by the "
          "objects the cache that grew most gained, so it also counts other per-source allocations and "
          "hash-table growth." + ("" if K.legacy else " Each row is measured in a namespace created for it, "
          "after the previous one was torn down, so no cache reuses objects another flood freed.") + "\n")

    # --- W5
    w5c = [c for c in NAMES if any(k[0] == "base" and k[1] == c and k[2] == "W5" for k in K.ns)]
    if w5c and K.legacy:
        p("### W5: a million new sources, with legitimate sources inside (earlier method)\n")
        p("One run per filter, no no-filter run; 100 legitimate sources at 5 SYN/s each, all from the "
          "start, so all of them had entries before the table filled: 'passed' = the server's Tcp InSegs. "
          "Nothing was recorded about what each filter did with the flood once its table was full.\n")
        p("| contender | run | ns/packet | legitimate SYNs sent | passed (reached TCP) |")
        p("|---|---|---|---|---|")
        for c in w5c:
            for r, v in sorted(K.ns[("base", c, "W5")].items()):
                ls, lp = K.rlegit.get((r, "base", c, "W5"), ("–", "–"))
                p(f"| {NAMES[c]} | {r} | {v:.0f} | {ls} | {lp} |")
        p("")
    elif w5c:
        p("### W5: a million new sources, with legitimate sources inside\n")
        p("Legitimate: 100 sources sending 5 SYN/s each from the start ('early') and 100 more that "
          "start after 40% of the frames ('late', when every table is full). 'answered' counts "
          "the server's replies that came back to those sources (a SYN that got past the filter gets "
          "a RST from the server's TCP), counted by the sender. Flood frames passed = the route "
          "cache's in_no_route growth (each frame that gets past the filter dies at the blackhole route). "
          "Occupancy: burstguard's `sources` gauge; nft and hashlimit: growth of the slab cache of "
          "their entries (kmalloc-128, xt_hashlimit: approximate, SLUB counts free objects on per-CPU "
          "slabs as in use).\n")
        p("| contender | run | ns/packet | delta vs none (same run) | flood frames passed / sent | "
          "peak occupancy | final occupancy | early: answered / sent | late: answered / sent |")
        p("|---|---|---|---|---|---|---|---|---|")
        for c in w5c:
            v = K.ns[("base", c, "W5")]
            pd = K.paired("base", c, "W5")
            for r in sorted(v):
                s = K.w5_series(r, c)
                L = K.legit.get((r, c), {})
                flood_sent = None
                if s:
                    last = s[-1]
                    flood_sent = last["frame"] - last["es"] - last["ls"]
                passed = s[-1]["passed"] if s and s[-1]["passed"] is not None else None
                occs = [x["occ"] for x in s if x["occ"] is not None]
                dl = f"{pd[r]:+.0f}" if r in pd else "–"
                pf = f"{passed} / {flood_sent}" if passed is not None else "–"
                p(f"| {NAMES[c]} | {r} | {v[r]:.0f} | {dl} | {pf} | "
                  f"{max(occs) if occs else '–'} | {occs[-1] if occs else '–'} | "
                  f"{L.get('early_replies', '–')} / {L.get('early_sent', '–')} | "
                  f"{L.get('late_replies', '–')} / {L.get('late_sent', '–')} |")
        p("")
        for c in w5c:
            s = K.w5_series(1, c)
            if not s:
                continue
            p(f"Run 1, {NAMES[c]}, over time (one row per sample; per-interval figures since the previous row):\n")
            p("| frames | guest ms | occupancy | flood passed in interval | early answered / sent | late answered / sent |"
              + (" evicted | table_full |" if c.startswith("bg") else ""))
            p("|---|---|---|---|---|---|" + ("---|---|" if c.startswith("bg") else ""))
            prev = None
            step = max(1, len(s) // 12)
            rows = [x for i, x in enumerate(s) if i % step == 0 or i == len(s) - 1]
            for x in rows:
                if prev is None:
                    prev = x
                    continue
                fl = (x["frame"] - prev["frame"]) - (x["es"] - prev["es"]) - (x["ls"] - prev["ls"])
                ps = "–" if x["passed"] is None else f"{x['passed'] - prev['passed']} / {fl}"
                line = (f"| {x['frame']} | {x['t'] / 1e6:.0f} | {x['occ'] if x['occ'] is not None else '–'} | {ps} | "
                        f"{x['er'] - prev['er']} / {x['es'] - prev['es']} | {x['lr'] - prev['lr']} / {x['ls'] - prev['ls']} |")
                if c.startswith("bg"):
                    line += f" {x['st'].get('evicted', '–')} | {x['st'].get('table_full', '–')} |"
                p(line)
                prev = x
            p("\n(A legitimate SYN's reply lands in the interval in which it was sent, or the next one.)\n")

    # --- conditions
    conds = [c for c in CONDS if c != "base" and any(k[0] == c for k in K.ns)]
    if conds:
        p("### User conditions: added cost over no filter in the same condition\n")
        p("Pooled paired deltas (ns, %) with their range; run r of a contender paired with run r of none "
          "in the same condition. For comparison, burstguard's delta without the condition (base, from the "
          "W0-W4 runs above) is in the last column.\n")
        for cond in conds:
            cs2 = [c for c in NAMES if c != "none" and any(k[0] == cond and k[1] == c for k in K.ns)]
            p(f"**{cond}**: {CONDS[cond]}.\n")
            p("| workload | none: median [min–max] | " + " | ".join(NAMES[c] for c in cs2) + " | (a) base |")
            p("|---|---|" + "---|" * (len(cs2) + 1))
            for w in WL:
                if (cond, "none", w) not in K.ns:
                    continue
                cells = []
                for c in cs2:
                    x = K.pooled(cond, [c], w)
                    cells.append("–" if not x else f"{x[0]:+.0f} ({x[1]:+.2f}%) [{fmt_range(x[2])}]")
                b = K.pooled("base", ["bg"], w)
                bc = "–" if not b else f"{b[0]:+.0f} ({b[1]:+.2f}%)"
                p(f"| {WL[w]} | {cell(K.ns[(cond, 'none', w)])} | " + " | ".join(cells) + f" | {bc} |")
            cts = sorted({(k[2], k[3], v.get("ct")) for k, v in K.x.items() if k[1] == cond and v.get("ct") not in (None, "-")})
            if cond == "ct" and cts:
                byc = defaultdict(set)
                for c, w, n in cts:
                    byc[(c, w)].add(n)
                p("\nConntrack entries left after each flood: " + "; ".join(
                    f"{NAMES[c]} {w}: {', '.join(sorted(v))}" for (c, w), v in sorted(byc.items())) + ".")
            p("")

    # --- lists (part lists)
    sizes = sorted({int(k[0][1:]) for k in K.ns if k[0][:1] == "l" and k[0][1:].isdigit()})
    if sizes:
        lc = [c for c in ("bg", "nftset", "ipset") if any(k[0][:1] == "l" and k[1] == c for k in K.ns)]
        p("### Lists: per-SYN cost against deny-list size\n")
        p("The same IPv4 prefixes (a mix of /32, /24 and /16, none overlapping) in burstguard's deny list "
          "(`burstctl deny import`), an nft interval set (`ip saddr @s drop`, prerouting priority -300) and "
          "an ipset hash:net (iptables-legacy raw PREROUTING `-m set --match-set s src -j DROP`); "
          "'miss': every SYN does the lookup and matches nothing (burstguard then also tracks the "
          "source, as in W2); 'hit': every SYN matches a denied /16 and is dropped at the hook (so it "
          "skips the route lookup that ends a frame no filter refuses, and can cost less than none). "
          "Cells: ns of guest time per frame, median [min–max] (runs).\n")
        p("| entries | flood | (0) none | " + " | ".join(NAMES[c] for c in lc) + " |")
        p("|---|---|---|" + "---|" * len(lc))
        for n in sizes:
            for w in ("miss", "hit"):
                cond = f"l{n}"
                if (cond, "none", w) not in K.ns:
                    continue
                cells = [cell(K.ns[(cond, c, w)]) if (cond, c, w) in K.ns else "–" for c in lc]
                p(f"| {n:,} | {w} | {cell(K.ns[(cond, 'none', w)])} | " + " | ".join(cells) + " |")
        p("\nAdded cost over none (pooled paired deltas, ns: mean [range]; run r against none's run r "
          "in the same setup):\n")
        p("| entries | flood | " + " | ".join(NAMES[c] for c in lc) + " |")
        p("|---|---|" + "---|" * len(lc))
        for n in sizes:
            for w in ("miss", "hit"):
                cond = f"l{n}"
                if (cond, "none", w) not in K.ns:
                    continue
                cells = []
                for c in lc:
                    x = K.pooled(cond, [c], w)
                    cells.append("–" if not x else f"{x[0]:+.0f} ({x[1]:+.2f}%) [{fmt_range(x[2])}]")
                p(f"| {n:,} | {w} | " + " | ".join(cells) + " |")
        p("")
        for c in lc:
            base = K.ns.get(("l0", c, "miss"))
            if not base:
                continue
            m0 = statistics.median(base.values())
            grow = []
            for n in sizes[1:]:
                v = K.ns.get((f"l{n}", c, "miss"))
                if v:
                    grow.append(f"{n:,}: {statistics.median(v.values()) - m0:+.0f} ns")
            if grow:
                p(f"- {NAMES[c]}, miss, median at each size minus its median with 0 entries: " + "; ".join(grow) + ".")
        p("")
        if K.loads:
            p("Load time and memory of each list. Load time: CPU time (user + sys, bash's `time`) of the "
              "loading command (burstctl deny import; nft -f; ipset restore and the iptables rule), kernel work "
              "in its context included; 'real' also counts the guest clock's jumps while the guest idles "
              "waiting for the host (9p), so it is an upper bound. Memory: growth of /proc/meminfo's "
              "Slab + VmallocUsed across the load, per entry (the empty list's row shows the fixed part).\n")
            p("| contender | entries | load CPU s: median [min–max] | real s: median | "
              "slab + vmalloc added, kB: median | bytes per entry: median [min–max] | runs |")
            p("|---|---|---|---|---|---|---|")
            for c in lc:
                for n in sizes:
                    ls = K.loads.get((n, c))
                    if not ls:
                        continue
                    t = [x[1] for x in ls]
                    kb = [x[3] + x[4] for x in ls]
                    pe = [k * 1024 / n for k in kb] if n else []
                    per = f"{statistics.median(pe):.0f} [{min(pe):.0f}–{max(pe):.0f}]" if n else "–"
                    p(f"| {NAMES[c]} | {n:,} | {statistics.median(t):.2f} [{min(t):.2f}–{max(t):.2f}] | "
                      f"{statistics.median([x[2] for x in ls]):.2f} | {statistics.median(kb):.0f} | {per} | {len(ls)} |")
            p("")
            for n in sizes:
                if n and (f"l{n}", "nftset", "miss") not in K.ns and (f"l{n}", "none", "miss") in K.ns:
                    p(f"- {NAMES['nftset']}: not measured with {n:,} entries (this run loaded nft "
                      f"sets only up to BG_BENCH_NFT_MAX = {K.nft_max} entries).")
            p("")

    # --- waits
    tries = [int(v["tries"]) for v in K.x.values() if "tries" in v]
    if tries:
        busy = sum(1 for t in tries if t)
        p(f"Teardown: of {len(tries)} setups, {busy} found namespaces of the previous measurement "
          f"still being torn down and waited for them (at most {max(tries)} tries of 50 ms).\n")

    # --- counters
    if K.stats:
        p("### burstguard counters after the floods of run 1\n")
        for (r, cond, c, w), s in sorted(K.stats.items()):
            if r != 1:
                continue
            keep = ("attempts", "allowed", "dropped", "sources", "created", "evicted", "expired",
                    "table_full", "allowlisted", "denied", "alloc_failed")
            p(f"- {cond} {c} {w}: " + " ".join(f"{k}={s[k]}" for k in keep if k in s))
        p("")


def main():
    by, host, calls, errors = kernels_of(sys.argv[1])
    out = []
    p = out.append
    p("# make bench: per-packet cost in guest time\n")
    p("Generated by bench/report.py from bench/raw.txt (`make bench` = `bench/run`: one guest per kernel "
      "and part). Guest: one vCPU, QEMU TCG single-threaded with `-icount shift=0,sleep=off` "
      "(guest time = instructions, 1 ns each, whatever else the host runs), `slab_nomerge`. "
      "ns/packet = the sender's CLOCK_MONOTONIC time around its send loop / frames; on one vCPU each "
      "frame's whole receive path (veth, IP, PRE_ROUTING hooks, then the route lookup or TCP) runs "
      "inside that loop. Every measurement checks that the server's IP layer received all frames. "
      "Contenders are interleaved within each run, and run r of each contender is paired with run r "
      "of no filter.\n")
    p("Method of bench/guest.sh since 2026-12-02: every measurement (run, contender, workload, "
      "condition) runs in namespaces created for it, with a fresh filter and table, after the "
      "previous measurement's namespaces are completely gone. Lines of the earlier method are "
      "read too, and marked as such below.\n")
    for h in host:	# one line per run whose sections raw.txt holds
        p(f"- host: {h}")
    if errors:
        p("\n**Errors and incomplete parts:**\n")
        for e in errors:
            p(f"- {e}")
    p("")
    def order(k):
        return [int(x) for x in k.split("-")[0].split(".") if x.isdigit()]
    for kv in sorted((k for k in by if any(f[0] == "R" for f in by[k])), key=order, reverse=True):
        report_kernel(p, kv, Kernel(by[kv]))
    if calls:
        p("## Userspace micro-benchmark (callgrind)\n")
        p("```")
        for line in calls:
            p(line)
        p("```")
    print("\n".join(out))


main()
