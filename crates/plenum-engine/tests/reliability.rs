//! The reliability engine against what it must reproduce: closed-form
//! steady-state availability, the ranking of the Uptime tiers, Dean's
//! cluster-year event counts, identical results on any number of threads,
//! deterministic early stopping, and the fail-in-place comparison.

use plenum_engine::reliability::{MonteCarlo, monte_carlo};
use plenum_models::reliability::analytic;
use plenum_models::reliability::stats::Accumulator;
use plenum_models::reliability::{
    ComponentClass, Diagram, DiagramBuilder, FailureMode, Lifetime, MonteCarloSettings, Repair, build_site,
};
use plenum_scenario::Scenario;
use std::path::Path;

const MTBF_H: f64 = 500.0;
const MTTR_H: f64 = 50.0;

fn exponential_class(name: &str, count: u32) -> ComponentClass {
    ComponentClass {
        name: name.into(),
        count,
        modes: vec![FailureMode {
            name: "failure".into(),
            time_to_failure: Lifetime::exponential(MTBF_H).unwrap(),
            repair: Repair::Restore(Lifetime::exponential(MTTR_H).unwrap()),
        }],
        maintenance: None,
        standby: None,
    }
}

/// 1,000 replications of 5 years: the start-up transient (all units new,
/// time constant MTTR·MTBF/(MTBF+MTTR) ≈ 45 h) biases unavailability by
/// about 0.1% of itself, well inside the interval.
fn settings() -> MonteCarloSettings {
    MonteCarloSettings {
        replications: 1000,
        batch_replications: 100,
        years_per_replication: 5.0,
        target_relative_ci95: None,
        logged_replications: 0,
    }
}

fn check_against(name: &str, diagram: &Diagram, exact_availability: f64) {
    let mc = monte_carlo(diagram, 17, &settings());
    let e = mc.availability;
    assert!(
        e.contains(exact_availability),
        "{name}: Monte Carlo {:.5} [{:.5}, {:.5}] vs analytic {exact_availability:.5}",
        e.mean,
        e.ci95_low,
        e.ci95_high
    );
    // The interval is informative, not a free pass: narrower than 10% of the unavailability.
    assert!(e.half_width() < 0.1 * (1.0 - exact_availability), "{name}: interval too wide {e:?}");
}

#[test]
fn monte_carlo_agrees_with_steady_state_for_series_parallel_k_of_n_and_2n() {
    let a = analytic::availability(MTBF_H, MTTR_H);

    let mut b = DiagramBuilder::new();
    let units = b.class(exponential_class("unit", 3));
    let root = b.series("series", units);
    check_against("series of 3", &b.build(root, None).unwrap(), analytic::series(&[a, a, a]));

    let mut b = DiagramBuilder::new();
    let units = b.class(exponential_class("unit", 2));
    let root = b.parallel("parallel", units);
    check_against("parallel of 2", &b.build(root, None).unwrap(), analytic::parallel(&[a, a]));

    let mut b = DiagramBuilder::new();
    let units = b.class(exponential_class("unit", 4));
    let root = b.group("2-of-4", 2, units);
    check_against("2-of-4", &b.build(root, None).unwrap(), analytic::k_of_n_identical(2, 4, a));

    // 2N: two independent chains (UPS module + PDU), either enough.
    let mut b = DiagramBuilder::new();
    let ups = b.class(exponential_class("ups", 2));
    let pdu = b.class(exponential_class("pdu", 2));
    let side_a = b.series("side-a", vec![ups[0], pdu[0]]);
    let side_b = b.series("side-b", vec![ups[1], pdu[1]]);
    let root = b.parallel("2n", vec![side_a, side_b]);
    let chain = analytic::series(&[a, a]);
    check_against("2N", &b.build(root, None).unwrap(), analytic::parallel(&[chain, chain]));
}

fn fixture() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tier-site.toml");
    std::fs::read_to_string(path).unwrap()
}

fn study(text: &str, overrides: &[&str]) -> (Diagram, u64, MonteCarloSettings) {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let s = Scenario::load("fixture", text, &overrides).unwrap_or_else(|e| panic!("{e}"));
    let r = s.reliability.expect("the fixture has [reliability]");
    (build_site(&r.site).unwrap(), s.seed, r.settings)
}

fn run_tier(tier: &str) -> MonteCarlo {
    let (d, seed, settings) = study(&fixture(), &[&format!("reliability.tier={tier}")]);
    monte_carlo(&d, seed, &settings)
}

/// Each tier is more available than the one below, in mean and pairwise: the
/// tiers share the seed, so classes they have in common draw the same
/// failures (common random numbers), and the per-replication difference in
/// downtime must have a 95% interval above zero.
#[test]
fn tiers_rank_one_to_four_in_availability() {
    let runs: Vec<MonteCarlo> = ["I", "II", "III", "IV"].iter().map(|t| run_tier(t)).collect();
    for pair in runs.windows(2) {
        let (lower, higher) = (&pair[0], &pair[1]);
        assert!(
            lower.availability.mean < higher.availability.mean,
            "{} vs {}",
            lower.availability.mean,
            higher.availability.mean
        );
        let mut diff = Accumulator::default();
        for (l, h) in lower.downtime_by_replication.iter().zip(&higher.downtime_by_replication) {
            diff.push(l - h);
        }
        let d = diff.estimate();
        assert!(d.ci95_low > 0.0, "downtime difference {d:?}");
    }
    // Tier I with single units and maintenance outages: far below Tier II.
    assert!(runs[0].downtime_hours_per_year.mean > 3.0 * runs[1].downtime_hours_per_year.mean);
}

/// Per-replication downtime of `lower` minus `higher` (same seed: common
/// random numbers), as a mean with its 95% interval.
fn paired_difference(lower: &MonteCarlo, higher: &MonteCarlo) -> plenum_models::reliability::stats::Estimate {
    let mut diff = Accumulator::default();
    for (l, h) in lower.downtime_by_replication.iter().zip(&higher.downtime_by_replication) {
        diff.push(l - h);
    }
    diff.estimate()
}

fn run_tier_with(tier: &str, overrides: &[&str]) -> MonteCarlo {
    let tier = format!("reliability.tier={tier}");
    let all: Vec<&str> = std::iter::once(tier.as_str()).chain(overrides.iter().copied()).collect();
    let (d, seed, settings) = study(&fixture(), &all);
    monte_carlo(&d, seed, &settings)
}

/// Issue 13: Tier IV's fault tolerance must show up. Only the PDUs fail here
/// (every other unit practically never does): Tier III runs on its active
/// path, so each failure of path A's PDU drops the racks until repaired (about
/// one a year of 8 h); Tier IV's racks keep path B. This test fails if III and
/// IV coincide.
#[test]
fn tier_four_survives_a_failure_on_a_path_that_drops_tier_three() {
    let solid = [
        "reliability.components.ups.mtbf_hours=1e12",
        "reliability.components.cooling.mtbf_hours=1e12",
        "reliability.components.generator.mttr_hours=0.001",
        "reliability.site.generator_fail_to_start_probability=0",
        "reliability.replications=400",
    ];
    let three = run_tier_with("III", &solid);
    let four = run_tier_with("IV", &solid);
    let d = paired_difference(&three, &four);
    assert!(d.ci95_low > 0.0, "Tier III − Tier IV downtime {d:?}");
    // One PDU A failure a year (MTBF 8,760 h) of 8 h: about 8 h a year for Tier III.
    let t3 = three.downtime_hours_per_year.mean;
    assert!(t3 > 5.0 && t3 < 11.0, "Tier III {t3} h a year");
    // Tier IV loses a rack only when both of its PDUs are out at once.
    assert!(four.downtime_hours_per_year.mean < 0.1 * t3, "Tier IV {:?}", four.downtime_hours_per_year);
    // Tier III's maintenance of PDU A costs nothing: the alternate path carries the racks.
    let tier_two = run_tier_with("II", &solid);
    assert!(
        tier_two.downtime_hours_per_year.mean > t3 + 10.0,
        "Tier II {:?}",
        tier_two.downtime_hours_per_year
    );
}

/// Issue 13: a fault during maintenance. Only the UPS modules fail and are
/// maintained here: Tier III's one N+1 UPS system is down to N while a module
/// is out for maintenance, and another module failing then drops the site;
/// Tier IV's second system carries it. Fails if III and IV coincide.
#[test]
fn tier_four_survives_a_fault_during_maintenance_that_drops_tier_three() {
    let only_ups = [
        "reliability.components.pdu.mtbf_hours=1e12",
        "reliability.components.cooling.mtbf_hours=1e12",
        "reliability.components.generator.mttr_hours=0.001",
        "reliability.site.generator_fail_to_start_probability=0",
        "reliability.replications=400",
    ];
    let three = run_tier_with("III", &only_ups);
    let four = run_tier_with("IV", &only_ups);
    let d = paired_difference(&three, &four);
    assert!(d.ci95_low > 0.0, "Tier III − Tier IV downtime {d:?}");
    assert!(
        four.outages_per_year.mean < 0.2 * three.outages_per_year.mean,
        "IV {:?} {:?} vs III {:?} {:?}",
        four.outages_per_year,
        four.downtime_hours_per_year,
        three.outages_per_year,
        three.downtime_hours_per_year
    );
    // Tier III's outages come from the UPS: with no UPS maintenance, fewer of them.
    let no_windows =
        [only_ups.as_slice(), &["reliability.components.ups.maintenance_duration_hours=0.001"]].concat();
    let three_unmaintained = run_tier_with("III", &no_windows);
    assert!(
        three_unmaintained.downtime_hours_per_year.mean < three.downtime_hours_per_year.mean,
        "maintenance windows expose Tier III: {:?} vs {:?}",
        three_unmaintained.downtime_hours_per_year,
        three.downtime_hours_per_year
    );
}

fn digest(text: &str) -> u64 {
    // FNV-1a, fixed across platforms and releases.
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3))
}

fn results_digest(scenario: &Scenario) -> u64 {
    let r = plenum_engine::run(scenario, &plenum_engine::Inputs::default()).unwrap();
    let json = serde_json::to_string(&r.summary()).unwrap();
    let tables = format!("{:?}", r.tables);
    digest(&json) ^ digest(&tables).rotate_left(1)
}

#[test]
fn same_seed_same_digest_on_one_thread_or_four() {
    let text = fixture();
    let overrides: Vec<String> =
        ["reliability.tier=III", "reliability.replications=300", "reliability.batch_replications=64"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let s = Scenario::load("fixture", &text, &overrides).unwrap();
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| results_digest(&s))
    };
    let one = on(1);
    assert_eq!(one, on(4));
    assert_eq!(one, on(3));
    // And the digest sees the results: another seed changes it.
    let other =
        Scenario::load("fixture", &text, &[overrides.clone(), vec!["scenario.seed=43".into()]].concat())
            .unwrap();
    assert_ne!(one, results_digest(&other));
}

#[test]
fn early_stop_is_checked_only_between_batches() {
    let (d, seed, mut settings) = study(&fixture(), &["reliability.tier=II"]);
    settings.replications = 2_000;
    settings.batch_replications = 100;
    settings.target_relative_ci95 = Some(0.05);
    let mc = monte_carlo(&d, seed, &settings);
    assert!(mc.stopped_early);
    assert_eq!(mc.replications % 100, 0);
    assert!(mc.replications < 2_000);
    let e = mc.downtime_hours_per_year;
    assert!(e.half_width() <= 0.05 * e.mean, "{e:?}");
    // One batch fewer would not have met the target (else it would have stopped there).
    let mut fewer = settings;
    fewer.replications = mc.replications - 100;
    fewer.target_relative_ci95 = None;
    let before = monte_carlo(&d, seed, &fewer).downtime_hours_per_year;
    assert!(before.half_width() > 0.05 * before.mean, "{before:?}");
}

/// Case DEAN: the mean yearly counts over 1,000 simulated years are within 5%
/// of Dean's figures, or, for events so rare that 1,000 years cannot pin
/// their mean to 5% (overheating at 0.5 a year has a Poisson standard error of
/// 4.5%), within the 95% sampling band √(count/1000)·1.96 of them.
#[test]
fn dean_cluster_year_reproduces_the_event_counts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/dean-cluster-year.toml");
    let s = Scenario::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
    let r = s.reliability.as_ref().unwrap();
    assert_eq!(r.settings.replications as f64 * r.settings.years_per_replication, 1_000.0);
    let summary = plenum_engine::run(&s, &plenum_engine::Inputs::default()).unwrap().reliability.unwrap();
    // Dean's counts and their tolerances are in crates/plenum-references.
    let events: [(&str, &str, &str, Option<&str>); 9] = [
        ("overheating (cooling failures)", "cooling", "failure", Some("overheating")),
        ("PDU failures", "pdu", "failure", Some("failure")),
        ("PDU maintenance (rack moves)", "pdu", "maintenance_start", None),
        ("rack failures", "rack", "failure", Some("failure")),
        ("racks going wonky", "tor", "failure", Some("wonky")),
        ("network maintenances", "router", "maintenance_start", None),
        ("router reloads", "router", "failure", Some("reload")),
        ("router failures", "router", "failure", Some("failure")),
        ("machine failures", "server", "failure", Some("failure")),
    ];
    let rates: Vec<(&str, f64)> = events
        .iter()
        .map(|&(figure, component, kind, mode)| {
            let rate = summary
                .events_per_year
                .iter()
                .find(|e| e.component == component && e.kind == kind && e.mode.as_deref() == mode)
                .unwrap_or_else(|| panic!("no rate for {component} {kind} {mode:?}"));
            (figure, rate.per_year)
        })
        .collect();
    plenum_references::case("dean").check(&rates);
    // The overheating takes the room once the 5 minutes of thermal ride-through
    // are gone: every cooling failure but those repaired within 5 minutes
    // (e^(−(5/60)/36) ≈ 99.8% of repairs take longer).
    let room = summary.events_per_year.iter().find(|e| e.component == "room").unwrap();
    let cooling = summary.events_per_year.iter().find(|e| e.component == "cooling").unwrap();
    assert!(
        room.per_year <= cooling.per_year && room.per_year >= 0.99 * cooling.per_year,
        "{room:?} {cooling:?}"
    );
}

#[test]
fn the_event_log_has_units_in_its_column_names_and_one_replication() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/dean-cluster-year.toml");
    let s = Scenario::from_path_with(&path, &["reliability.replications=20".into()]).unwrap();
    let r = plenum_engine::run(&s, &plenum_engine::Inputs::default()).unwrap();
    let t = r.tables.iter().find(|t| t.name == "reliability_events").expect("event table");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "replication",
            "time_h",
            "component",
            "component_kind",
            "kind",
            "mode",
            "site_up",
            "serving_servers"
        ]
    );
    assert!(t.rows() > 1_000, "a cluster year has about 2,000 failures and repairs");
    let Some(plenum_engine::ColumnValues::F64(times)) = t.column("time_h").map(|c| &c.values) else {
        panic!("time_h is f64")
    };
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "one replication, in time order");
    assert!(times.iter().all(|&h| (0.0..=8_760.0).contains(&h)));
}

#[test]
fn fail_in_place_reports_a_decaying_capacity_curve_and_its_cost() {
    let text = format!(
        "{}\n[reliability.components.server]\nmtbf_hours = 15744\nmttr_hours = 24\n\n\
         [reliability.fail_in_place]\nservers_per_module = 100\nreplace_below_fraction = 0.85\n\
         replacement_lead_hours = 720\nrepair_cost_usd = 150\n",
        fixture()
    );
    let overrides: Vec<String> =
        ["reliability.tier=IV", "reliability.years_per_replication=3", "reliability.replications=60"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let s = Scenario::load("fip", &text, &overrides).unwrap_or_else(|e| panic!("{e}"));
    let results = plenum_engine::run(&s, &plenum_engine::Inputs::default()).unwrap();
    let f = results.reliability.as_ref().unwrap().fail_in_place.clone().expect("fail-in-place summary");
    let curve = &f.capacity_curve_by_month;
    assert_eq!(curve.len(), 36);
    // Servers fail at 0.555 a year: a module of 100 loses 15 in about 3.2
    // months, then waits a month for its replacement, so capacity decays from
    // full and then saw-tooths between about 85% and 100%.
    assert!(
        curve[0] > 0.95 && curve[0] > curve[1] && curve[1] > curve[2] && curve[2] > curve[3],
        "{curve:?}"
    );
    assert!(curve.iter().all(|&c| c > 0.8 && c <= 1.0), "{curve:?}");
    assert!(f.module_replacements_per_year > 2.0 && f.module_replacements_per_year < 8.0, "{f:?}");
    assert!(f.repairs_per_year > 0.5 * 200.0 && f.repairs_per_year < 0.6 * 200.0, "{}", f.repairs_per_year);
    assert!(f.capacity_hours_lost_per_year > f.repair_capacity_hours_lost_per_year);
    let price = s.servers[0].price_usd;
    let expected =
        f.module_replacements_per_year * 100.0 * price + f.capacity_hours_lost_per_year * f.server_hour_usd;
    assert!((f.fail_in_place_cost_usd_per_year - expected).abs() < 1e-6 * expected);
    assert!(results.tables.iter().any(|t| t.name == "reliability_capacity"));
}

#[test]
fn scenarios_without_reliability_are_unchanged() {
    let r = plenum_engine::run(&Scenario::embedded_default(), &plenum_engine::Inputs::default()).unwrap();
    assert!(r.reliability.is_none());
    let json = r.summary().to_value();
    assert!(json.get("reliability").is_none());
}

fn one_unit(mtbf_h: f64, mttr_h: f64) -> Diagram {
    let mut b = DiagramBuilder::new();
    let mut class = exponential_class("unit", 1);
    class.modes[0].time_to_failure = Lifetime::exponential(mtbf_h).unwrap();
    class.modes[0].repair = Repair::Restore(Lifetime::exponential(mttr_h).unwrap());
    let leaves = b.class(class);
    b.build(leaves[0], None).unwrap()
}

fn few(replications: u64) -> MonteCarloSettings {
    MonteCarloSettings {
        replications,
        batch_replications: replications,
        years_per_replication: 1.0,
        target_relative_ci95: None,
        logged_replications: 0,
    }
}

/// Issue 13: with outages rare, Student's t gave availability intervals above
/// 1 and downtime intervals below 0. Every interval must stay possible.
#[test]
fn intervals_stay_possible_when_outages_are_rare() {
    // About 0.44 failures a year of 10 h: a few outages in 5 to 20 years.
    let d = one_unit(20_000.0, 10.0);
    for (seed, replications) in [(1, 5), (2, 8), (3, 12), (4, 20), (5, 3)] {
        let mc = monte_carlo(&d, seed, &few(replications));
        let checks = [
            ("availability", mc.availability, 0.0, 1.0),
            ("downtime", mc.downtime_hours_per_year, 0.0, 8_760.0),
            ("outages", mc.outages_per_year, 0.0, f64::INFINITY),
            ("outage length", mc.outage_length, 0.0, f64::INFINITY),
        ];
        for (name, e, low, high) in checks {
            assert!(
                e.ci95_low >= low && e.ci95_high <= high && e.ci95_low <= e.mean && e.mean <= e.ci95_high,
                "seed {seed}, {replications} replications, {name}: {e:?}"
            );
        }
        for rate in &mc.events_per_year {
            assert!(rate.per_year_ci95[0] >= 0.0, "{rate:?}");
        }
    }
}

/// Issue 13: a study with no outage reported a zero-width interval (availability
/// exactly 1, downtime exactly 0). It must give an upper bound instead: the
/// exact Poisson bound of 3.689 outages over the simulated years, and a
/// downtime bound from the share of replications that could have had some.
#[test]
fn no_outage_gives_an_upper_bound_not_a_point() {
    let d = one_unit(1e12, 1.0);
    let mc = monte_carlo(&d, 7, &few(200));
    assert_eq!(mc.outage_lengths_sorted.len(), 0);
    assert_eq!(mc.availability.mean, 1.0);
    assert!(mc.availability.ci95_low < 1.0 && mc.availability.ci95_high == 1.0, "{:?}", mc.availability);
    assert!((mc.outages_per_year.ci95_high - 3.689 / 200.0).abs() < 1e-5, "{:?}", mc.outages_per_year);
    assert_eq!(mc.outages_per_year.ci95_low, 0.0);
    let downtime = mc.downtime_hours_per_year;
    assert!(downtime.ci95_low == 0.0 && downtime.ci95_high > 0.0, "{downtime:?}");
    // Availability and downtime tell the same story.
    assert!((1.0 - mc.availability.ci95_low - downtime.ci95_high / 8_760.0).abs() < 1e-12);
    // The failure rate of the unit, never seen, is bounded the same way.
    let failures = &mc.events_per_year[0];
    assert!(failures.per_year_ci95[1] > 0.0, "{failures:?}");
}
