//! The API end to end over 127.0.0.1: validation with the CLI's diagnostics,
//! a run's life (events, result, report, history, rerun, compare, delete),
//! the queue's limit, cancellation, sweeps, and that the OpenAPI document's
//! routes are the ones served.

mod common;

use common::{TestServer, shipped};
use serde_json::json;

#[test]
fn validation_gives_the_diagnostics_of_plenum_validate() {
    let server = TestServer::start(|_, _| {});
    let ok = server.post("/api/validate", &json!({"scenario": shipped("default")}));
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["name"], "ashburn-8mw");

    let text = shipped("default").replace("price_usd_per_kwh", "price_usd_per_kwhh");
    let bad = server.post("/api/validate", &json!({"scenario": text}));
    assert_eq!(bad.status, 422, "{}", bad.text());
    let body = bad.json();
    let expected = plenum_scenario::Scenario::load("scenario.toml", &text, &[]).unwrap_err();
    assert_eq!(body["error"], expected.to_string(), "the same text as `plenum validate`");
    let d = &body["diagnostics"][0];
    let line = text.lines().position(|l| l.contains("price_usd_per_kwhh")).unwrap() + 1;
    assert_eq!(d["line"], line);
    assert!(d["help"].as_str().unwrap().contains("price_usd_per_kwh"), "did you mean: {d}");

    // An override is named as such.
    let bad =
        server.post("/api/validate", &json!({"scenario": shipped("default"), "set": ["energy.pue=-1"]}));
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert!(
        bad.json()["diagnostics"][0]["override"].as_str().unwrap().contains("energy.pue=-1"),
        "{}",
        bad.text()
    );

    // The schema is the CLI's.
    let schema = server.get("/api/schema");
    assert_eq!(schema.json(), *plenum_scenario::json_schema());
}

#[test]
fn a_run_is_recorded_reported_rerun_identically_compared_and_deleted() {
    let server = TestServer::start(|_, _| {});
    let (a, last) = server.run(shipped("default"), &[]);
    assert_eq!(last["status"], "done", "{last}");
    let run = server.get(&format!("/api/runs/{a}")).json();
    assert_eq!(run["status"], "done");
    assert_eq!(run["scenario_text"], shipped("default"));
    assert_eq!(run["seed"], 1);
    let pue = run["summary"]["pue"]["annual"].as_f64().unwrap();
    assert!(pue > 1.0 && pue < 2.0, "{pue}");
    // The stored summary is the one plenum-run computes for the same scenario.
    let scenario = plenum_scenario::Scenario::load("scenario.toml", shipped("default"), &[]).unwrap();
    let direct = plenum_run::run(&scenario).unwrap().summary().to_value();
    assert_eq!(run["summary"]["cost"], direct["cost"]);
    assert_eq!(run["summary"]["pue"], direct["pue"]);

    let report = server.get(&format!("/api/runs/{a}/report"));
    assert_eq!(report.status, 200);
    assert!(report.header("content-type").unwrap().starts_with("text/html"));
    assert!(report.header("content-security-policy").unwrap().contains("frame-ancestors 'self'"));
    assert!(report.text().contains("ashburn-8mw"));
    assert!(server.runs_dir().join(format!("run-{a}/summary.json")).is_file());

    // Rerun: the same scenario, the same seed, the same figures.
    let rerun = server.post(&format!("/api/runs/{a}/rerun"), &json!({}));
    assert_eq!(rerun.status, 202, "{}", rerun.text());
    let b = rerun.json()["id"].as_i64().unwrap();
    assert_eq!(server.wait(b)["status"], "done");
    let second = server.get(&format!("/api/runs/{b}")).json();
    assert_eq!(second["summary"], run["summary"], "bit-identical on rerun");

    // A second design: another climate.
    let (c, last) = server.run(shipped("default"), &["site.climate=phoenix"]);
    assert_eq!(last["status"], "done", "{last}");
    let compared = server.get(&format!("/api/compare?a={a}&b={c}"));
    assert_eq!(compared.status, 200, "{}", compared.text());
    let body = compared.json();
    assert!(body["inputs"].as_array().unwrap().iter().any(|d| d["path"] == "site.climate"), "{body}");
    let pue_row =
        body["figures"].as_array().unwrap().iter().find(|f| f["key"] == "pue.annual").unwrap().clone();
    assert_eq!(pue_row["a"].as_f64().unwrap(), pue);
    assert_ne!(pue_row["b"], pue_row["a"]);
    let html = server.get(&format!("/api/compare/report?a={a}&b={c}"));
    assert_eq!(html.status, 200);
    // Both runs' year on the same axes, as `plenum report A B` draws it.
    assert!(html.text().contains("Over the year, A and B") && html.text().contains("Daily mean PUE"));

    // History lists all three, newest first, with their overrides.
    let list = server.get("/api/runs").json();
    let ids: Vec<i64> = list["runs"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![c, b, a]);
    assert_eq!(list["runs"][0]["set"], json!(["site.climate=phoenix"]));

    // Delete: the row and the folder go.
    assert_eq!(server.call("DELETE", &format!("/api/runs/{b}"), None).status, 204);
    assert_eq!(server.get(&format!("/api/runs/{b}")).status, 404);
    assert!(!server.runs_dir().join(format!("run-{b}")).exists());
    assert_eq!(server.get(&format!("/api/runs/{b}/report")).status, 404);
}

#[test]
fn at_most_workers_runs_compute_at_once_and_a_queued_run_can_be_cancelled() {
    let server = TestServer::start(|c, _| c.workers = 1);
    let text = shipped("ashburn-static");
    let ids: Vec<i64> = (0..4)
        .map(|_| {
            let r = server.post("/api/runs", &json!({"scenario": text}));
            assert_eq!(r.status, 202, "{}", r.text());
            r.json()["id"].as_i64().unwrap()
        })
        .collect();
    // The last is still queued behind the others (one worker): cancel it.
    let cancelled = server.post(&format!("/api/runs/{}/cancel", ids[3]), &json!({}));
    let outcomes: Vec<String> =
        ids.iter().map(|id| server.wait(*id)["status"].as_str().unwrap().to_string()).collect();
    assert_eq!(&outcomes[..3], ["done", "done", "done"]);
    if cancelled.status == 202 && outcomes[3] == "cancelled" {
        assert!(!server.runs_dir().join(format!("run-{}", ids[3])).exists());
        assert_eq!(server.get(&format!("/api/runs/{}/report", ids[3])).status, 409);
    } else if cancelled.status == 202 {
        // The cancel reached it while it ran, after its last check (a run is
        // cancelled only between units of work): it finished, whole.
        assert_eq!(outcomes[3], "done");
        assert_eq!(server.get(&format!("/api/runs/{}/report", ids[3])).status, 200);
    } else {
        // It had already finished (a fast machine): nothing to cancel.
        assert_eq!(cancelled.status, 409, "{}", cancelled.text());
    }
    let status = server.get("/api/status").json();
    assert_eq!(status["queue"]["peak_running"], 1, "{status}");
    assert_eq!(status["queue"]["running"], 0);
    // Cancelling a finished run is a conflict; an unknown one is not found.
    assert_eq!(server.post(&format!("/api/runs/{}/cancel", ids[0]), &json!({})).status, 409);
    assert_eq!(server.post("/api/runs/999/cancel", &json!({})).status, 404);
}

#[test]
fn a_two_by_two_sweep_gives_a_table_and_its_parquet() {
    let server = TestServer::start(|_, _| {});
    let r = server.post(
        "/api/sweeps",
        &json!({
            "scenario": shipped("default"),
            "vary": ["site.climate=ashburn,phoenix", "energy.price_usd_per_kwh=0.06,0.09"],
        }),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(server.wait(id)["status"], "done");
    let record = server.get(&format!("/api/runs/{id}")).json();
    assert_eq!(record["kind"], "sweep");
    let table = &record["summary"];
    assert_eq!(table["rows"].as_array().unwrap().len(), 4);
    let names: Vec<&str> =
        table["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"pue.annual") && names.contains(&"cost.per_server_month_usd"), "{names:?}");
    // Its page: plenum-report's chart of cost per server-month against PUE, and its rows.
    let page = server.get(&format!("/api/runs/{id}/report"));
    assert_eq!(page.status, 200, "{}", page.text());
    let page = page.text();
    assert!(page.contains("data-chart") && page.contains("Cost per server-month, USD"), "the chart");
    assert!(page.contains("phoenix") && page.contains("energy.price_usd_per_kwh"), "the rows");
    let parquet = server.get(&format!("/api/sweeps/{id}/parquet"));
    assert_eq!(parquet.status, 200);
    assert_eq!(&parquet.body[..4], b"PAR1");
    // A sweep is rerun with its grid.
    let again = server.post(&format!("/api/runs/{id}/rerun"), &json!({}));
    assert_eq!(again.status, 202);
    let again = again.json()["id"].as_i64().unwrap();
    assert_eq!(server.wait(again)["status"], "done");
    assert_eq!(server.get(&format!("/api/runs/{again}")).json()["summary"], *table);
    // A bad grid key is a located error before anything is queued.
    let bad =
        server.post("/api/sweeps", &json!({"scenario": shipped("default"), "vary": ["energy.prise=1,2"]}));
    assert!(bad.status == 422 || bad.status == 400, "{}", bad.text());
}

#[test]
fn every_documented_route_is_served() {
    let server = TestServer::start(|_, _| {});
    let document = server.get("/api/openapi.json").json();
    assert_eq!(document, plenum_serve::openapi::document());
    for (method, path) in plenum_serve::api::API_ROUTES {
        let path = path.replace("{id}", "1").replace("{name}", "default");
        let path = if path.starts_with("/api/compare") { format!("{path}?a=1&b=1") } else { path };
        let body = (*method == "post" || *method == "put").then(|| json!({}));
        let r = server.call(&method.to_uppercase(), &path, body.as_ref());
        assert_ne!(r.status, 405, "{method} {path}");
        let unknown_route = r.status == 404 && r.text().contains("no such API route");
        assert!(!unknown_route, "{method} {path}: {}", r.text());
    }
    let r = server.get("/api/nothing");
    assert_eq!(r.status, 404);
}

#[test]
fn a_running_run_cancelled_ends_cancelled_with_nothing_on_disk() {
    let server = TestServer::start(|_, _| {});
    // The simulated year of the default site runs long enough to be caught.
    let r = server.post("/api/runs", &json!({"scenario": shipped("default")}));
    assert_eq!(r.status, 202);
    let id = r.json()["id"].as_i64().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while server.get(&format!("/api/runs/{id}")).json()["status"] == "queued" {
        assert!(std::time::Instant::now() < deadline);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let cancel = server.post(&format!("/api/runs/{id}/cancel"), &json!({}));
    let last = server.wait(id);
    if cancel.status == 202 {
        assert_eq!(last["status"], "cancelled", "{last}");
        assert!(!server.runs_dir().join(format!("run-{id}")).exists());
        let entries = std::fs::read_dir(server.runs_dir()).unwrap().count();
        assert_eq!(entries, 0, "no staging folder is left");
        assert_eq!(server.get(&format!("/api/runs/{id}/report")).status, 409);
        assert_eq!(server.get(&format!("/api/runs/{id}")).json()["status"], "cancelled");
    } else {
        // It finished before the cancel arrived: then it is a conflict and the run is whole.
        assert_eq!(cancel.status, 409, "{}", cancel.text());
        assert_eq!(last["status"], "done");
    }
}

#[test]
fn the_form_view_writes_edits_into_the_same_text() {
    let server = TestServer::start(|_, _| {});
    let text = shipped("default");
    let read = server.post("/api/form", &json!({"scenario": text}));
    assert_eq!(read.status, 200, "{}", read.text());
    let fields = read.json()["fields"].as_array().unwrap().clone();
    let field =
        |path: &str| fields.iter().find(|f| f["path"] == path).unwrap_or_else(|| panic!("{path}")).clone();
    assert_eq!(field("site.climate")["value"], "ashburn");
    assert!(field("site.climate")["options"].as_array().unwrap().contains(&json!("phoenix")));
    assert_eq!(field("servers[0].count")["kind"], "integer");
    assert_eq!(read.json()["scenario"], text, "no edit, no change");

    let edited = server.post(
        "/api/form",
        &json!({"scenario": text, "edits": [
            {"path": "site.climate", "value": "phoenix"},
            {"path": "servers[0].count", "value": "40000"},
            {"path": "cooling.preset", "value": "legacy"},
        ]}),
    );
    assert_eq!(edited.status, 200, "{}", edited.text());
    let new_text = edited.json()["scenario"].as_str().unwrap().to_string();
    // Only those values changed (and the grid, which moves with the climate
    // as with --set): every comment and every other line is as it was.
    let changed: Vec<(&str, &str)> = text.lines().zip(new_text.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed.len(), 4, "{changed:?}");
    assert!(new_text.contains("grid = \"azps\""), "{changed:?}");
    assert!(changed.iter().all(|(a, b)| a.split('=').next() == b.split('=').next()), "{changed:?}");
    let comments = |t: &str| t.lines().filter(|l| l.trim_start().starts_with('#')).count();
    assert_eq!(comments(&new_text), comments(text));
    let scenario = plenum_scenario::Scenario::load("scenario.toml", &new_text, &[]).unwrap();
    let expected = plenum_scenario::Scenario::load(
        "scenario.toml",
        text,
        &["site.climate=phoenix".into(), "servers[0].count=40000".into(), "cooling.preset=legacy".into()],
    )
    .unwrap();
    assert_eq!(scenario.server_count(), expected.server_count());
    assert_eq!(
        format!("{:?}", scenario.physics),
        format!("{:?}", expected.physics),
        "the same as the --set overrides"
    );
    assert_eq!(server.post("/api/validate", &json!({"scenario": new_text})).status, 200);

    // A bad value names the field and changes nothing; text that is not TOML is a 422.
    let bad = server.post(
        "/api/form",
        &json!({"scenario": text, "edits": [{"path": "site.climate", "value": "atlantis"}]}),
    );
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(bad.json()["error"].as_str().unwrap().contains("site.climate"));
    let broken = server.post("/api/form", &json!({"scenario": "[site\nclimate = 1"}));
    assert_eq!(broken.status, 422, "{}", broken.text());
}

#[test]
fn saved_scenarios_can_be_deleted_and_shipped_ones_cannot() {
    let server = TestServer::start(|_, _| {});
    let names = |server: &TestServer| -> Vec<String> {
        server.get("/api/scenarios").json()["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["source"] == "saved")
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    let put = server.call("PUT", "/api/scenarios/mine", Some(&json!({"text": shipped("ashburn-static")})));
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(names(&server), ["mine"]);
    assert_eq!(server.call("DELETE", "/api/scenarios/mine", None).status, 204);
    assert!(names(&server).is_empty());
    assert_eq!(server.get("/api/scenarios/mine").status, 404);
    assert_eq!(server.call("DELETE", "/api/scenarios/mine", None).status, 404);
    let shipped_delete = server.call("DELETE", "/api/scenarios/default", None);
    assert_eq!(shipped_delete.status, 409, "{}", shipped_delete.text());
    assert_eq!(server.get("/api/scenarios/default").status, 200, "a shipped scenario stays");
}

#[test]
fn a_run_on_a_one_thread_pool_gives_the_figures_of_the_whole_machine() {
    // Each job computes in its own pool of `threads_per_run` threads; the
    // results do not depend on it: the same as plenum-run on the global pool.
    let server = TestServer::start(|c, _| {
        c.workers = 1;
        c.threads_per_run = Some(1);
    });
    assert_eq!(server.get("/api/status").json()["queue"]["threads_per_run"], 1);
    let (id, last) = server.run(shipped("default"), &[]);
    assert_eq!(last["status"], "done", "{last}");
    let run = server.get(&format!("/api/runs/{id}")).json();
    let scenario = plenum_scenario::Scenario::load("scenario.toml", shipped("default"), &[]).unwrap();
    let direct = plenum_run::run(&scenario).unwrap().summary();
    assert_eq!(run["summary"], direct.to_value(), "bit-identical on any thread count");

    // The headline figures are the report's, for the page's tiles.
    let headline = server.get(&format!("/api/runs/{id}/headline"));
    assert_eq!(headline.status, 200, "{}", headline.text());
    let figures = headline.json()["figures"].as_array().unwrap().clone();
    let expected = plenum_report::headline_figures(&direct);
    assert_eq!(figures.len(), expected.len());
    let pue = figures.iter().find(|f| f["key"] == "pue.annual").unwrap();
    let pue_expected = expected.iter().find(|f| f.key == "pue.annual").unwrap();
    assert_eq!(
        (pue["text"].as_str().unwrap(), pue["tile"].as_bool().unwrap()),
        (pue_expected.text().as_str(), true)
    );
}
