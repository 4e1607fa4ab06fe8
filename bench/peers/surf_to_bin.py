"""Convert an OpenDC workload (tasks.parquet + fragments.parquet) and its
topology JSON into one flat binary file that the SimGrid and SimPy versions of
workload (b) read without a Parquet library.

    python3 surf_to_bin.py FOLDER OUT.bin      # FOLDER: tasks, fragments, topology.json

The trace is prepared as Plenum's reader prepares it (plenum-io
`trace::opendc`): each task's fragments in file order, tasks sorted by
submission time (stable: ties keep file order), submission times in ms after
the first one (epoch ms in this trace), memory as given (OpenDC compares it
with host memory in MiB). Only one host type is supported (the SURF topology
has one: 277 hosts).

Layout, all little-endian, arrays back to back:
  8 bytes   magic b"PLNMSURF"
  int64     hosts, cores per host, memory per host (MiB)
  float64   core clock (MHz), idle power (W), max power (W)
  int64     power model (0 linear, 1 square, 2 cubic, 3 sqrt)
  int64     tasks T, fragments F
  int64[T]  submit_ms            int64[T]  cpu_count
  int64[T]  memory_mib           int64[T]  duration_ms
  float64[T] cpu_capacity_mhz (whole task; a task without fragments runs at it)
  int64[T+1] first fragment of each task
  int64[F]  fragment duration_ms float64[F] fragment cpu_usage_mhz (whole task)
Prints one JSON line with the counts and the conversion time.
"""
import json
import os
import struct
import sys
import time

import numpy as np
import pyarrow.parquet as pq

MODELS = {"linear": 0, "square": 1, "cubic": 2, "sqrt": 3}


def topology(path):
    with open(path) as f:
        topo = json.load(f)
    groups = []
    for cluster in topo["clusters"]:
        for h in cluster["hosts"]:
            count = h.get("count", 1) * cluster.get("count", 1)
            cpu = h["cpu"]
            pm = h.get("cpuPowerModel", {"modelType": "linear", "idlePower": 200.0, "maxPower": 400.0})
            groups.append(
                (
                    count,
                    int(cpu["coreCount"]) * int(cpu.get("count", 1)),
                    int(h["memory"]["memorySize"]),
                    float(cpu["coreSpeed"]),
                    float(pm["idlePower"]),
                    float(pm["maxPower"]),
                    MODELS[pm["modelType"]],
                )
            )
    kinds = {g[1:] for g in groups}
    if len(kinds) != 1:
        sys.exit(f"{path}: expected one host type, found {len(kinds)}")
    return (sum(g[0] for g in groups),) + kinds.pop()


def main(folder, out):
    t0 = time.perf_counter()
    hosts = topology(os.path.join(folder, "topology.json"))
    tasks = pq.read_table(os.path.join(folder, "tasks.parquet"))
    frags = pq.read_table(os.path.join(folder, "fragments.parquet"))
    task_id = tasks.column("id").to_numpy()
    submit = tasks.column("submission_time").cast("int64").to_numpy()
    cpu_count = tasks.column("cpu_count").cast("int64").to_numpy()
    memory = tasks.column("mem_capacity").cast("int64").to_numpy()
    task_duration = tasks.column("duration").cast("int64").to_numpy()
    capacity = tasks.column("cpu_capacity").cast("float64").to_numpy()
    frag_id = frags.column("id").to_numpy()
    duration = frags.column("duration").cast("int64").to_numpy()
    usage = frags.column("cpu_usage").cast("float64").to_numpy()

    # Task order: by submission time, stable.
    order = np.argsort(submit, kind="stable")
    # Each fragment's owner as a position in that order; then fragments grouped
    # by owner, file order kept within a task (stable sort).
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    index_of = dict(zip(task_id.tolist(), range(len(task_id))))
    owner = position[np.fromiter((index_of[i] for i in frag_id.tolist()), dtype=np.int64, count=len(frag_id))]
    frag_order = np.argsort(owner, kind="stable")
    start = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=len(order)), out=start[1:])

    with open(out, "wb") as f:
        f.write(b"PLNMSURF")
        count, cores, mem, mhz, idle_w, max_w, model = hosts
        f.write(struct.pack("<3q3dq", count, cores, mem, mhz, idle_w, max_w, model))
        f.write(struct.pack("<2q", len(order), len(frag_id)))
        for a in (submit[order] - submit.min(), cpu_count[order], memory[order], task_duration[order]):
            a.astype("<i8").tofile(f)
        capacity[order].astype("<f8").tofile(f)
        start.astype("<i8").tofile(f)
        duration[frag_order].astype("<i8").tofile(f)
        usage[frag_order].astype("<f8").tofile(f)
    print(
        json.dumps(
            {
                "tool": "convert",
                "tasks": int(len(order)),
                "fragments": int(len(frag_id)),
                "hosts": count,
                "convert_s": time.perf_counter() - t0,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
