//! The HTTP routes: the JSON API under `/api` (every call checks the token
//! when the server has one) and the pages. Request bodies are JSON read by
//! hand from bytes so that a malformed body gets a 400 naming its line and
//! column; a scenario with problems gets a 422 with the same diagnostics as
//! `plenum validate` (line, column, field, message, "did you mean").

use crate::jobs::{Jobs, Progress, Work};
use crate::store::{Record, Request, Status, Store};
use crate::{ServeConfig, Shared, pages, sandbox};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request as HttpRequest, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use plenum_run::RunError;
use plenum_scenario::{Location, Scenario, ScenarioError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The policy of the application's own pages: scripts, styles and requests
/// only from this server, report pages only in frames of it.
pub const APP_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                           img-src 'self' data:; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
                           form-action 'none'";

/// The policy of a report page (its own inline scripts and styles draw the
/// charts, as the report's own meta tag allows), framable by the application only.
pub const REPORT_CSP: &str = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; \
                              style-src 'unsafe-inline'; img-src data: blob:; frame-ancestors 'self'; \
                              base-uri 'none'; form-action 'none'";

/// The cookie the pages keep the token in (so event streams, frames and
/// downloads carry it as well).
pub const TOKEN_COOKIE: &str = "plenum_token";

/// Everything the handlers share.
pub struct Inner {
    config: ServeConfig,
    store: Arc<Store>,
    jobs: Arc<Jobs>,
}

/// The handlers' state.
#[derive(Clone)]
pub struct AppState(Shared);

impl AppState {
    /// State over an opened store.
    pub fn new(config: ServeConfig, store: Store) -> AppState {
        let jobs = Arc::new(Jobs::new(config.workers));
        AppState(Arc::new(Inner { config, store: Arc::new(store), jobs }))
    }
}

/// Every route the server answers (method, path as in the OpenAPI document);
/// the router below and the OpenAPI document are tested against it.
pub const API_ROUTES: &[(&str, &str)] = &[
    ("get", "/api/openapi.json"),
    ("get", "/api/schema"),
    ("get", "/api/status"),
    ("post", "/api/validate"),
    ("get", "/api/scenarios"),
    ("get", "/api/scenarios/{name}"),
    ("put", "/api/scenarios/{name}"),
    ("get", "/api/runs"),
    ("post", "/api/runs"),
    ("get", "/api/runs/{id}"),
    ("delete", "/api/runs/{id}"),
    ("get", "/api/runs/{id}/events"),
    ("post", "/api/runs/{id}/cancel"),
    ("post", "/api/runs/{id}/rerun"),
    ("get", "/api/runs/{id}/report"),
    ("get", "/api/compare"),
    ("get", "/api/compare/report"),
    ("post", "/api/sweeps"),
    ("get", "/api/sweeps/{id}/parquet"),
];

/// The application: pages, then the API behind the token check; a body
/// limit and the security headers on everything.
pub fn router(state: AppState) -> Router {
    let limit = state.0.config.max_body_bytes;
    let api = Router::new()
        .route("/api/openapi.json", get(|| async { axum::Json(crate::openapi::document()) }))
        .route("/api/schema", get(|| async { axum::Json(plenum_scenario::json_schema().clone()) }))
        .route("/api/status", get(status))
        .route("/api/validate", post(validate))
        .route("/api/scenarios", get(scenarios))
        .route("/api/scenarios/{name}", get(scenario).put(save_scenario))
        .route("/api/runs", get(list_runs).post(submit_run))
        .route("/api/runs/{id}", get(get_run).delete(delete_run))
        .route("/api/runs/{id}/events", get(events))
        .route("/api/runs/{id}/cancel", post(cancel))
        .route("/api/runs/{id}/rerun", post(rerun))
        .route("/api/runs/{id}/report", get(report))
        .route("/api/compare", get(compare))
        .route("/api/compare/report", get(compare_report))
        .route("/api/sweeps", post(submit_sweep))
        .route("/api/sweeps/{id}/parquet", get(sweep_parquet))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such API route (see /api/openapi.json)") })
        .route_layer(middleware::from_fn_with_state(state.clone(), check_token));
    Router::new()
        .merge(pages::routes())
        .merge(api)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// A JSON error response: `{"error": message}`.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({"error": message.into()}))).into_response()
}

/// A refused request's answer, boxed (a `Response` is large to move around in a `Result`).
type Refusal = Box<Response>;

fn internal(e: impl std::fmt::Display) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

/// The HTTP status of a request plenum-run refused: 422 for a scenario or
/// data file that is wrong or a run above the server's size caps (with
/// diagnostics), 400 for a wrong setting beside the scenario (a sweep's
/// grid), 503 for a run the server stopped, 500 for a failure of the model.
fn run_error_status(e: &RunError) -> StatusCode {
    match e {
        RunError::Scenario(_) | RunError::TooLarge(_) | RunError::Data(_) => StatusCode::UNPROCESSABLE_ENTITY,
        RunError::Usage(_) => StatusCode::BAD_REQUEST,
        RunError::Interrupted(_) => StatusCode::SERVICE_UNAVAILABLE,
        RunError::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The answer to a request plenum-run refused ([`run_error_status`]): a
/// scenario's diagnostics as `/api/validate` gives them, a data file's as
/// one diagnostic (file, line, field, message), else `{"error": message}`.
fn refused(e: &RunError) -> Response {
    match e {
        RunError::Scenario(s) | RunError::TooLarge(s) => invalid(s),
        RunError::Data(d) => (
            run_error_status(e),
            axum::Json(json!({
                "valid": false,
                "error": d.to_string(),
                "diagnostics": [{
                    "file": d.file.display().to_string(),
                    "line": d.line_or_row(),
                    "field": d.field,
                    "message": d.message,
                }],
            })),
        )
            .into_response(),
        RunError::Usage(_) | RunError::Interrupted(_) | RunError::Failed(_) => {
            error(run_error_status(e), e.to_string())
        }
    }
}

async fn security_headers(request: HttpRequest, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(APP_CSP));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// The token a request carries: `Authorization: Bearer T`, else the cookie.
fn presented_token(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return value.strip_prefix("Bearer ").map(|t| t.trim().to_string());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == TOKEN_COOKIE)
        .map(|(_, value)| value.to_string())
}

/// Equal strings, compared in time that does not depend on where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn check_token(State(state): State<AppState>, request: HttpRequest, next: Next) -> Response {
    if let Some(expected) = &state.0.config.token {
        match presented_token(request.headers()) {
            None => {
                return error(
                    StatusCode::UNAUTHORIZED,
                    "this server needs a token: send `Authorization: Bearer TOKEN` (open the address the server printed)",
                );
            }
            Some(given) if !same_token(&given, expected) => {
                return error(StatusCode::FORBIDDEN, "wrong token");
            }
            Some(_) => {}
        }
    }
    next.run(request).await
}

/// A scenario as submitted: its text, then removals and overrides as
/// `plenum run --unset/--set` takes them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioInput {
    /// The TOML text.
    pub scenario: String,
    /// `--set` overrides (`energy.pue=1.2`).
    #[serde(default)]
    pub set: Vec<String>,
    /// `--unset` removals.
    #[serde(default)]
    pub unset: Vec<String>,
}

/// A sweep as submitted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepInput {
    /// The TOML text.
    pub scenario: String,
    /// `--set` overrides.
    #[serde(default)]
    pub set: Vec<String>,
    /// `--unset` removals.
    #[serde(default)]
    pub unset: Vec<String>,
    /// Grid keys and values, as `plenum sweep --vary` takes them (`site.climate=ashburn,phoenix`).
    pub vary: Vec<String>,
    /// Seeds per variant (default 1).
    #[serde(default)]
    pub samples: Option<u64>,
    /// Seed of sample 0 (default: the scenario's).
    #[serde(default)]
    pub seed: Option<u64>,
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| {
        Box::new(error(
            StatusCode::BAD_REQUEST,
            format!("malformed JSON body: line {}, column {}: {e}", e.line(), e.column()),
        ))
    })
}

/// One diagnostic as JSON: where (line, column, end line and column, or the
/// override), which field, what, and the hint.
pub fn diagnostics_json(error: &ScenarioError) -> Vec<Value> {
    error
        .diagnostics
        .iter()
        .map(|d| {
            let mut v = json!({"field": d.field, "message": d.message, "help": d.help});
            match &d.location {
                Location::Span { bytes, line, column } => {
                    let end = Location::span(&error.source, bytes.end..bytes.end);
                    v["line"] = json!(line);
                    v["column"] = json!(column);
                    if let Location::Span { line, column, .. } = end {
                        v["end_line"] = json!(line);
                        v["end_column"] = json!(column);
                    }
                }
                Location::Override(text) => v["override"] = json!(format!("--set {text}")),
                Location::Unset(path) => v["override"] = json!(format!("--unset {path}")),
                Location::File => {}
            }
            v
        })
        .collect()
}

fn invalid(error: &ScenarioError) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(json!({
            "valid": false,
            "error": error.to_string(),
            "diagnostics": diagnostics_json(error),
        })),
    )
        .into_response()
}

/// The name diagnostics give submitted text.
const ORIGIN: &str = "scenario.toml";

fn load(state: &AppState, input: &ScenarioInput) -> Result<Scenario, ScenarioError> {
    sandbox::load(ORIGIN, &input.scenario, &input.unset, &input.set, state.0.config.data.as_deref())
}

async fn status(State(state): State<AppState>) -> Response {
    axum::Json(json!({
        "queue": state.0.jobs.status(),
        "limits": {"max_cpu_s": state.0.config.limits.max_cpu_s, "max_memory_gib": state.0.config.limits.max_memory_gib},
        "data_folder": state.0.config.data.is_some(),
        "max_body_bytes": state.0.config.max_body_bytes,
    }))
    .into_response()
}

/// Run CPU-bound work (validation, checks) on the blocking pool, so the
/// runtime's threads keep answering other requests.
async fn off_runtime(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(internal)
}

async fn validate(State(state): State<AppState>, body: Bytes) -> Response {
    let input: ScenarioInput = match parse_body(&body) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    off_runtime(move || validate_now(&state, &input)).await
}

fn validate_now(state: &AppState, input: &ScenarioInput) -> Response {
    match load(state, input) {
        Ok(s) => axum::Json(json!({
            "valid": true,
            "name": s.name,
            "servers": s.server_count(),
            "skus": s.servers.len(),
            "critical_kw": s.facility.critical_power_kw,
            "diagnostics": [],
        }))
        .into_response(),
        Err(e) => invalid(&e),
    }
}

/// The scenarios shipped with Plenum, by name: the embedded ones (kept in the
/// scenario crate, `plenum_scenario::embedded`) and the repository's `scenarios/` examples.
pub const SHIPPED: &[(&str, &str)] = &[
    ("default", plenum_scenario::embedded::SCENARIOS[0].1),
    ("ashburn-static", plenum_scenario::embedded::SCENARIOS[1].1),
    ("ashburn-epw", include_str!("../../../scenarios/ashburn-epw.toml")),
    ("legacy-ashburn", include_str!("../../../scenarios/legacy-ashburn.toml")),
    ("hamilton-2008", plenum_scenario::embedded::SCENARIOS[2].1),
    ("hamilton-2010", plenum_scenario::embedded::SCENARIOS[3].1),
    ("cems-2009", include_str!("../../../scenarios/cems-2009.toml")),
    ("dean-cluster-year", include_str!("../../../scenarios/dean-cluster-year.toml")),
    ("three-site-growth", include_str!("../../../scenarios/three-site-growth.toml")),
    ("opendc-surf-week", include_str!("../../../scenarios/opendc-surf-week.toml")),
    ("surf-measured", include_str!("../../../scenarios/surf-measured.toml")),
    ("surf-week-carbon-shift", include_str!("../../../scenarios/surf-week-carbon-shift.toml")),
    ("lets-wait-awhile-nightly", include_str!("../../../scenarios/lets-wait-awhile-nightly.toml")),
];

async fn scenarios(State(state): State<AppState>) -> Response {
    let mut list: Vec<Value> =
        SHIPPED.iter().map(|(name, _)| json!({"name": name, "source": "shipped"})).collect();
    match state.0.store.scenarios() {
        Ok(saved) => list.extend(saved.iter().map(|(name, _)| json!({"name": name, "source": "saved"}))),
        Err(e) => return internal(e),
    }
    axum::Json(json!({ "scenarios": list })).into_response()
}

async fn scenario(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let saved = match state.0.store.scenarios() {
        Ok(saved) => saved,
        Err(e) => return internal(e),
    };
    let found = saved
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (t.as_str(), "saved"))
        .or_else(|| SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, t)| (*t, "shipped")));
    match found {
        Some((text, source)) => {
            axum::Json(json!({"name": name, "source": source, "text": text})).into_response()
        }
        None => error(StatusCode::NOT_FOUND, format!("no scenario named {name:?}")),
    }
}

/// The body of `PUT /api/scenarios/{name}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveInput {
    text: String,
}

async fn save_scenario(State(state): State<AppState>, Path(name): Path<String>, body: Bytes) -> Response {
    let input: SaveInput = match parse_body(&body) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    let valid_name = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid_name {
        return error(
            StatusCode::BAD_REQUEST,
            "a scenario name has 1 to 64 letters, digits, `-`, `_` or `.`",
        );
    }
    if SHIPPED.iter().any(|(n, _)| *n == name) {
        return error(
            StatusCode::CONFLICT,
            format!("{name:?} is a shipped scenario: save under another name"),
        );
    }
    match state.0.store.save_scenario(&name, &input.text) {
        Ok(()) => axum::Json(json!({"name": name, "source": "saved"})).into_response(),
        Err(e) => internal(e),
    }
}

/// The scenario text as run ([`plenum_run::output::scenario_as_run`], as
/// `plenum run --out` writes scenario.toml, which the report reads back).
fn text_as_run(input_text: &str, scenario: &Scenario) -> String {
    if scenario.document.source.is_empty() {
        return input_text.to_string();
    }
    plenum_run::output::scenario_as_run(scenario)
}

fn accepted(id: i64) -> Response {
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/runs/{id}"))],
        axum::Json(json!({"id": id, "status": Status::Queued})),
    )
        .into_response()
}

fn start_run(state: &AppState, input: ScenarioInput) -> Response {
    let scenario = match load(state, &input) {
        Ok(s) => s,
        Err(e) => return invalid(&e),
    };
    let limits = state.0.config.limits;
    let size = plenum_engine::limits::estimate(&scenario, None);
    if let Err(e) = plenum_run::check_size(&scenario, &size, &limits) {
        return refused(&e);
    }
    let request = Request {
        kind: "run".into(),
        name: scenario.name.clone(),
        scenario_text: input.scenario.clone(),
        unset: input.unset.clone(),
        set: input.set.clone(),
        grid: None,
        seed: Some(scenario.seed),
    };
    let id = match state.0.store.insert(&request) {
        Ok(id) => id,
        Err(e) => return internal(e),
    };
    let text = text_as_run(&input.scenario, &scenario);
    state.0.jobs.submit(Arc::clone(&state.0.store), limits, id, Work::Run(Box::new(scenario)), text);
    accepted(id)
}

async fn submit_run(State(state): State<AppState>, body: Bytes) -> Response {
    match parse_body::<ScenarioInput>(&body) {
        Ok(input) => off_runtime(move || start_run(&state, input)).await,
        Err(r) => *r,
    }
}

fn start_sweep(state: &AppState, input: SweepInput) -> Response {
    let base = ScenarioInput {
        scenario: input.scenario.clone(),
        set: input.set.clone(),
        unset: input.unset.clone(),
    };
    let scenario = match load(state, &base) {
        Ok(s) => s,
        Err(e) => return invalid(&e),
    };
    let data = state.0.config.data.as_deref();
    let mut axes = Vec::new();
    for text in &input.vary {
        let mut axis = match plenum_run::sweep::Axis::parse(text) {
            Ok(a) => a,
            Err(e) => return error(run_error_status(&e), format!("vary: {e}")),
        };
        let mut values = Vec::new();
        for value in std::mem::take(&mut axis.values) {
            match sandbox::confine_axis_value(&axis.key, value, data) {
                Ok(v) => values.push(v),
                Err(m) => return error(StatusCode::BAD_REQUEST, format!("vary: {m}")),
            }
        }
        axis.values = values;
        axes.push(axis);
    }
    if axes.is_empty() {
        return error(StatusCode::BAD_REQUEST, "vary: give at least one `key=value,value,...`");
    }
    let sweep = match plenum_run::sweep::Sweep::new(&scenario, axes, input.samples.unwrap_or(1), input.seed) {
        Ok(s) => s,
        Err(e) => return refused(&e),
    };
    if let Err(e) = sweep.check(&scenario) {
        return refused(&e);
    }
    let limits = state.0.config.limits;
    // The whole grid against the caps, as the CLI and Python check it.
    if let Err(e) = sweep.check_size(&scenario, &limits) {
        return refused(&e);
    }
    let request = Request {
        kind: "sweep".into(),
        name: scenario.name.clone(),
        scenario_text: input.scenario.clone(),
        unset: input.unset.clone(),
        set: input.set.clone(),
        grid: Some(json!({"vary": input.vary, "samples": sweep.samples, "seed": sweep.seed})),
        seed: Some(sweep.seed),
    };
    let id = match state.0.store.insert(&request) {
        Ok(id) => id,
        Err(e) => return internal(e),
    };
    let text = text_as_run(&input.scenario, &scenario);
    state.0.jobs.submit(Arc::clone(&state.0.store), limits, id, Work::Sweep(Box::new(scenario), sweep), text);
    accepted(id)
}

async fn submit_sweep(State(state): State<AppState>, body: Bytes) -> Response {
    match parse_body::<SweepInput>(&body) {
        Ok(input) => off_runtime(move || start_sweep(&state, input)).await,
        Err(r) => *r,
    }
}

async fn list_runs(State(state): State<AppState>) -> Response {
    match state.0.store.list() {
        Ok(runs) => axum::Json(json!({ "runs": runs })).into_response(),
        Err(e) => internal(e),
    }
}

fn record(state: &AppState, id: i64) -> Result<Record, Refusal> {
    match state.0.store.get(id) {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err(Box::new(error(StatusCode::NOT_FOUND, format!("no run {id}")))),
        Err(e) => Err(Box::new(internal(e))),
    }
}

async fn get_run(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    match record(&state, id) {
        Ok(r) => axum::Json(r).into_response(),
        Err(r) => *r,
    }
}

async fn delete_run(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let r = match record(&state, id) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    if !r.status.is_final() {
        return error(StatusCode::CONFLICT, format!("run {id} is {}: cancel it first", r.status.as_str()));
    }
    match state.0.store.delete(id) {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => internal(e),
    }
}

async fn cancel(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let r = match record(&state, id) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    if state.0.jobs.cancel(id) {
        (StatusCode::ACCEPTED, axum::Json(json!({"id": id, "cancelling": true}))).into_response()
    } else {
        error(StatusCode::CONFLICT, format!("run {id} is {}: nothing to cancel", r.status.as_str()))
    }
}

async fn rerun(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let r = match record(&state, id) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let (scenario, set, unset) = (r.request.scenario_text, r.request.set, r.request.unset);
    match r.request.grid {
        Some(grid) => {
            let vary = grid["vary"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            let input = SweepInput {
                scenario,
                set,
                unset,
                vary,
                samples: grid["samples"].as_u64(),
                seed: grid["seed"].as_u64(),
            };
            off_runtime(move || start_sweep(&state, input)).await
        }
        None => off_runtime(move || start_run(&state, ScenarioInput { scenario, set, unset })).await,
    }
}

async fn events(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    // Subscribe before reading the row: a job leaves the queue only after
    // its row is final, so without a receiver the row already says how it ended.
    let receiver = state.0.jobs.subscribe(id);
    let r = match record(&state, id) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let first = match &receiver {
        Some(rx) => rx.borrow().clone(),
        None => Progress { id, status: r.status, stage: String::new(), done: 0, total: 0, error: r.error },
    };
    // The first event is the state now; then one per change, until a final one.
    let stream =
        futures_util::stream::unfold((Some(first), receiver), |(pending, mut receiver)| async move {
            let progress = match pending {
                Some(p) => p,
                None => {
                    let rx = receiver.as_mut()?;
                    // An error means the job ended and dropped its sender, after
                    // setting its final state: that is the value left.
                    let closed = rx.changed().await.is_err();
                    let p = rx.borrow_and_update().clone();
                    if closed && !p.status.is_final() {
                        return None;
                    }
                    p
                }
            };
            let receiver = if progress.status.is_final() { None } else { receiver };
            let event = Event::default().event("progress").json_data(&progress).unwrap_or_default();
            Some((Ok::<_, std::convert::Infallible>(event), (None, receiver)))
        });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

fn finished(state: &AppState, id: i64) -> Result<Record, Refusal> {
    let r = record(state, id)?;
    if r.status != Status::Done {
        return Err(Box::new(error(
            StatusCode::CONFLICT,
            format!("run {id} is {}: it has no result", r.status.as_str()),
        )));
    }
    Ok(r)
}

fn html(csp: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp)),
        ],
        body,
    )
        .into_response()
}

async fn report(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let r = match finished(&state, id) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    if r.request.kind != "run" {
        return error(StatusCode::NOT_FOUND, format!("{id} is a sweep: it has a table, not a report"));
    }
    match std::fs::read_to_string(state.0.store.folder(id).join("report.html")) {
        Ok(text) => html(REPORT_CSP, text),
        Err(e) => internal(format!("run {id}: cannot read its report: {e}")),
    }
}

/// A run folder as the report's input.
fn as_report_run(f: &plenum_io::run_folder::RunFolder) -> plenum_report::Run<'_> {
    plenum_report::Run {
        summary: &f.summary,
        scenario_toml: f.scenario_toml.as_deref(),
        tables: &f.tables,
        sensitivity: f.sensitivity.as_ref(),
    }
}

/// `?a=ID&b=ID`.
#[derive(Debug, Deserialize)]
struct Pair {
    a: i64,
    b: i64,
}

fn comparison(state: &AppState, pair: &Pair) -> Result<(plenum_report::Comparison, String, String), Refusal> {
    let mut folders = Vec::new();
    for id in [pair.a, pair.b] {
        let r = finished(state, id)?;
        if r.request.kind != "run" {
            return Err(Box::new(error(
                StatusCode::BAD_REQUEST,
                format!("{id} is a sweep: compare two runs"),
            )));
        }
        let folder = plenum_io::run_folder::read_run_folder(&state.0.store.folder(id))
            .map_err(|e| Box::new(internal(e)))?;
        folders.push((format!("run {id}: {}", r.request.name), folder));
    }
    let c = plenum_report::compare(&as_report_run(&folders[0].1), &as_report_run(&folders[1].1))
        .map_err(|e| Box::new(internal(e)))?;
    Ok((c, folders[0].0.clone(), folders[1].0.clone()))
}

async fn compare(State(state): State<AppState>, Query(pair): Query<Pair>) -> Response {
    let (c, a, b) = match comparison(&state, &pair) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let inputs: Option<Vec<Value>> = c
        .inputs
        .as_ref()
        .map(|list| list.iter().map(|d| json!({"path": d.path, "a": d.a, "b": d.b})).collect());
    let figures: Vec<Value> = c
        .figures
        .iter()
        .map(|f| {
            json!({
                "key": f.figure.key, "label": f.figure.label, "unit": f.figure.unit,
                "a": f.a, "b": f.b, "a_text": f.a_text(), "b_text": f.b_text(),
                "difference_text": f.difference_text(), "relative_text": f.relative_text(),
            })
        })
        .collect();
    axum::Json(json!({"a": a, "b": b, "names": [c.names.0, c.names.1], "inputs": inputs, "figures": figures}))
        .into_response()
}

async fn compare_report(State(state): State<AppState>, Query(pair): Query<Pair>) -> Response {
    match comparison(&state, &pair) {
        Ok((c, a, b)) => html(REPORT_CSP, plenum_report::render_comparison(&c, &a, &b)),
        Err(r) => *r,
    }
}

async fn sweep_parquet(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let r = match finished(&state, id) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    if r.request.kind != "sweep" {
        return error(StatusCode::NOT_FOUND, format!("{id} is a run, not a sweep"));
    }
    match std::fs::read(state.0.store.folder(id).join("sweep.parquet")) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.apache.parquet")),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("attachment; filename=\"sweep-{id}.parquet\""))
                        .unwrap_or(HeaderValue::from_static("attachment")),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => internal(format!("sweep {id}: cannot read its table: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_run_error_has_its_http_status() {
        let scenario = || Box::new(ScenarioError::file(ORIGIN, "bad"));
        let data = plenum_io::DataError::at(std::path::Path::new("w.epw"), 9, "dry_bulb", "NaN");
        let cases = [
            (RunError::Scenario(scenario()), 422),
            (RunError::TooLarge(scenario()), 422),
            (RunError::Data(data), 422),
            (RunError::Usage("samples must be at least 1, got 0".into()), 400),
            (RunError::Interrupted(None), 503),
            (RunError::failed("no host fits task 3"), 500),
        ];
        for (e, status) in cases {
            assert_eq!(run_error_status(&e).as_u16(), status, "{e}");
            assert_eq!(refused(&e).status().as_u16(), status, "{e}");
        }
    }
}
