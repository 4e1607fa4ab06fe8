//! Placement of tasks (VMs, jobs) on hosts.
//!
//! A host offers vCPU *slots* (`floor(cores × cpu_overcommit)`) and memory;
//! a task takes `cpu_count` slots and its memory. Slots may be overcommitted,
//! memory never is (a hard limit). The policies are the classic bin-packing
//! heuristics (Coffman, Garey and Johnson, "Approximation algorithms for bin
//! packing: a survey", 1996) as cloud schedulers use them:
//!
//! | policy | host chosen among those that fit |
//! |---|---|
//! | `FirstFit` | the lowest index |
//! | `BestFit` | fewest free slots (tightest), then lowest index |
//! | `WorstFit` | most free slots (spreading), then lowest index |
//! | `MostFreeMemory` | most free memory, then lowest index (OpenDC's prefab `Mem`) |
//! | `Random` | uniformly at random (stream `placement.random`) |
//! | `PowerAware` | best fit among hosts already running work; else the lowest-index idle host that is on; else wake the lowest-index host that is off |
//! | `RoundRobin` | task k goes to host `k mod H`, whatever its load (per-host FIFO) |
//!
//! With `power_down_idle`, a host that empties is switched off and must be
//! woken (by the engine, after its wake-up delay) before work placed on it
//! starts.
//!
//! Data structures keep each decision near O(log H) at fleet scale without
//! allocating: a max segment tree over (free slots, free memory) answers
//! first fit and most-free-memory by pruned descent; per-free-slot buckets of
//! two-level bitsets answer best and worst fit in index order.

use plenum_kernel::rng::index_by_modulo;
use plenum_kernel::{RngStream, stream};

/// A placement policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Lowest-index host that fits.
    FirstFit,
    /// Host left with the fewest free slots.
    BestFit,
    /// Host left with the most free slots.
    WorstFit,
    /// Host with the most free memory (OpenDC `Mem`).
    MostFreeMemory,
    /// A uniformly random host among those that fit.
    Random,
    /// Fewest active hosts: pack onto busy hosts, then idle ones, then wake.
    PowerAware,
    /// Task k on host k mod H.
    RoundRobin,
}

impl Policy {
    /// The policy by its scenario name.
    pub fn by_name(name: &str) -> Option<Policy> {
        Some(match name {
            "first_fit" => Policy::FirstFit,
            "best_fit" => Policy::BestFit,
            "worst_fit" => Policy::WorstFit,
            "most_free_memory" => Policy::MostFreeMemory,
            "random" => Policy::Random,
            "power_aware" => Policy::PowerAware,
            "round_robin" => Policy::RoundRobin,
            _ => return None,
        })
    }

    /// The names [`Policy::by_name`] accepts.
    pub const NAMES: [&'static str; 7] =
        ["first_fit", "best_fit", "worst_fit", "most_free_memory", "random", "power_aware", "round_robin"];
}

/// Power state of a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerState {
    /// Running (maybe idle).
    On,
    /// Switched off.
    Off,
    /// Booting: work placed on it waits.
    Waking,
}

/// Where a task goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Host index.
    pub host: u32,
    /// The host is off and must be woken first.
    pub wake: bool,
}

/// A set of indices with fast "next member at or after i" (two-level bitset).
#[derive(Debug, Clone)]
struct BitSet {
    words: Vec<u64>,
    summary: Vec<u64>,
}

impl BitSet {
    fn new(n: usize) -> Self {
        let words = n.div_ceil(64);
        BitSet { words: vec![0; words], summary: vec![0; words.div_ceil(64)] }
    }

    fn insert(&mut self, i: usize) {
        let w = i / 64;
        self.words[w] |= 1 << (i % 64);
        self.summary[w / 64] |= 1 << (w % 64);
    }

    fn remove(&mut self, i: usize) {
        let w = i / 64;
        self.words[w] &= !(1 << (i % 64));
        if self.words[w] == 0 {
            self.summary[w / 64] &= !(1 << (w % 64));
        }
    }

    /// The smallest member ≥ `i`.
    fn next_from(&self, i: usize) -> Option<usize> {
        let mut w = i / 64;
        if w >= self.words.len() {
            return None;
        }
        let bits = self.words[w] & (u64::MAX << (i % 64));
        if bits != 0 {
            return Some(w * 64 + bits.trailing_zeros() as usize);
        }
        w += 1;
        let mut s = w / 64;
        if s >= self.summary.len() {
            return None;
        }
        let mut sbits =
            if w.is_multiple_of(64) { self.summary[s] } else { self.summary[s] & (u64::MAX << (w % 64)) };
        loop {
            if sbits != 0 {
                let w = s * 64 + sbits.trailing_zeros() as usize;
                return Some(w * 64 + self.words[w].trailing_zeros() as usize);
            }
            s += 1;
            if s >= self.summary.len() {
                return None;
            }
            sbits = self.summary[s];
        }
    }
}

/// Hosts grouped by free slots, each group in index order.
#[derive(Debug, Clone)]
struct Buckets {
    sets: Vec<BitSet>,
}

impl Buckets {
    fn new(hosts: usize, max_slots: u32) -> Self {
        Buckets { sets: (0..=max_slots).map(|_| BitSet::new(hosts)).collect() }
    }
}

/// Max segment tree over (free slots, free memory).
#[derive(Debug, Clone)]
struct FitTree {
    size: usize,
    slots: Vec<u32>,
    mem: Vec<u64>,
}

impl FitTree {
    fn new(slots: &[u32], mem: &[u64]) -> Self {
        let size = slots.len().next_power_of_two().max(1);
        let mut t = FitTree { size, slots: vec![0; 2 * size], mem: vec![0; 2 * size] };
        t.slots[size..size + slots.len()].copy_from_slice(slots);
        t.mem[size..size + mem.len()].copy_from_slice(mem);
        for n in (1..size).rev() {
            t.slots[n] = t.slots[2 * n].max(t.slots[2 * n + 1]);
            t.mem[n] = t.mem[2 * n].max(t.mem[2 * n + 1]);
        }
        t
    }

    fn set(&mut self, i: usize, slots: u32, mem: u64) {
        let mut n = self.size + i;
        self.slots[n] = slots;
        self.mem[n] = mem;
        while n > 1 {
            n /= 2;
            self.slots[n] = self.slots[2 * n].max(self.slots[2 * n + 1]);
            self.mem[n] = self.mem[2 * n].max(self.mem[2 * n + 1]);
        }
    }

    #[inline]
    fn may_fit(&self, n: usize, slots: u32, mem: u64) -> bool {
        self.slots[n] >= slots && self.mem[n] >= mem
    }

    /// Lowest index ≥ `from` that fits.
    fn first_fit_from(&self, from: usize, slots: u32, mem: u64) -> Option<usize> {
        self.first_in(1, 0, self.size, from, slots, mem)
    }

    fn first_in(&self, n: usize, lo: usize, len: usize, from: usize, slots: u32, mem: u64) -> Option<usize> {
        if lo + len <= from || !self.may_fit(n, slots, mem) {
            return None;
        }
        if len == 1 {
            return Some(lo);
        }
        let half = len / 2;
        self.first_in(2 * n, lo, half, from, slots, mem)
            .or_else(|| self.first_in(2 * n + 1, lo + half, half, from, slots, mem))
    }

    /// The fitting index with the most free memory (lowest index on ties).
    fn most_memory(&self, slots: u32, mem: u64) -> Option<usize> {
        let mut best: Option<(u64, usize)> = None;
        self.most_memory_in(1, 0, self.size, slots, mem, &mut best);
        best.map(|(_, i)| i)
    }

    fn most_memory_in(
        &self,
        n: usize,
        lo: usize,
        len: usize,
        slots: u32,
        mem: u64,
        best: &mut Option<(u64, usize)>,
    ) {
        if !self.may_fit(n, slots, mem) {
            return;
        }
        if let Some((b, bi)) = *best {
            // Nothing here can beat the best (equal memory only at a lower index).
            if self.mem[n] < b || (self.mem[n] == b && lo > bi) {
                return;
            }
        }
        if len == 1 {
            *best = Some((self.mem[n], lo));
            return;
        }
        let half = len / 2;
        let (l, r) = (2 * n, 2 * n + 1);
        if self.mem[r] > self.mem[l] {
            self.most_memory_in(r, lo + half, half, slots, mem, best);
            self.most_memory_in(l, lo, half, slots, mem, best);
        } else {
            self.most_memory_in(l, lo, half, slots, mem, best);
            self.most_memory_in(r, lo + half, half, slots, mem, best);
        }
    }
}

/// Capacity and occupancy of every host, and the policy that places on them.
#[derive(Debug, Clone)]
pub struct Placer {
    policy: Policy,
    power_down_idle: bool,
    slots_total: Vec<u32>,
    memory_total_mib: Vec<u64>,
    free_slots: Vec<u32>,
    free_memory_mib: Vec<u64>,
    tasks_on: Vec<u32>,
    state: Vec<PowerState>,
    tree: FitTree,
    capacity_tree: FitTree,
    all: Option<Buckets>,
    busy: Option<Buckets>,
    idle_on: BitSet,
    off: BitSet,
    rng: RngStream,
    scratch: Vec<u32>,
}

impl Placer {
    /// Hosts with `slots_total[h]` vCPU slots (cores × overcommit, floored)
    /// and `memory_total_mib[h]`; all on and empty.
    pub fn new(
        policy: Policy,
        slots_total: Vec<u32>,
        memory_total_mib: Vec<u64>,
        power_down_idle: bool,
        seed: u64,
    ) -> Placer {
        assert_eq!(slots_total.len(), memory_total_mib.len());
        let hosts = slots_total.len();
        let max_slots = slots_total.iter().copied().max().unwrap_or(0);
        let tree = FitTree::new(&slots_total, &memory_total_mib);
        let with_buckets = |on: bool| {
            let mut b = Buckets::new(hosts, max_slots);
            if on {
                for (h, &s) in slots_total.iter().enumerate() {
                    b.sets[s as usize].insert(h);
                }
            }
            b
        };
        let all = matches!(policy, Policy::BestFit | Policy::WorstFit).then(|| with_buckets(true));
        let busy = (policy == Policy::PowerAware).then(|| with_buckets(false));
        let mut idle_on = BitSet::new(hosts);
        for h in 0..hosts {
            idle_on.insert(h);
        }
        Placer {
            policy,
            power_down_idle,
            free_slots: slots_total.clone(),
            free_memory_mib: memory_total_mib.clone(),
            tasks_on: vec![0; hosts],
            state: vec![PowerState::On; hosts],
            capacity_tree: tree.clone(),
            tree,
            slots_total,
            memory_total_mib,
            all,
            busy,
            idle_on,
            off: BitSet::new(hosts),
            rng: stream(seed, "placement.random", 0),
            scratch: Vec::with_capacity(hosts),
        }
    }

    /// Number of hosts.
    pub fn hosts(&self) -> usize {
        self.slots_total.len()
    }

    /// The policy.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Free vCPU slots of `host`.
    pub fn free_slots(&self, host: u32) -> u32 {
        self.free_slots[host as usize]
    }

    /// Free memory of `host`, MiB.
    pub fn free_memory_mib(&self, host: u32) -> u64 {
        self.free_memory_mib[host as usize]
    }

    /// Tasks placed on `host`.
    pub fn tasks_on(&self, host: u32) -> u32 {
        self.tasks_on[host as usize]
    }

    /// Power state of `host`.
    pub fn state(&self, host: u32) -> PowerState {
        self.state[host as usize]
    }

    /// Whether a task of this size fits some host when that host is empty
    /// (else it can never run and is rejected).
    pub fn could_ever_fit(&self, slots: u32, memory_mib: u64) -> bool {
        self.capacity_tree.first_fit_from(0, slots, memory_mib).is_some()
    }

    /// Whether the task fits `host` when it is empty.
    pub fn could_ever_fit_on(&self, host: u32, slots: u32, memory_mib: u64) -> bool {
        self.slots_total[host as usize] >= slots && self.memory_total_mib[host as usize] >= memory_mib
    }

    /// Whether the task fits `host` now.
    pub fn fits_now(&self, host: u32, slots: u32, memory_mib: u64) -> bool {
        self.free_slots[host as usize] >= slots && self.free_memory_mib[host as usize] >= memory_mib
    }

    fn choice(&self, host: usize) -> Choice {
        Choice { host: host as u32, wake: self.state[host] == PowerState::Off }
    }

    /// Choose a host for a task of `slots` vCPUs and `memory_mib`, or `None`
    /// when nothing fits now. `ordinal` is the task's position in submission
    /// order (used by `RoundRobin`). Nothing changes until [`Placer::place`].
    pub fn choose(&mut self, ordinal: u64, slots: u32, memory_mib: u64) -> Option<Choice> {
        let hosts = self.hosts();
        if hosts == 0 {
            return None;
        }
        let host = match self.policy {
            Policy::FirstFit => self.tree.first_fit_from(0, slots, memory_mib),
            Policy::MostFreeMemory => self.tree.most_memory(slots, memory_mib),
            Policy::BestFit | Policy::WorstFit => {
                let buckets = self.all.as_ref().expect("buckets for best/worst fit");
                let top = buckets.sets.len() as u32 - 1;
                let span = top.saturating_sub(slots) + 1;
                let best = self.policy == Policy::BestFit;
                let mut found = None;
                'scan: for k in 0..if slots > top { 0 } else { span } {
                    let b = if best { slots + k } else { top - k };
                    let set = &buckets.sets[b as usize];
                    let mut i = 0;
                    while let Some(h) = set.next_from(i) {
                        if self.free_memory_mib[h] >= memory_mib {
                            found = Some(h);
                            break 'scan;
                        }
                        i = h + 1;
                    }
                }
                found
            }
            Policy::Random => {
                let mut found = None;
                for _ in 0..32 {
                    let h = index_by_modulo(&mut self.rng, hosts as u64) as usize;
                    if self.fits_now(h as u32, slots, memory_mib) {
                        found = Some(h);
                        break;
                    }
                }
                if found.is_none() {
                    self.scratch.clear();
                    let mut i = 0;
                    while let Some(h) = self.tree.first_fit_from(i, slots, memory_mib) {
                        self.scratch.push(h as u32);
                        i = h + 1;
                    }
                    if !self.scratch.is_empty() {
                        let k = index_by_modulo(&mut self.rng, self.scratch.len() as u64) as usize;
                        found = Some(self.scratch[k] as usize);
                    }
                }
                found
            }
            Policy::PowerAware => {
                let busy = self.busy.as_ref().expect("buckets for power-aware");
                let top = busy.sets.len() as u32 - 1;
                let mut found = None;
                'busy: for b in slots..=top {
                    let set = &busy.sets[b as usize];
                    let mut i = 0;
                    while let Some(h) = set.next_from(i) {
                        if self.free_memory_mib[h] >= memory_mib {
                            found = Some(h);
                            break 'busy;
                        }
                        i = h + 1;
                    }
                }
                for set in [&self.idle_on, &self.off] {
                    let mut i = 0;
                    while found.is_none() {
                        let Some(h) = set.next_from(i) else { break };
                        if self.fits_now(h as u32, slots, memory_mib) {
                            found = Some(h);
                        }
                        i = h + 1;
                    }
                }
                found
            }
            Policy::RoundRobin => {
                let h = (ordinal % hosts as u64) as usize;
                self.fits_now(h as u32, slots, memory_mib).then_some(h)
            }
        };
        host.map(|h| self.choice(h))
    }

    fn index_out(&mut self, h: usize) {
        let s = self.free_slots[h] as usize;
        if let Some(b) = &mut self.all {
            b.sets[s].remove(h);
        }
        if self.tasks_on[h] > 0 {
            if let Some(b) = &mut self.busy {
                b.sets[s].remove(h);
            }
        } else {
            match self.state[h] {
                PowerState::On => self.idle_on.remove(h),
                PowerState::Off => self.off.remove(h),
                PowerState::Waking => {}
            }
        }
    }

    fn index_in(&mut self, h: usize) {
        let s = self.free_slots[h] as usize;
        if let Some(b) = &mut self.all {
            b.sets[s].insert(h);
        }
        if self.tasks_on[h] > 0 {
            if let Some(b) = &mut self.busy {
                b.sets[s].insert(h);
            }
        } else {
            match self.state[h] {
                PowerState::On => self.idle_on.insert(h),
                PowerState::Off => self.off.insert(h),
                PowerState::Waking => {}
            }
        }
        self.tree.set(h, self.free_slots[h], self.free_memory_mib[h]);
    }

    /// Take `slots` and `memory_mib` on `host`. A host that was off starts
    /// waking: returns true when the caller must schedule its wake-up.
    ///
    /// # Panics
    /// If the task does not fit (a bug in the caller).
    pub fn place(&mut self, host: u32, slots: u32, memory_mib: u64) -> bool {
        let h = host as usize;
        assert!(self.fits_now(host, slots, memory_mib), "task does not fit host {h}");
        self.index_out(h);
        self.free_slots[h] -= slots;
        self.free_memory_mib[h] -= memory_mib;
        self.tasks_on[h] += 1;
        let wake = self.state[h] == PowerState::Off;
        if wake {
            self.state[h] = PowerState::Waking;
        }
        self.index_in(h);
        wake
    }

    /// The host finished booting.
    pub fn woken(&mut self, host: u32) {
        let h = host as usize;
        self.index_out(h);
        self.state[h] = PowerState::On;
        self.index_in(h);
    }

    /// Give back a task's slots and memory. Returns true when the host
    /// emptied and was switched off (`power_down_idle`).
    pub fn release(&mut self, host: u32, slots: u32, memory_mib: u64) -> bool {
        let h = host as usize;
        self.index_out(h);
        self.free_slots[h] += slots;
        self.free_memory_mib[h] += memory_mib;
        self.tasks_on[h] -= 1;
        let off = self.power_down_idle && self.tasks_on[h] == 0;
        if off {
            self.state[h] = PowerState::Off;
        }
        self.index_in(h);
        off
    }

    /// Switch every empty host off (at the start, with `power_down_idle`).
    pub fn power_down_empty_hosts(&mut self) -> usize {
        let mut n = 0;
        for h in 0..self.hosts() {
            if self.tasks_on[h] == 0 && self.state[h] == PowerState::On {
                self.index_out(h);
                self.state[h] = PowerState::Off;
                self.index_in(h);
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Place tasks (slots, memory) in order; return the host of each (None: no fit).
    fn run(policy: Policy, slots: &[u32], mem: &[u64], tasks: &[(u32, u64)]) -> Vec<Option<u32>> {
        let mut p = Placer::new(policy, slots.to_vec(), mem.to_vec(), false, 1);
        tasks
            .iter()
            .enumerate()
            .map(|(k, &(s, m))| {
                let c = p.choose(k as u64, s, m)?;
                p.place(c.host, s, m);
                Some(c.host)
            })
            .collect()
    }

    // Three hosts: 4, 8 and 6 slots; 16, 32 and 64 GiB (in MiB).
    const SLOTS: [u32; 3] = [4, 8, 6];
    const MEM: [u64; 3] = [16_384, 32_768, 65_536];

    #[test]
    fn first_fit_takes_the_lowest_index_that_fits() {
        // 3 slots: host 0 (1 left). 2 slots: host 1 (host 0 has 1). 1 slot: host 0.
        // 6 slots: host 1 has 6 left -> host 1. 5 slots: host 2.
        let got = run(Policy::FirstFit, &SLOTS, &MEM, &[(3, 0), (2, 0), (1, 0), (6, 0), (5, 0)]);
        assert_eq!(got, vec![Some(0), Some(1), Some(0), Some(1), Some(2)]);
    }

    #[test]
    fn memory_is_a_hard_limit() {
        // 20 GiB does not fit host 0 (16 GiB) though it has slots: host 1.
        // Then 20 GiB again: host 1 has 12 GiB left -> host 2. Then 50 GiB: host 2 has 44 -> none.
        let got = run(Policy::FirstFit, &SLOTS, &MEM, &[(1, 20_480), (1, 20_480), (1, 51_200)]);
        assert_eq!(got, vec![Some(1), Some(2), None]);
    }

    #[test]
    fn best_fit_leaves_the_least_room() {
        // 4 slots: host 0 (0 left). 5 slots: host 2 (6 -> 1) rather than host 1 (8 -> 3).
        // 3 slots: host 1 (8 -> 5), the only one with room. 1 slot: host 2 (1 -> 0).
        let got = run(Policy::BestFit, &SLOTS, &MEM, &[(4, 0), (5, 0), (3, 0), (1, 0)]);
        assert_eq!(got, vec![Some(0), Some(2), Some(1), Some(2)]);
    }

    #[test]
    fn worst_fit_spreads() {
        // free 4,8,6: 2 -> host 1 (8->6). free 4,6,6: 2 -> host 1 (tie, lowest index; 6->4).
        // free 4,4,6: 1 -> host 2. free 4,4,5: 4 -> host 2 (5->1).
        let got = run(Policy::WorstFit, &SLOTS, &MEM, &[(2, 0), (2, 0), (1, 0), (4, 0)]);
        assert_eq!(got, vec![Some(1), Some(1), Some(2), Some(2)]);
    }

    #[test]
    fn most_free_memory_follows_memory() {
        // free memory 16, 32, 64 GiB: 40 GiB -> host 2 (24 left). 10 GiB -> host 1 (32, 22 left).
        // 10 GiB -> host 2 (24 vs 22 vs 16; 14 left). 1 slot, 0 memory: host 1 (22) .
        let got = run(Policy::MostFreeMemory, &SLOTS, &MEM, &[(1, 40_960), (1, 10_240), (1, 10_240), (1, 0)]);
        assert_eq!(got, vec![Some(2), Some(1), Some(2), Some(1)]);
    }

    #[test]
    fn random_only_picks_hosts_that_fit_and_repeats_with_the_seed() {
        let tasks = vec![(3, 0); 6];
        let a = run(Policy::Random, &SLOTS, &MEM, &tasks);
        assert_eq!(a, run(Policy::Random, &SLOTS, &MEM, &tasks));
        // Capacity for 3-slot tasks: 1 + 2 + 2 = 5; the sixth fails.
        assert_eq!(a.iter().filter(|h| h.is_some()).count(), 5);
        assert_eq!(a[5], None);
        let mut counts = [0; 3];
        for h in a.iter().flatten() {
            counts[*h as usize] += 1;
        }
        assert_eq!(counts, [1, 2, 2]);
    }

    #[test]
    fn power_aware_packs_then_wakes() {
        let mut p = Placer::new(Policy::PowerAware, vec![4, 4, 4], vec![100, 100, 100], true, 1);
        assert_eq!(p.power_down_empty_hosts(), 3);
        // All off: wake the lowest index.
        let c = p.choose(0, 2, 10).unwrap();
        assert_eq!(c, Choice { host: 0, wake: true });
        assert!(p.place(0, 2, 10));
        // Host 0 is waking with 2 slots free: pack there, no new wake.
        assert_eq!(p.choose(1, 2, 10).unwrap(), Choice { host: 0, wake: false });
        p.place(0, 2, 10);
        p.woken(0);
        // Host 0 full: wake host 1.
        assert_eq!(p.choose(2, 1, 10).unwrap(), Choice { host: 1, wake: true });
        p.place(1, 1, 10);
        // Host 0 empties and goes off; host 1 stays the packing target.
        assert!(!p.release(0, 2, 10));
        assert!(p.release(0, 2, 10));
        assert_eq!(p.state(0), PowerState::Off);
        assert_eq!(p.choose(3, 3, 10).unwrap(), Choice { host: 1, wake: false });
    }

    #[test]
    fn power_aware_prefers_the_tightest_busy_host() {
        let mut p = Placer::new(Policy::PowerAware, vec![8, 8, 8], vec![100, 100, 100], false, 1);
        p.place(0, 2, 0); // 6 free
        p.place(2, 5, 0); // 3 free
        // 3 slots: busy hosts 0 (6) and 2 (3): tightest is host 2; idle host 1 not used.
        assert_eq!(p.choose(0, 3, 0).unwrap().host, 2);
        // 7 slots: no busy host fits; the lowest idle host that is on: host 1.
        assert_eq!(p.choose(0, 7, 0).unwrap(), Choice { host: 1, wake: false });
    }

    #[test]
    fn round_robin_pins_by_ordinal() {
        let got = run(Policy::RoundRobin, &[1, 1], &[0, 0], &[(1, 0), (1, 0), (1, 0)]);
        assert_eq!(got, vec![Some(0), Some(1), None]);
    }

    #[test]
    fn could_ever_fit_checks_empty_capacity() {
        let mut p = Placer::new(Policy::FirstFit, SLOTS.to_vec(), MEM.to_vec(), false, 1);
        p.place(1, 8, 0);
        assert!(p.could_ever_fit(8, 0));
        assert!(!p.could_ever_fit(9, 0));
        assert!(!p.could_ever_fit(1, 70_000));
    }

    #[test]
    fn bitset_finds_next_members_across_words() {
        let mut s = BitSet::new(10_000);
        for i in [3, 64, 4_095, 4_096, 9_999] {
            s.insert(i);
        }
        assert_eq!(s.next_from(0), Some(3));
        assert_eq!(s.next_from(4), Some(64));
        assert_eq!(s.next_from(65), Some(4_095));
        assert_eq!(s.next_from(4_097), Some(9_999));
        s.remove(9_999);
        assert_eq!(s.next_from(4_097), None);
    }

    #[test]
    fn fleet_scale_first_fit_agrees_with_a_scan() {
        // A deterministic pseudo-random mix on 1,000 hosts: the tree's answer
        // equals a linear scan's.
        let n = 1_000;
        let slots: Vec<u32> = (0..n).map(|i| 8 + (i % 3) as u32 * 8).collect();
        let mem: Vec<u64> = (0..n).map(|i| 1_000 + (i % 7) as u64 * 500).collect();
        let mut p = Placer::new(Policy::FirstFit, slots, mem, false, 3);
        let mut x: u64 = 12345;
        for k in 0..5_000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let s = 1 + (x >> 60) as u32;
            let m = (x >> 20) % 1_500;
            let scan = (0..n as u32).find(|&h| p.fits_now(h, s, m));
            let got = p.choose(k, s, m).map(|c| c.host);
            assert_eq!(got, scan);
            if let Some(h) = got {
                p.place(h, s, m);
            }
        }
    }
}
