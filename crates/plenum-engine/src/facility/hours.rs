//! The hourly simulation: the fleet's utilization series, the per-rack and
//! per-server spread, and each hour's power pushed up the chain through
//! cooling to the utility ([`Hour`]).
//!
//! # Where the time goes (issue 20)
//!
//! A simulated year with per-server spread is almost all one loop: every
//! server, every hour (402 million server-hours in the default scenario,
//! 876 million at 100,000 servers). Counted with callgrind on the default
//! site at 4,600 servers (40 million server-hours, one thread; the command
//! is in bench/RESULTS.md), the hourly loop is 89% of the run's
//! instructions, about 45 a server-hour, and per server-hour they are:
//!
//! - the hash (fmix64: two multiply-xorshift rounds and a final xorshift on
//!   a counter, about 12 instructions, two of them 3-cycle multiplies);
//! - turning its top 53 bits into a spread in [−1, 1) and the server's
//!   utilization, `rack_u + server_spread · s` (about 8: a conversion, two
//!   multiplies, two adds);
//! - the power curve: clamp to 0..1, scale to the table, truncate to an
//!   index, interpolate (about 15); the table is a thousand segments of
//!   (value, rise), 16 KB, in L1;
//! - the sum, which stays one chain in server order so that results are the
//!   same to the bit (the chain's adds overlap with the next servers' work).
//!
//! What made it faster without moving a bit of the results: a segment table
//! instead of points (one 16-byte load, no subtraction), truncating the index
//! through `u32` (one instruction where the saturating `usize` conversion
//! took ten, with branches), the hash's counter stepped by 8,760 from one
//! server to the next instead of multiplied, the 53-bit integer converted
//! as signed (the unsigned conversion is a branchy sequence on x86-64), and
//! each server's utilization computed once for its wall power and its PSU
//! loss. The loop is not vectorised: on the baseline x86-64 target there is
//! no 64-bit vector multiply for the hash nor a gather for the table, and
//! the project forbids the `unsafe` a run-time dispatch to AVX2 would need.
//!
//! Beyond that the work itself has to shrink, and by default it does:
//! `server_spread_method = "normal"` (the default; `"exact"` keeps the loop
//! above) replaces each rack's run of 16 or more servers of one SKU by one
//! normal draw with their mean and variance ([`run_power_normal_w`]), 40
//! times fewer evaluations for racks of 40. The year then costs what a
//! rack-hour costs. Counted the same way on the default site (10 million
//! rack-hours, one thread), a rack-hour was about 550 instructions when the
//! method was first added: the moments in closed form (two prefix look-ups,
//! a dozen multiplications and a square root, 120), the chain's rack stage
//! pushed one rack at a time (105, with two divisions), the rack's index
//! divided into its PDU's, and a full-rack test per rack. Now it is about
//! 320: the moments come from a table over the window's centre
//! ([`SpreadTable`], one 32-byte load), the rack-level and PDU-level stages
//! run over all instances at once ([`push_up_each`]: the stage's constants in
//! registers, one division for the hour's loading), and PDU sums walk the
//! racks in blocks. What remains is the two hashes and the normal quantile
//! (about 60), the table (20), the stage's loss (30) and the bookkeeping of
//! peaks and sums. CPU time of the default year: 0.21 s (1.6 s exact), of
//! 100,000 servers 0.43 s (3.5 s exact); figures and commands in
//! bench/RESULTS.md ("Interactive speed").

use super::design::PlacedStage;
use super::fleet::Fleet;
use super::{FacilityError, Inputs, ReplayHourly};
use plenum_kernel::rng::normal_quantile;
use plenum_models::cooling::CoolingPlant;
use plenum_models::it_power::{SpreadTable, TabulatedCurve};
use plenum_models::units::W_PER_KW;
use plenum_models::weather::HOURS_PER_YEAR;
use plenum_scenario::{Level, Scenario, UtilizationProfile};

/// Hourly fleet utilization (before per-rack and per-server spread).
pub(super) fn utilization_series(scenario: &Scenario, inputs: &Inputs) -> Result<Vec<f64>, FacilityError> {
    let u = &scenario.utilization;
    let mean = u.mean_cpu_fraction;
    Ok(match &u.profile {
        UtilizationProfile::Constant => vec![mean.unwrap_or(0.0); HOURS_PER_YEAR],
        UtilizationProfile::Diurnal { amplitude, peak_hour, weekend_factor } => (0..HOURS_PER_YEAR)
            .map(|h| {
                let hour = (h % 24) as f64;
                let phase = 2.0 * std::f64::consts::PI * (hour - f64::from(*peak_hour)) / 24.0;
                // The year starts on a Monday: days 5 and 6 of each week are the weekend.
                let weekend = if (h / 24) % 7 >= 5 { *weekend_factor } else { 1.0 };
                ((mean.unwrap_or(0.0) + amplitude * phase.cos()) * weekend).clamp(0.0, 1.0)
            })
            .collect(),
        UtilizationProfile::Csv { .. } => {
            let series = inputs
                .utilization_hourly
                .as_ref()
                .ok_or(FacilityError::MissingInput("the utilization CSV"))?;
            match mean {
                Some(target) => {
                    let current = series.iter().sum::<f64>() / series.len() as f64;
                    let scale = if current > 0.0 { target / current } else { 0.0 };
                    series.iter().map(|v| (v * scale).clamp(0.0, 1.0)).collect()
                }
                None => series.clone(),
            }
        }
    })
}

/// Uniform in [−1, 1) from a counter-based hash of (seed, id, hour): the
/// counter `id·8760 + hour` is offset by the seed and mixed with two
/// multiply-xorshift rounds (the finalizer of MurmurHash3's fmix64, A. Appleby),
/// so the same server and hour give the same number on any thread.
#[inline]
fn spread(seed: u64, id: u64, hour: u64) -> f64 {
    unit_from_counter(counter(seed, id, hour))
}

/// The hash's counter for (seed, id, hour).
#[inline]
fn counter(seed: u64, id: u64, hour: u64) -> u64 {
    seed.wrapping_add(id.wrapping_mul(HOURS_PER_YEAR as u64).wrapping_add(hour))
}

/// fmix64 of `z`, its top 53 bits scaled to [−1, 1). The 53-bit integer is
/// converted through `i64` (it fits): the same value as from `u64`, in one
/// instruction instead of the unsigned conversion's several.
#[inline]
fn unit_from_counter(mut z: u64) -> f64 {
    z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    z = (z ^ (z >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    z ^= z >> 33;
    ((z >> 11) as i64) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0
}

/// Wall power summed over servers `first..end` (one SKU) at hour `hour`,
/// each server at `rack_u` moved by its own spread, and their PSU losses
/// added to `loss_w` one by one: the exact per-server path. Both sums run in
/// server order and start where they always have (the run's wall power from
/// zero, the losses on the rack's running total), so the totals are the same
/// to the bit; the hash's counter steps by 8,760 from one server to the next
/// instead of being multiplied out, and each server's utilization is computed
/// once for both curves.
#[inline]
#[allow(clippy::too_many_arguments)]
fn run_power_w(
    wall: &TabulatedCurve,
    loss: Option<&TabulatedCurve>,
    seed: u64,
    (first, end): (u64, u64),
    hour: u64,
    rack_u: f64,
    server_spread: f64,
    mut loss_w: f64,
) -> (f64, f64) {
    let mut z = counter(seed, first, hour);
    let mut wall_w = 0.0;
    match loss {
        None => {
            for _ in first..end {
                wall_w += wall.power_w(rack_u + server_spread * unit_from_counter(z));
                z = z.wrapping_add(HOURS_PER_YEAR as u64);
            }
        }
        Some(loss) => {
            for _ in first..end {
                let u = rack_u + server_spread * unit_from_counter(z);
                wall_w += wall.power_w(u);
                loss_w += loss.power_w(u);
                z = z.wrapping_add(HOURS_PER_YEAR as u64);
            }
        }
    }
    (wall_w, loss_w)
}

/// Runs shorter than this stay on the exact per-server path under the
/// `normal` spread method: the sum of `n` uniform spreads has excess
/// kurtosis −1.2/n, so the normal's shape error grows as runs shrink, while
/// the exact path's cost shrinks with them (the accelerator racks of the shipped
/// scenarios, 1 to 4 servers, are simulated server by server).
pub const NORMAL_MIN_RUN_SERVERS: usize = 16;

/// The `normal` spread method's total for a run of `n` servers of one SKU
/// in one rack: wall power and PSU loss as `n·mean + √n·sd·z`, with the mean
/// and standard deviation of one server's power under its uniform spread
/// read from the SKU's [`SpreadTable`] and `z` one standard normal draw
/// (Acklam's quantile of the hash of `counter`), shared by wall power and
/// loss, which move together.
///
/// Why it is close: the run's servers are independent given the rack's
/// utilization, so their total has exactly this mean and variance; only its
/// shape is approximated, by the normal the central limit theorem gives. For
/// 40 uniform spreads the total's excess kurtosis is −1.2/40 = −0.03, so the
/// normal is a little heavier in the tails, which can only raise a rack's
/// yearly peak, by a fraction of one standard deviation of a rack's hourly
/// total (about 30 W against 5 kW in the default scenario). The year's
/// energy keeps its expectation (to the table's interpolation, under 1e-4 W a
/// server); the two methods' energies differ by sampling noise alone
/// (relative standard deviation about 1e-5 in the default scenario). Bounds
/// checked by the facility tests (`normal_spread_agrees_with_exact`), where
/// the figures are.
#[inline]
fn run_power_normal_w(
    wall: &SpreadTable,
    loss: Option<&SpreadTable>,
    counter: u64,
    n: f64,
    rack_u: f64,
) -> (f64, f64) {
    let p = (unit_from_counter(counter) + 1.0) * 0.5;
    // Half a 2^-53 step off zero so the quantile stays finite.
    let z = normal_quantile(p.max(0.5 / (1u64 << 53) as f64));
    (wall.run_total_w(rack_u, n, z), loss.map_or(0.0, |l| l.run_total_w(rack_u, n, z)))
}

/// What a rack's servers draw in an hour: the fleet, the seeds and widths
/// of the spread (the per-rack and per-server offsets).
#[derive(Clone, Copy)]
pub(super) struct ServersDraw<'a> {
    pub(super) fleet: &'a Fleet,
    pub(super) server_seed: u64,
    pub(super) rack_seed: u64,
    pub(super) server_spread: f64,
    /// The seed of the run totals' normal draws with the `normal` spread
    /// method; `None` for the exact per-server path.
    pub(super) run_sum_seed: Option<u64>,
    pub(super) rack_spread: f64,
}

impl ServersDraw<'_> {
    /// Wall power and PSU loss (W) of rack `r`'s servers in hour `h` at the
    /// fleet's utilization `u_fleet` (`sku_*_w`: each SKU's at `u_fleet`,
    /// used when there is no spread).
    #[inline]
    pub(super) fn rack(
        &self,
        r: usize,
        h: usize,
        u_fleet: f64,
        uniform: bool,
        sku_wall_w: &[f64],
        sku_loss_w: &[f64],
    ) -> (f64, f64) {
        let fleet = self.fleet;
        let (mut wall_w, mut loss_w) = (0.0, 0.0);
        let rack_u = u_fleet + self.rack_spread * spread(self.rack_seed, r as u64, h as u64);
        for &(k, first, end) in &fleet.runs[fleet.rack_runs[r]..fleet.rack_runs[r + 1]] {
            let n = (end - first) as f64;
            if uniform {
                wall_w += n * sku_wall_w[k];
                loss_w += n * sku_loss_w[k];
                continue;
            }
            let normal_seed = self
                .run_sum_seed
                .filter(|_| end - first >= NORMAL_MIN_RUN_SERVERS && !fleet.wall_spread.is_empty());
            if let Some(seed) = normal_seed {
                let (run_w, run_loss_w) = run_power_normal_w(
                    &fleet.wall_spread[k],
                    fleet.psu_loss_spread[k].as_ref(),
                    counter(seed, first as u64, h as u64),
                    n,
                    rack_u,
                );
                wall_w += run_w;
                loss_w += run_loss_w;
                continue;
            }
            let run_w;
            (run_w, loss_w) = run_power_w(
                &fleet.wall[k],
                fleet.psu_loss[k].as_ref(),
                self.server_seed,
                (first as u64, end as u64),
                h as u64,
                rack_u,
                self.server_spread,
                loss_w,
            );
            wall_w += run_w;
        }
        (wall_w, loss_w)
    }

    /// Every rack's servers' power in every hour of `utilization` (no replay).
    pub(super) fn year(&self, utilization: &[f64]) -> ServersPower {
        use rayon::prelude::*;
        let racks = self.fleet.racks();
        let uniform = self.server_spread == 0.0 && self.rack_spread == 0.0;
        let hours: Vec<(Vec<f64>, Vec<f64>)> = (0..HOURS_PER_YEAR)
            .into_par_iter()
            .map(|h| {
                let u_fleet = utilization[h];
                let sku_wall_w: Vec<f64> = self.fleet.wall.iter().map(|c| c.power_w(u_fleet)).collect();
                let sku_loss_w: Vec<f64> = self
                    .fleet
                    .psu_loss
                    .iter()
                    .map(|c| c.as_ref().map_or(0.0, |c| c.power_w(u_fleet)))
                    .collect();
                (0..racks).map(|r| self.rack(r, h, u_fleet, uniform, &sku_wall_w, &sku_loss_w)).unzip()
            })
            .collect();
        let has_psu = self.fleet.psu_loss.iter().any(Option::is_some);
        let mut wall_w = Vec::with_capacity(racks * HOURS_PER_YEAR);
        let mut loss_w = Vec::with_capacity(if has_psu { racks * HOURS_PER_YEAR } else { 0 });
        for (wall, loss) in hours {
            wall_w.extend(wall);
            if has_psu {
                loss_w.extend(loss);
            }
        }
        ServersPower { racks, wall_w, loss_w }
    }
}

/// The servers' wall power and PSU loss of every rack in every hour, hour
/// by hour: what a year's hours compute first, kept so that variants of a
/// scenario that do not change it (the power chain, the cooling plant, the
/// network's switches, prices; [`super::same_servers_power`]) skip it.
/// Read back, each value is the one the hour would compute, to the bit.
#[derive(Debug, Clone)]
pub struct ServersPower {
    racks: usize,
    wall_w: Vec<f64>,
    /// Empty when no SKU models its PSU (every loss is 0).
    loss_w: Vec<f64>,
}

impl ServersPower {
    #[inline]
    fn rack(&self, h: usize, r: usize) -> (f64, f64) {
        let i = h * self.racks + r;
        (self.wall_w[i], self.loss_w.get(i).copied().unwrap_or(0.0))
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        (self.wall_w.len() + self.loss_w.len()) * std::mem::size_of::<f64>()
    }
}

/// What one hour produced.
#[derive(Debug, Clone, Default)]
pub(super) struct Hour {
    pub(super) utilization: f64,
    pub(super) it_kw: f64,
    pub(super) psu_loss_kw: f64,
    pub(super) stage_output_kw: Vec<f64>,
    pub(super) stage_loss_kw: Vec<f64>,
    pub(super) stage_loading: Vec<f64>,
    /// Standard deviation of full racks' IT power (for the capacity margin).
    pub(super) rack_sd_kw: f64,
    pub(super) cooling: plenum_models::cooling::CoolingStep,
    /// The liquid plant's hour, when there is one.
    pub(super) liquid: Option<plenum_models::liquid_cooling::LiquidStep>,
    /// Water evaporated by towers and pads, L.
    pub(super) water_evaporation_l: f64,
    /// Water blown down, L.
    pub(super) water_blowdown_l: f64,
    pub(super) other_kw: f64,
    /// Power entering the top of the stages that do not feed the cooling
    /// plant (the UPS's input): the IT side's draw on the mechanical stages.
    pub(super) ups_in_kw: f64,
    pub(super) facility_kw: f64,
}

/// What every hour reads: the fleet, the design, the year's series, the
/// spread's seeds and widths, and the replay when there is one.
pub(super) struct Context<'a> {
    pub(super) fleet: &'a Fleet,
    pub(super) stages: &'a [PlacedStage],
    pub(super) plant: &'a CoolingPlant,
    pub(super) liquid: Option<&'a plenum_models::liquid_cooling::LiquidPlant>,
    pub(super) utilization: &'a [f64],
    pub(super) dry_bulb_c: &'a [f64],
    pub(super) wet_bulb_c: &'a [f64],
    pub(super) dew_point_c: &'a [f64],
    /// How the servers of a rack draw power in an hour.
    pub(super) servers: ServersDraw<'a>,
    /// The servers' power of every rack and hour, computed once for variants
    /// that share it ([`ServersPower`]).
    pub(super) servers_power: Option<&'a ServersPower>,
    pub(super) other_kw: f64,
    /// Servers' IT power from a replay, shared by racks in proportion to their nameplate.
    pub(super) replay: Option<&'a ReplayHourly>,
    /// Each rack's share of the fleet's server nameplate.
    pub(super) rack_share: Vec<f64>,
}

impl Context<'_> {
    /// Simulate hours `range`, returning their records and the peak IT power of
    /// every rack and PDU over them, and per-stage per-instance peak loads.
    pub(super) fn run(
        &self,
        range: std::ops::Range<usize>,
    ) -> (Vec<Hour>, Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let fleet = self.fleet;
        let racks = fleet.racks();
        let mut rack_peak = vec![0.0f64; racks];
        let mut pdu_peak = vec![0.0f64; fleet.pdus()];
        let mut stage_peak: Vec<Vec<f64>> = self.stages.iter().map(|s| vec![0.0; s.instances]).collect();
        let mut hours = Vec::with_capacity(range.len());
        let rack_stages: Vec<usize> =
            (0..self.stages.len()).rev().filter(|&i| self.stages[i].level == Level::Rack).collect();
        let pdu_stages: Vec<usize> =
            (0..self.stages.len()).rev().filter(|&i| self.stages[i].level == Level::Pdu).collect();
        let site_it_stages: Vec<usize> = (0..self.stages.len())
            .rev()
            .filter(|&i| self.stages[i].level == Level::Site && !self.stages[i].feeds_mechanical)
            .collect();
        let mechanical_stages = self.mechanical_stages();
        let uniform = self.servers.server_spread == 0.0 && self.servers.rack_spread == 0.0;
        // Each rack's IT power this hour, what enters its rack-level stages,
        // each PDU's IT power and what enters its stages (reused hour to hour).
        let mut rack_kw = vec![0.0f64; racks];
        let mut rack_in = vec![0.0f64; racks];
        let mut pdu_it_kw = vec![0.0f64; fleet.pdus()];
        let mut pdu_in = vec![0.0f64; fleet.pdus()];
        // Servers fill racks in order (`build_fleet`), so only the last rack
        // can hold fewer than the first.
        let per_rack = fleet.rack_start.get(1).copied().unwrap_or(0);
        let last_is_short = racks > 0 && fleet.rack_start[racks] - fleet.rack_start[racks - 1] != per_rack;
        let full_racks = racks - usize::from(last_is_short);
        for h in range {
            let u_fleet = self.replay.map_or(self.utilization[h], |r| r.utilization[h]);
            let mut hour = Hour {
                utilization: u_fleet,
                stage_output_kw: vec![0.0; self.stages.len()],
                stage_loss_kw: vec![0.0; self.stages.len()],
                stage_loading: vec![0.0; self.stages.len()],
                ..Hour::default()
            };
            // Per-SKU power at the fleet's utilization, for the no-spread fast path.
            let sku_wall_w: Vec<f64> = fleet.wall.iter().map(|c| c.power_w(u_fleet)).collect();
            let sku_loss_w: Vec<f64> =
                fleet.psu_loss.iter().map(|c| c.as_ref().map_or(0.0, |c| c.power_w(u_fleet))).collect();
            let mut it_servers_w = 0.0;
            let mut psu_w = 0.0;
            for (r, rack_it_kw) in rack_kw.iter_mut().enumerate() {
                let (wall_w, loss_w) = match (self.replay, self.servers_power) {
                    (Some(replay), _) => (replay.it_kw[h] * W_PER_KW * self.rack_share[r], 0.0),
                    (None, Some(computed)) => computed.rack(h, r),
                    (None, None) => self.servers.rack(r, h, u_fleet, uniform, &sku_wall_w, &sku_loss_w),
                };
                it_servers_w += wall_w;
                psu_w += loss_w;
                *rack_it_kw = wall_w / W_PER_KW + fleet.tor_kw;
            }
            // Sums in rack order, each as it always was, so results keep every bit.
            pdu_it_kw.fill(0.0);
            for (pdu_kw, racks_kw) in pdu_it_kw.iter_mut().zip(rack_kw.chunks(fleet.racks_per_pdu)) {
                for &kw in racks_kw {
                    *pdu_kw += kw;
                }
            }
            for (peak, &kw) in rack_peak.iter_mut().zip(&rack_kw) {
                *peak = peak.max(kw);
            }
            // Full racks' IT power: count, sum, sum of squares (a sample standard deviation).
            let (mut n, mut sum, mut sum_sq) = (0.0f64, 0.0f64, 0.0f64);
            for &kw in &rack_kw[..full_racks] {
                (n, sum, sum_sq) = (n + 1.0, sum + kw, sum_sq + kw * kw);
            }
            hour.rack_sd_kw =
                if n > 1.0 { ((sum_sq - sum * sum / n) / (n - 1.0)).max(0.0).sqrt() } else { 0.0 };
            rack_in.copy_from_slice(&rack_kw);
            push_up_each(self.stages, &rack_stages, &mut rack_in, &mut hour, &mut stage_peak);
            for ((peak, &kw), (p_in, racks_in)) in pdu_peak
                .iter_mut()
                .zip(&pdu_it_kw)
                .zip(pdu_in.iter_mut().zip(rack_in.chunks(fleet.racks_per_pdu)))
            {
                *peak = peak.max(kw);
                *p_in = racks_in.iter().sum();
            }
            push_up_each(self.stages, &pdu_stages, &mut pdu_in, &mut hour, &mut stage_peak);
            let mut site_load = fleet.site_network_kw;
            for &kw in &pdu_in {
                site_load += kw;
            }
            hour.it_kw = it_servers_w / W_PER_KW + fleet.tor_kw * racks as f64 + fleet.site_network_kw;
            hour.psu_loss_kw = psu_w / W_PER_KW;
            hour.ups_in_kw = push_up(self.stages, &site_it_stages, site_load, &mut hour, &mut stage_peak);
            self.mechanical(h, &mechanical_stages, &mut hour, &mut stage_peak);
            hours.push(hour);
        }
        (hours, rack_peak, pdu_peak, stage_peak)
    }

    /// The stages that feed the cooling plant, bottom-up, as
    /// [`Context::mechanical`] takes them.
    pub(super) fn mechanical_stages(&self) -> Vec<usize> {
        (0..self.stages.len()).rev().filter(|&i| self.stages[i].feeds_mechanical).collect()
    }

    /// Hour `h`'s cooling, other loads and mechanical stages, once its IT
    /// side (everything up to `hour.ups_in_kw`) is known: the heat is IT
    /// power plus the indoor stages' losses.
    pub(super) fn mechanical(
        &self,
        h: usize,
        mechanical_stages: &[usize],
        hour: &mut Hour,
        stage_peak: &mut [Vec<f64>],
    ) {
        let indoor_losses: f64 = (0..self.stages.len())
            .filter(|&i| !self.stages[i].feeds_mechanical)
            .map(|i| hour.stage_loss_kw[i])
            .sum();
        let heat_kw = hour.it_kw + indoor_losses;
        let outdoor = (self.dry_bulb_c[h], self.wet_bulb_c[h], self.dew_point_c[h]);
        let cooled = super::liquid::cool(self.plant, self.liquid, hour.it_kw, heat_kw, outdoor);
        (hour.cooling, hour.liquid) = (cooled.cooling, cooled.liquid);
        (hour.water_evaporation_l, hour.water_blowdown_l) = (cooled.evaporation_l, cooled.blowdown_l);
        hour.other_kw = self.other_kw;
        let load = hour.ups_in_kw + hour.cooling_kw() + hour.other_kw;
        hour.facility_kw = push_up(self.stages, mechanical_stages, load, hour, stage_peak);
    }
}

/// Push `load` up through the site-level stages `indices` (bottom-up, one
/// instance), recording each stage's output, loss, loading and peak; returns
/// the power entering the top one.
fn push_up(
    stages: &[PlacedStage],
    indices: &[usize],
    load: f64,
    hour: &mut Hour,
    stage_peak: &mut [Vec<f64>],
) -> f64 {
    let mut loads = [load];
    push_up_each(stages, indices, &mut loads, hour, stage_peak);
    loads[0]
}

/// Push every instance of one level up through the stages `indices`
/// (bottom-up) at once: `loads[k]` is what instance `k` carries into the
/// lowest stage, and becomes what enters the highest; each stage records its
/// output, loss, loading and per-instance peak. Stage by stage over the
/// instances: each stage's sums take the instances in order, and its loading
/// is the largest load's (a positive rating divides monotonically), so the
/// results are those of pushing the instances one by one, to the bit, for a
/// fraction of the work (the stage's constants stay in registers).
fn push_up_each(
    stages: &[PlacedStage],
    indices: &[usize],
    loads: &mut [f64],
    hour: &mut Hour,
    stage_peak: &mut [Vec<f64>],
) {
    if loads.is_empty() {
        return;
    }
    for &i in indices {
        let s = &stages[i].stage;
        let peaks = &mut stage_peak[i][..loads.len()];
        let (mut output_kw, mut loss_kw, mut largest_kw) =
            (hour.stage_output_kw[i], hour.stage_loss_kw[i], 0.0f64);
        for (load, peak) in loads.iter_mut().zip(peaks) {
            let loss = s.loss_kw(*load);
            output_kw += *load;
            loss_kw += loss;
            largest_kw = largest_kw.max(*load);
            *peak = peak.max(*load);
            *load += loss;
        }
        hour.stage_output_kw[i] = output_kw;
        hour.stage_loss_kw[i] = loss_kw;
        hour.stage_loading[i] = hour.stage_loading[i].max(s.loading(largest_kw));
    }
}

impl Hour {
    /// Power of the air plant and the liquid plant together.
    pub(super) fn cooling_kw(&self) -> f64 {
        match &self.liquid {
            None => self.cooling.total_kw(),
            Some(l) => self.cooling.total_kw() + l.total_kw(),
        }
    }
}

/// An hour's PUE: facility over IT power, undefined (not infinite) when the
/// IT load is zero (servers that draw nothing idle, no network, no load).
pub(super) fn hourly_pue(h: &Hour) -> Option<f64> {
    (h.it_kw > 0.0).then(|| h.facility_kw / h.it_kw)
}
