"""Workload (b) in SimPy: the OpenDC SURF week replayed on its topology.

    python3 simpy_surf_week.py TRACE.bin     # written by surf_to_bin.py

The same model as Plenum's `scenarios/opendc-surf-week.toml`:
- a task (16 vCPUs, 100,000 MiB) is placed at submission on the host with the
  most free memory among those with enough free vCPUs and memory, the lowest
  index on ties (OpenDC's prefab `Mem` policy); when nothing fits it waits in
  a FIFO queue, started as soon as a departure frees room;
- a task then runs its fragments back to back, each for its traced duration
  at its traced CPU demand (OpenDC's model: a fragment lasts its time whatever
  the host can give); consecutive fragments of equal demand form one run, one
  `timeout` each;
- a host's utilization is its tasks' demand over its capacity (cores x clock),
  capped at 1, and its power the `sqrt` model P = P_idle + (P_max - P_idle) *
  sqrt(u) (Beloglazov and Buyya, CCPE 2012, as in OpenDC's `PowerModels`);
  power is constant between changes, so energy is the sum of power x interval
  over each host's intervals, integrated exactly at every change.

Time is kept in integer milliseconds (SimPy accepts any number) and demand in
integer kHz, as Plenum does, so that the two agree to rounding.
Prints one JSON line: IT energy, makespan, read time and simulation time.
"""
import json
import math
import struct
import sys
import time
from array import array
from collections import deque

import simpy


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"PLNMSURF":
        sys.exit(f"{path}: not a file from surf_to_bin.py")
    hosts, cores, mem, mhz, idle_w, max_w, model = struct.unpack_from("<3q3dq", data, 8)
    tasks, frags = struct.unpack_from("<2q", data, 64)
    at = 80

    def take(code, n):
        nonlocal at
        a = array(code)
        a.frombytes(data[at : at + 8 * n])
        at += 8 * n
        return a

    t = {
        "submit_ms": take("q", tasks),
        "cpu_count": take("q", tasks),
        "memory_mib": take("q", tasks),
        "duration_ms": take("q", tasks),
        "capacity_mhz": take("d", tasks),
        "start": take("q", tasks + 1),
        "frag_ms": take("q", frags),
        "frag_mhz": take("d", frags),
    }
    if sys.byteorder != "little":
        for a in t.values():
            a.byteswap()
    return (hosts, cores, mem, mhz, idle_w, max_w, model), t


def main(path):
    t0 = time.perf_counter()
    (hosts, cores, host_mem, core_mhz, idle_w, max_w, model), t = read(path)
    if model != 3:
        sys.exit("only the sqrt power model is implemented here")
    read_s = time.perf_counter() - t0
    t1 = time.perf_counter()

    cap_khz = int(cores * core_mhz * 1000 + 0.5)
    slope_w = max_w - idle_w
    submit_ms, cpu_count, memory = t["submit_ms"], t["cpu_count"], t["memory_mib"]
    start, frag_ms, frag_mhz = t["start"], t["frag_ms"], t["frag_mhz"]
    ntasks = len(submit_ms)

    env = simpy.Environment()
    free_slots = [cores] * hosts
    free_mem = [host_mem] * hosts
    demand_khz = [0] * hosts
    power_w = [idle_w] * hosts
    last_ms = [0] * hosts
    energy_wms = [0.0] * hosts
    fifo = deque()
    stats = {"completed": 0, "wait_ms": 0, "peak_tasks_per_host": 0}
    tasks_on = [0] * hosts

    def set_demand(h, khz):
        now = env.now
        energy_wms[h] += power_w[h] * (now - last_ms[h])
        last_ms[h] = now
        demand_khz[h] = khz
        u = min(khz / cap_khz, 1.0)
        power_w[h] = idle_w + slope_w * math.sqrt(u)

    def runs(i):
        """The task's fragments as (duration ms, demand kHz), equal neighbours merged."""
        a, b = start[i], start[i + 1]
        if a == b:
            yield t["duration_ms"][i], int(t["capacity_mhz"][i] * 1000 + 0.5)
            return
        dur, khz = frag_ms[a], int(frag_mhz[a] * 1000 + 0.5)
        for k in range(a + 1, b):
            k_khz = int(frag_mhz[k] * 1000 + 0.5)
            if k_khz == khz:
                dur += frag_ms[k]
            else:
                yield dur, khz
                dur, khz = frag_ms[k], k_khz
        yield dur, khz

    def choose(i):
        need_slots, need_mem = cpu_count[i], memory[i]
        best, best_mem = -1, -1
        for h in range(hosts):
            m = free_mem[h]
            if m > best_mem and m >= need_mem and free_slots[h] >= need_slots:
                best, best_mem = h, m
        return best

    def task(i, h):
        current = 0
        for dur, khz in runs(i):
            set_demand(h, demand_khz[h] - current + khz)
            current = khz
            yield env.timeout(dur)
        set_demand(h, demand_khz[h] - current)
        free_slots[h] += cpu_count[i]
        free_mem[h] += memory[i]
        tasks_on[h] -= 1
        stats["completed"] += 1
        while fifo:
            g = choose(fifo[0])
            if g < 0:
                break
            place(fifo.popleft(), g)

    def place(i, h):
        free_slots[h] -= cpu_count[i]
        free_mem[h] -= memory[i]
        tasks_on[h] += 1
        stats["peak_tasks_per_host"] = max(stats["peak_tasks_per_host"], tasks_on[h])
        stats["wait_ms"] += env.now - submit_ms[i]
        env.process(task(i, h))

    def submitter():
        for i in range(ntasks):
            if submit_ms[i] > env.now:
                yield env.timeout(submit_ms[i] - env.now)
            if cpu_count[i] > cores or memory[i] > host_mem:
                continue  # never fits (none in this trace)
            h = choose(i) if not fifo else -1
            if h < 0:
                fifo.append(i)
            else:
                place(i, h)

    env.process(submitter())
    env.run()
    end = env.now
    for h in range(hosts):
        energy_wms[h] += power_w[h] * (end - last_ms[h])
    sim_s = time.perf_counter() - t1
    print(
        json.dumps(
            {
                "tool": "simpy",
                "tasks": ntasks,
                "fragments": len(frag_ms),
                "completed": stats["completed"],
                "it_mwh": sum(energy_wms) / 3.6e12,
                "makespan_s": end / 1000,
                "mean_wait_s": stats["wait_ms"] / max(stats["completed"], 1) / 1000,
                "max_tasks_per_host": stats["peak_tasks_per_host"],
                "read_s": read_s,
                "sim_s": sim_s,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
