"""Workload (a) in SimPy: 99 single-core hosts at 1 Gflop/s, N jobs of
1e9 * (1 + i mod 5) flops, job i on host i mod 99, FIFO per host.
Prints one JSON line: makespan and wall time of the simulation."""
import json
import sys
import time

import simpy

HOSTS = 99
FLOPS_PER_S = 1e9


def job(env, host, flops):
    with host.request() as req:  # Resource queues requests FIFO
        yield req
        yield env.timeout(flops / FLOPS_PER_S)


def main(n):
    t0 = time.perf_counter()
    env = simpy.Environment()
    hosts = [simpy.Resource(env, capacity=1) for _ in range(HOSTS)]
    for i in range(n):
        env.process(job(env, hosts[i % HOSTS], 1e9 * (1 + i % 5)))
    env.run()
    print(json.dumps({"tool": "simpy", "jobs": n, "makespan_s": env.now, "wall_s": time.perf_counter() - t0}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
