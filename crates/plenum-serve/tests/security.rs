//! What a server exposed on a network must refuse, each with a clear 4xx and
//! nothing changed: data paths out of `--data` (`..`, absolute, symbolic
//! links), missing and wrong tokens, an oversized body, malformed JSON and
//! TOML; and what it must carry: a Content-Security-Policy on every response,
//! a scenario named `<script>` shown as text.

mod common;

use common::{TestServer, raw, raw_with, shipped};
use serde_json::json;

fn history_len(server: &TestServer) -> usize {
    server.get("/api/runs").json()["runs"].as_array().unwrap().len()
}

/// The runs folder's entries (nothing may appear there on a refusal).
fn runs_entries(server: &TestServer) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(server.runs_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn data_paths_resolve_only_inside_the_data_folder() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.epw"), "not weather").unwrap();
    let server = TestServer::start(|c, dir| {
        let data = dir.join("data");
        std::fs::create_dir_all(&data).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path(), data.join("elsewhere")).unwrap();
        c.data = Some(data);
    });
    let default = shipped("default");
    let with_epw =
        |path: &str| default.replace("climate = \"ashburn\"", &format!("weather_epw = \"{path}\""));
    let mut cases = vec![
        ("../../etc/passwd".to_string(), "`..`"),
        ("${PLENUM_DATA}/../../etc/passwd".to_string(), "`..`"),
        ("/etc/passwd".to_string(), "absolute"),
        (format!("{}/secret.epw", outside.path().display()), "absolute"),
        ("${HOME}/.bashrc".to_string(), "only ${PLENUM_DATA}"),
    ];
    if cfg!(unix) {
        cases.push(("elsewhere/secret.epw".to_string(), "outside"));
        cases.push(("${PLENUM_DATA}/elsewhere/secret.epw".to_string(), "outside"));
    }
    let before = runs_entries(&server);
    for (path, expected) in &cases {
        let text = with_epw(path);
        for route in ["/api/validate", "/api/runs"] {
            let r = server.post(route, &json!({"scenario": text}));
            assert_eq!(r.status, 422, "{route} {path}: {}", r.text());
            let d = &r.json()["diagnostics"][0];
            assert_eq!(d["field"], "site.weather_epw", "{path}: {d}");
            assert!(d["message"].as_str().unwrap().contains(expected), "{path}: {d}");
            assert!(d["line"].as_u64().is_some(), "located at its line: {d}");
        }
        // The same through an override and through a sweep's grid.
        let r = server.post(
            "/api/runs",
            &json!({"scenario": default, "unset": ["site.climate"], "set": [format!("site.weather_epw={path:?}"), "site.grid=\"pjm\""]}),
        );
        assert_eq!(r.status, 422, "override {path}: {}", r.text());
        let r = server.post(
            "/api/sweeps",
            &json!({"scenario": with_epw("x.epw"), "vary": [format!("site.weather_epw={path:?},{path:?}")]}),
        );
        assert!(matches!(r.status, 400 | 422), "sweep {path}: {}", r.text());
    }
    assert_eq!(history_len(&server), 0, "nothing was recorded");
    assert_eq!(runs_entries(&server), before, "nothing was written");

    // A server without --data refuses every data path.
    let bare = TestServer::start(|_, _| {});
    let r = bare.post("/api/validate", &json!({"scenario": with_epw("${PLENUM_DATA}/x.epw")}));
    assert_eq!(r.status, 422);
    assert!(r.text().contains("no data folder"), "{}", r.text());
}

#[test]
fn a_token_is_required_and_checked_on_every_api_call() {
    let server = TestServer::start(|c, _| c.token = Some("s3cret-token".into()));
    assert_eq!(server.token.as_deref(), Some("s3cret-token"));
    let body = json!({"scenario": shipped("ashburn-static")}).to_string();
    for (method, path, body) in [
        ("GET", "/api/runs", None),
        ("GET", "/api/openapi.json", None),
        ("GET", "/api/schema", None),
        ("POST", "/api/runs", Some(body.as_bytes())),
        ("POST", "/api/validate", Some(body.as_bytes())),
        ("GET", "/api/runs/1/events", None),
    ] {
        let missing = raw(server.addr, method, path, None, body);
        assert_eq!(missing.status, 401, "{method} {path}");
        assert!(missing.json()["error"].as_str().unwrap().contains("token"));
        let wrong = raw(server.addr, method, path, Some("Authorization: Bearer nope"), body);
        assert_eq!(wrong.status, 403, "{method} {path}");
        let cookie = raw(server.addr, method, path, Some("Cookie: plenum_token=wrong"), body);
        assert_eq!(cookie.status, 403, "{method} {path}");
    }
    assert_eq!(server.get("/api/runs").json()["runs"].as_array().unwrap().len(), 0, "nothing was submitted");
    // The right token, as a header or as the pages' cookie.
    let ok = raw(server.addr, "GET", "/api/runs", Some("Cookie: a=b; plenum_token=s3cret-token"), None);
    assert_eq!(ok.status, 200);
    // The pages themselves load without it (they ask for it through the address).
    assert_eq!(raw(server.addr, "GET", "/", None, None).status, 200);
}

#[test]
fn a_non_loopback_address_gets_a_generated_token() {
    let server = TestServer::start(|c, _| c.bind = "0.0.0.0".parse().unwrap());
    let token = server.token.clone().expect("a token was generated");
    assert!(token.len() >= 32, "{token}");
    let local = std::net::SocketAddr::from(([127, 0, 0, 1], server.addr.port()));
    assert_eq!(raw(local, "GET", "/api/runs", None, None).status, 401);
    let auth = format!("Authorization: Bearer {token}");
    assert_eq!(raw(local, "GET", "/api/runs", Some(&auth), None).status, 200);
    assert_ne!(plenum_serve::generate_token(), plenum_serve::generate_token());
}

#[test]
fn oversized_and_malformed_bodies_are_refused_and_change_nothing() {
    let server = TestServer::start(|c, _| c.max_body_bytes = 64 * 1024);
    let big = json!({"scenario": format!("{}\n#{}", shipped("default"), "x".repeat(100 * 1024))});
    let r = server.post("/api/runs", &big);
    assert_eq!(r.status, 413, "{}", r.text());

    let r = raw(server.addr, "POST", "/api/runs", None, Some(b"{\"scenario\": \"a\",,}"));
    assert_eq!(r.status, 400);
    let message = r.json()["error"].as_str().unwrap().to_string();
    assert!(message.contains("malformed JSON") && message.contains("column"), "{message}");
    let r = raw(server.addr, "POST", "/api/runs", None, Some(b"{\"scenario\": 1}"));
    assert_eq!(r.status, 400, "{}", r.text());
    let r = raw(server.addr, "POST", "/api/runs", None, Some(b"{\"scenario\": \"\", \"sett\": []}"));
    assert_eq!(r.status, 400, "unknown fields are refused: {}", r.text());

    let r = server.post("/api/runs", &json!({"scenario": "[scenario\nname = 1"}));
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["diagnostics"][0]["line"], 1, "{}", r.text());
    let r = server.post("/api/sweeps", &json!({"scenario": shipped("default"), "vary": ["no-equals-sign"]}));
    assert_eq!(r.status, 400, "{}", r.text());

    assert_eq!(history_len(&server), 0);
    assert!(runs_entries(&server).is_empty());
}

#[test]
fn a_script_in_a_scenario_name_is_text_everywhere() {
    let server = TestServer::start(|_, _| {});
    let text = shipped("ashburn-static").replacen(
        &format!(
            "name = {:?}",
            plenum_scenario::Scenario::load("x", shipped("ashburn-static"), &[]).unwrap().name
        ),
        "name = \"<script>alert(1)</script>\"",
        1,
    );
    assert!(text.contains("<script>alert(1)</script>"));
    let (id, last) = server.run(&text, &[]);
    assert_eq!(last["status"], "done", "{last}");
    let record = server.get(&format!("/api/runs/{id}"));
    assert!(record.header("content-type").unwrap().starts_with("application/json"));
    assert_eq!(record.json()["name"], "<script>alert(1)</script>");
    let report = server.get(&format!("/api/runs/{id}/report")).text();
    assert!(!report.contains("<script>alert(1)"), "the report escapes the name");
    assert!(report.contains("&lt;script&gt;alert(1)"), "and shows it");
    // The pages never build HTML from data: no innerHTML/outerHTML/insertAdjacentHTML/document.write.
    let script = server.get("/app.js").text();
    for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"] {
        assert!(!script.contains(sink), "app.js uses {sink}");
    }
}

#[test]
fn every_response_carries_a_content_security_policy() {
    let server = TestServer::start(|_, _| {});
    for path in ["/", "/app.js", "/app.css", "/api/runs", "/api/nothing", "/nothing"] {
        let r = server.get(path);
        let csp = r.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
    let page = server.get("/");
    assert!(page.header("content-security-policy").unwrap().contains("script-src 'self'"));
    // A request with a lying Host header gets the same answers (no host-based routing).
    let r = raw_with(server.addr, "GET", "/api/runs", &["X-Forwarded-For: 10.0.0.1".to_string()], None);
    assert_eq!(r.status, 200);
}
