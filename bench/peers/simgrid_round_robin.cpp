// Workload (a) in SimGrid S4U with the host energy plugin: 99 single-core
// hosts at 1 Gflop/s, N jobs of 1e9 * (1 + i mod 5) flops, job i on host
// i mod 99. One actor per host runs its jobs in order (FIFO per host).
// Prints one JSON line: makespan, total energy and wall time.
//
// Build: g++ -O2 -std=c++17 simgrid_round_robin.cpp -lsimgrid -o simgrid_round_robin
// Run:   ./simgrid_round_robin PLATFORM.xml N
#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

static long jobs_total = 0;

static void host_worker(int h, int hosts) {
  for (long i = h; i < jobs_total; i += hosts)
    sg4::this_actor::execute(1e9 * (1 + i % 5));
}

int main(int argc, char** argv) {
  auto t0 = std::chrono::steady_clock::now();
  sg_host_energy_plugin_init();
  sg4::Engine e(&argc, argv);
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PLATFORM.xml N\n", argv[0]);
    return 1;
  }
  e.load_platform(argv[1]);
  jobs_total = std::stol(argv[2]);
  std::vector<sg4::Host*> hosts = e.get_all_hosts();
  int n = static_cast<int>(hosts.size());
  for (int h = 0; h < n; h++)
    sg4::Actor::create("worker", hosts[h], host_worker, h, n);
  e.run();
  double energy_j = 0;
  for (auto* h : hosts)
    energy_j += sg_host_get_consumed_energy(h);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"tool\": \"simgrid\", \"jobs\": %ld, \"makespan_s\": %.3f, \"energy_j\": %.1f, \"wall_s\": %.3f}\n",
              jobs_total, sg4::Engine::get_clock(), energy_j, wall);
  return 0;
}
