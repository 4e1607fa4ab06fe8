// Workload (b) in SimGrid S4U with the host energy plugin: the OpenDC SURF
// week replayed on its topology (277 hosts, 16 cores at 2,100 MHz, 100,000
// MiB, sqrt power model idle 32 W / max 180 W), as Plenum's
// scenarios/opendc-surf-week.toml does.
//
// Build: g++ -O2 -std=c++17 simgrid_surf_week.cpp -lsimgrid -o simgrid_surf_week
// Run:   ./simgrid_surf_week TRACE.bin      (TRACE.bin from surf_to_bin.py)
// Prints one JSON line: IT energy, makespan, read time and simulation time.
//
// Model, as in Plenum and OpenDC:
// - Placement: at submission, the host with the most free memory among those
//   with enough free vCPUs and memory, the lowest index on ties (OpenDC's
//   prefab `Mem`); when nothing fits the task waits in a FIFO queue, started
//   as soon as a departure frees room. A submitter actor sleeps until each
//   submission; a task is one actor created on its host.
// - A task runs its fragments back to back, each for its traced duration at
//   its traced demand (a fragment lasts its time whatever the host gives);
//   consecutive fragments of equal demand form one run.
//
// Fragments to executions, and how the energy plugin gives the sqrt model:
// the plugin's power is linear in the host's load, P = P_eps + (P_max -
// P_eps) * load, with load = (flop/s being executed) / (speed * cores)
// (src/plugins/host_energy.cpp), and P_idle when nothing runs. OpenDC's model
// is P = P_idle + (P_max - P_idle) * sqrt(u), u = demand / capacity, capped at
// 1 (Beloglazov and Buyya, CCPE 2012). With wattage "32:32:180" (idle =
// epsilon = 32 W) a run of utilization u and duration d becomes one execution
// bounded at sqrt(u) * C flop/s of sqrt(u) * C * d flops, C the host's
// capacity: it lasts d and holds the load at sqrt(u), so the plugin integrates
// exactly 32 + 148 * sqrt(u) W over it. A run of zero demand is a sleep (the
// host idles at 32 W). The flops are a carrier for the load, not the task's
// work: in this model the work of a fragment does not change its duration.
// This mapping needs one task per host at a time, since sqrt(u1 + u2) is not
// sqrt(u1) + sqrt(u2); it holds here because every task asks for a host's
// whole memory (checked: the program stops otherwise).
// - Each host is declared as one core of 16 x 2,100 MHz = 33.6 Gflop/s: the
//   same capacity, pooled as OpenDC pools a host's cores (a fragment's demand
//   is the total over the task's 16 vCPUs). SimGrid 3.32 ignores the bound of
//   a multi-threaded execution (ExecImpl::start passes no bound to
//   execute_thread), so a 16-core host would need 16 executions per run.
#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

struct Trace {
  int64_t hosts = 0, cores = 0, host_memory = 0, power_model = 0;
  double core_mhz = 0, idle_w = 0, max_w = 0;
  std::vector<int64_t> submit_ms, cpu_count, memory, duration_ms, start, frag_ms;
  std::vector<double> capacity_mhz, frag_mhz;
};

static Trace read_trace(const char* path) {
  FILE* f = std::fopen(path, "rb");
  if (!f) {
    std::perror(path);
    std::exit(1);
  }
  auto get = [&](void* p, size_t bytes) {
    if (std::fread(p, 1, bytes, f) != bytes) {
      std::fprintf(stderr, "%s: truncated\n", path);
      std::exit(1);
    }
  };
  char magic[8];
  get(magic, 8);
  if (std::memcmp(magic, "PLNMSURF", 8) != 0) {
    std::fprintf(stderr, "%s: not a file from surf_to_bin.py\n", path);
    std::exit(1);
  }
  Trace t;
  int64_t n = 0, m = 0;
  get(&t.hosts, 8);
  get(&t.cores, 8);
  get(&t.host_memory, 8);
  get(&t.core_mhz, 8);
  get(&t.idle_w, 8);
  get(&t.max_w, 8);
  get(&t.power_model, 8);
  get(&n, 8);
  get(&m, 8);
  auto ints = [&](std::vector<int64_t>& v, int64_t k) {
    v.resize(k);
    get(v.data(), 8 * k);
  };
  auto reals = [&](std::vector<double>& v, int64_t k) {
    v.resize(k);
    get(v.data(), 8 * k);
  };
  ints(t.submit_ms, n);
  ints(t.cpu_count, n);
  ints(t.memory, n);
  ints(t.duration_ms, n);
  reals(t.capacity_mhz, n);
  ints(t.start, n + 1);
  ints(t.frag_ms, m);
  reals(t.frag_mhz, m);
  std::fclose(f);
  return t;
}

static Trace T;
static std::vector<sg4::Host*> hosts;
static std::vector<int64_t> free_slots, free_memory, tasks_on;
static std::deque<int64_t> fifo;
static double capacity_flops = 0; // cores x clock, flop/s (1 cycle = 1 flop)
static int64_t capacity_khz = 0;
static long completed = 0;
static double wait_s = 0;

static int64_t khz(double mhz) { return static_cast<int64_t>(mhz * 1000 + 0.5); }

// Most free memory among the hosts that fit, lowest index on ties; -1: none.
static int choose(int64_t i) {
  int best = -1;
  int64_t best_mem = -1;
  for (size_t h = 0; h < hosts.size(); h++)
    if (free_memory[h] > best_mem && free_memory[h] >= T.memory[i] && free_slots[h] >= T.cpu_count[i]) {
      best = static_cast<int>(h);
      best_mem = free_memory[h];
    }
  return best;
}

static void place(int64_t i, int h);

static void run_task(int64_t i, int h) {
  // Consecutive fragments of equal demand (in kHz, as Plenum) form one run.
  auto run = [](int64_t dur_ms, int64_t demand_khz) {
    double u = std::min(static_cast<double>(demand_khz) / static_cast<double>(capacity_khz), 1.0);
    double d = dur_ms / 1000.0;
    if (u <= 0) {
      sg4::this_actor::sleep_for(d);
      return;
    }
    double rate = std::sqrt(u) * capacity_flops; // load sqrt(u): the plugin gives the sqrt model
    sg4::this_actor::exec_init(rate * d)->set_bound(rate)->start()->wait();
  };
  int64_t a = T.start[i], b = T.start[i + 1];
  if (a == b) {
    run(T.duration_ms[i], khz(T.capacity_mhz[i]));
  } else {
    int64_t dur = T.frag_ms[a], demand = khz(T.frag_mhz[a]);
    for (int64_t k = a + 1; k < b; k++) {
      int64_t d = khz(T.frag_mhz[k]);
      if (d == demand) {
        dur += T.frag_ms[k];
      } else {
        run(dur, demand);
        dur = T.frag_ms[k];
        demand = d;
      }
    }
    run(dur, demand);
  }
  free_slots[h] += T.cpu_count[i];
  free_memory[h] += T.memory[i];
  tasks_on[h]--;
  completed++;
  while (!fifo.empty()) {
    int g = choose(fifo.front());
    if (g < 0)
      break;
    int64_t next = fifo.front();
    fifo.pop_front();
    place(next, g);
  }
}

static void place(int64_t i, int h) {
  free_slots[h] -= T.cpu_count[i];
  free_memory[h] -= T.memory[i];
  if (++tasks_on[h] > 1) {
    std::fprintf(stderr, "host %d runs two tasks: the load mapping needs one task per host\n", h);
    std::exit(1);
  }
  wait_s += sg4::Engine::get_clock() - T.submit_ms[i] / 1000.0;
  sg4::Actor::create("task", hosts[h], run_task, i, h);
}

static void submitter() {
  for (size_t i = 0; i < T.submit_ms.size(); i++) {
    sg4::this_actor::sleep_until(T.submit_ms[i] / 1000.0);
    if (T.cpu_count[i] > T.cores || T.memory[i] > T.host_memory)
      continue; // never fits (none in this trace)
    int h = fifo.empty() ? choose(i) : -1;
    if (h < 0)
      fifo.push_back(i);
    else
      place(i, h);
  }
}

int main(int argc, char** argv) {
  auto t0 = std::chrono::steady_clock::now();
  sg_host_energy_plugin_init();
  sg4::Engine e(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s TRACE.bin\n", argv[0]);
    return 1;
  }
  T = read_trace(argv[1]);
  if (T.power_model != 3) {
    std::fprintf(stderr, "only the sqrt power model is mapped here\n");
    return 1;
  }
  auto t1 = std::chrono::steady_clock::now();
  capacity_flops = T.cores * T.core_mhz * 1e6;
  capacity_khz = khz(T.cores * T.core_mhz);
  auto* zone = sg4::create_full_zone("surf");
  std::string watts = std::to_string(T.idle_w) + ":" + std::to_string(T.idle_w) + ":" + std::to_string(T.max_w);
  for (int64_t h = 0; h < T.hosts; h++) {
    auto* host = zone->create_host("h" + std::to_string(h), capacity_flops);
    host->set_core_count(1);
    host->set_property("wattage_per_state", watts);
    host->set_property("wattage_off", "0");
    hosts.push_back(host->seal());
  }
  zone->seal();
  free_slots.assign(T.hosts, T.cores);
  free_memory.assign(T.hosts, T.host_memory);
  tasks_on.assign(T.hosts, 0);
  sg4::Actor::create("submitter", hosts[0], submitter);
  e.run();
  double energy_j = 0;
  for (auto* h : hosts)
    energy_j += sg_host_get_consumed_energy(h);
  auto t2 = std::chrono::steady_clock::now();
  std::printf("{\"tool\": \"simgrid\", \"tasks\": %zu, \"fragments\": %zu, \"completed\": %ld, \"it_mwh\": %.13f, "
              "\"makespan_s\": %.6f, \"mean_wait_s\": %.3f, \"read_s\": %.3f, \"sim_s\": %.3f}\n",
              T.submit_ms.size(), T.frag_ms.size(), completed, energy_j / 3.6e9, sg4::Engine::get_clock(),
              completed ? wait_s / completed : 0.0, std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t2 - t1).count());
  return 0;
}
