#!/usr/bin/env python3
"""Interleaved bench series: the same scenario against several nodes in the same minutes, with the
MQTT broker and the raw Vert.x baseline measured inside each run, then medians (min-max) of each figure.

  bench/series.py --jar courier-bench.jar --rounds 3 --lock /tmp/bench.lock \
      --node embedded:9000:7000:PID1 --node clustered:9001:7001:PID2 -- \
      --first-extra '--with-mqtt --mqtt-pid PID3 --with-baseline' -- \
      s2c --receivers 1000 --content-bytes 100 --window 1000 --qos 0 --duration 10

Each round runs the scenario once against every node in turn (--gate-port, --bridge-port, --server-pid
filled in), each run under `flock LOCK` so that no other bench overlaps it. The JSON lines go to --out;
the summary (median, min-max over the rounds, per node) to stdout. --warm-up-runs runs the scenario once
per node first and discards it. --extra NAME=OPTIONS adds options to one node's runs (the same node may be
listed twice under two names, e.g. with and without an option).
"""
import argparse
import json
import statistics
import subprocess
import sys


def figures(result):
    r = result["results"]
    out = {}

    def put(name, value):
        if value is not None:
            out[name] = value

    for section in ("received", "sent"):
        s = r.get(section, {})
        for key in ("delivered", "accepted"):
            if isinstance(s.get(key), dict):
                put(key + "/s", s[key]["per_second"])
        if "latency" in s:
            put(section + " p50 ms", s["latency"]["p50_ms"])
            put(section + " p99 ms", s["latency"]["p99_ms"])
    c = r.get("consumer", {})
    if "latency" in c:
        put("to consumer p50 ms", c["latency"]["p50_ms"])
        put("to consumer p99 ms", c["latency"]["p99_ms"])
    cpu = r.get("cpu", {})
    put("node cpu %", cpu.get("server_percent"))
    put("machine cpu %", cpu.get("machine_percent"))
    rate = out.get("delivered/s") or out.get("accepted/s")
    if rate and cpu.get("server_percent") is not None:
        put("node cpu us/msg", round(cpu["server_percent"] * 1e4 / rate, 1))
    lost = r.get("received", {}).get("lost")
    if isinstance(lost, dict):
        put("lost", lost.get("total"))
    put("duplicated", r.get("received", {}).get("duplicated"))
    m = r.get("mqtt", {}).get("mqtt", {})
    for key in ("delivered", "accepted", "consumed"):
        if isinstance(m.get(key), dict):
            put("mqtt " + key + "/s", m[key]["per_second"])
    if "latency" in m:
        put("mqtt p50 ms", m["latency"]["p50_ms"])
        put("mqtt p99 ms", m["latency"]["p99_ms"])
    mcpu = r.get("mqtt", {}).get("cpu", {})
    put("broker cpu %", mcpu.get("server_percent"))
    mrate = out.get("mqtt delivered/s") or out.get("mqtt consumed/s")
    if mrate and mcpu.get("server_percent") is not None:
        put("broker cpu us/msg", round(mcpu["server_percent"] * 1e4 / mrate, 1))
    put("mqtt lost", m.get("lost"))
    b = r.get("baseline", {}).get("baseline", {})
    if isinstance(b.get("delivered"), dict):
        put("raw delivered/s", b["delivered"]["per_second"])
    for section, prefix in (("mqtt_ratio", "ratio to mqtt "), ("ratio", "ratio to raw ")):
        for key, value in r.get(section, {}).items():
            put(prefix + key, value)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lock", default="/tmp/bench.lock")
    parser.add_argument("--node", action="append", required=True, help="NAME:GATE:BRIDGE[:PID]")
    parser.add_argument("--out", default="series.jsonl")
    parser.add_argument("--warm-up-runs", action="store_true")
    parser.add_argument(
        "--first-extra", default="", help="options for the first node's runs only, e.g. '--with-mqtt --with-baseline'"
    )
    parser.add_argument(
        "--extra", action="append", default=[], help="NAME=OPTIONS: options for that node's runs only, e.g. 'v1=--ack-every-push'"
    )
    parser.add_argument("scenario", nargs=argparse.REMAINDER)
    a = parser.parse_args()
    scenario = a.scenario[1:] if a.scenario and a.scenario[0] == "--" else a.scenario
    extras = {}
    for spec in a.extra:
        name, _, options = spec.partition("=")
        extras[name] = options.split()
    nodes = []
    for spec in a.node:
        parts = spec.split(":")
        nodes.append((parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else None))

    def run(node):
        name, gate, bridge, pid = node
        command = ["flock", a.lock, "java", "-jar", a.jar] + scenario[:1]
        command += ["--gate-port", gate, "--bridge-port", bridge, "--json"]
        if pid:
            command += ["--server-pid", pid]
        command += scenario[1:]
        if node is nodes[0] and a.first_extra:
            command += a.first_extra.split()
        command += extras.get(name, [])
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        if done.returncode != 0 or not line.startswith("{"):
            print(f"{name}: the bench failed (exit {done.returncode})", file=sys.stderr)
            return None
        return json.loads(line)

    if a.warm_up_runs:
        for node in nodes:
            run(node)
    table = {node[0]: [] for node in nodes}
    with open(a.out, "a") as out:
        for round_ in range(a.rounds):
            for node in nodes:
                result = run(node)
                if result is None:
                    continue
                result["series_node"] = node[0]
                out.write(json.dumps(result) + "\n")
                out.flush()
                f = figures(result)
                table[node[0]].append(f)
                print(f"round {round_ + 1} {node[0]}: " + json.dumps(f), file=sys.stderr, flush=True)
    for name, runs in table.items():
        print(f"== {name}: {len(runs)} runs, median (min-max)")
        keys = []
        for f in runs:
            keys += [k for k in f if k not in keys]
        for key in keys:
            values = [f[key] for f in runs if key in f]
            print(f"  {key:28} {statistics.median(values):>12,.3f}  ({min(values):,.3f}-{max(values):,.3f})")
    if len(nodes) > 1:
        first = nodes[0][0]
        base = [f.get("delivered/s") or f.get("accepted/s") for f in table[first]]
        for name, runs in list(table.items())[1:]:
            ratios = [
                (f.get("delivered/s") or f.get("accepted/s")) / b
                for f, b in zip(runs, base)
                if b and (f.get("delivered/s") or f.get("accepted/s"))
            ]
            if ratios:
                print(
                    f"== {name} / {first} (same round): median {statistics.median(ratios):.3f}"
                    f" ({min(ratios):.3f}-{max(ratios):.3f})"
                )


if __name__ == "__main__":
    main()
