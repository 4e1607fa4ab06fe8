//! The OpenAPI 3.1 document of the API, served at `/api/openapi.json`.
//!
//! Written here by hand from the request and response types of [`crate::api`]
//! (no generator: one more derive crate costs more build time than these
//! paths); a test checks that its operations are exactly the routes of
//! [`crate::api::API_ROUTES`], and the server's tests call each route.

use serde_json::{Value, json};

fn scenario_input() -> Value {
    json!({
        "type": "object",
        "required": ["scenario"],
        "additionalProperties": false,
        "properties": {
            "scenario": {"type": "string", "description": "The scenario's TOML text."},
            "set": {"type": "array", "items": {"type": "string"}, "description": "Overrides as `plenum run --set` takes them (`energy.pue=1.2`)."},
            "unset": {"type": "array", "items": {"type": "string"}, "description": "Keys removed first, as `--unset`."}
        }
    })
}

fn sweep_input() -> Value {
    let mut input = scenario_input();
    input["required"] = json!(["scenario", "vary"]);
    input["properties"]["vary"] = json!({"type": "array", "items": {"type": "string"}, "description": "Grid keys and values as `plenum sweep --vary` (`site.climate=ashburn,phoenix`)."});
    input["properties"]["samples"] =
        json!({"type": "integer", "minimum": 1, "description": "Seeds per variant (default 1)."});
    input["properties"]["seed"] = json!({"type": "integer", "minimum": 0, "description": "Seed of sample 0 (default: the scenario's)."});
    input
}

fn diagnostics() -> Value {
    json!({
        "type": "object",
        "properties": {
            "valid": {"type": "boolean"},
            "error": {"type": "string", "description": "All problems as `plenum validate` prints them."},
            "diagnostics": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}
        }
    })
}

fn json_body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

fn answer(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn error_ref() -> Value {
    json!({"$ref": "#/components/schemas/Error"})
}

fn op(summary: &str, responses: Value) -> Value {
    json!({"summary": summary, "responses": responses})
}

fn id_parameter() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}])
}

/// The document.
pub fn document() -> Value {
    let not_found = answer("No such run.", error_ref());
    let conflict = answer("The run is not in a state that allows this.", error_ref());
    let bad = answer("Malformed JSON body or bad parameter.", error_ref());
    let invalid = answer("The scenario has problems (or is over the run-size limits).", diagnostics());
    let pair = json!([
        {"name": "a", "in": "query", "required": true, "schema": {"type": "integer"}},
        {"name": "b", "in": "query", "required": true, "schema": {"type": "integer"}}
    ]);
    let html = |d: &str| json!({"description": d, "content": {"text/html": {"schema": {"type": "string"}}}});
    let accepted = answer(
        "Queued.",
        json!({"type": "object", "properties": {"id": {"type": "integer"}, "status": {"type": "string"}}}),
    );
    let mut submit_run = op("Start a run", json!({"202": accepted, "400": bad, "422": invalid}));
    submit_run["requestBody"] = json_body(scenario_input());
    let mut submit_sweep = op(
        "Start a sweep over a grid of overrides and seeds",
        json!({"202": accepted, "400": bad, "422": invalid}),
    );
    submit_sweep["requestBody"] = json_body(sweep_input());
    let mut validate = op(
        "Check a scenario: the diagnostics of `plenum validate`",
        json!({"200": answer("Valid.", json!({"type": "object"})), "400": bad, "422": invalid}),
    );
    validate["requestBody"] = json_body(scenario_input());
    let mut form = op(
        "The form view: apply edits of common inputs to the TOML text (comments kept) and read the form's fields",
        json!({"200": answer("The edited text and the fields.", json!({"type": "object", "properties": {
            "scenario": {"type": "string"},
            "fields": {"type": "array", "items": {"type": "object", "properties": {
                "path": {"type": "string"}, "group": {"type": "string"}, "label": {"type": "string"},
                "unit": {"type": "string"}, "kind": {"enum": ["number", "integer", "choice"]},
                "options": {"type": "array", "items": {"type": "string"}}, "value": {"type": ["string", "null"]},
                "help": {"type": "string"}
            }}}
        }})), "400": bad, "422": answer("The text is not TOML.", error_ref())}),
    );
    form["requestBody"] = json_body(json!({
        "type": "object", "required": ["scenario"], "additionalProperties": false,
        "properties": {
            "scenario": {"type": "string"},
            "edits": {"type": "array", "items": {"type": "object", "required": ["path", "value"], "additionalProperties": false,
                      "properties": {"path": {"type": "string", "description": "A field's key path (`site.climate`)."}, "value": {"type": "string"}}}}
        }
    }));
    let mut save = op(
        "Save a scenario of the user's",
        json!({"200": answer("Saved.", json!({"type": "object"})), "400": bad, "409": conflict}),
    );
    save["requestBody"] = json_body(
        json!({"type": "object", "required": ["text"], "additionalProperties": false, "properties": {"text": {"type": "string"}}}),
    );
    let name = json!([{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}]);
    let with = |mut operation: Value, parameters: &Value| {
        operation["parameters"] = parameters.clone();
        operation
    };
    let ids = id_parameter();
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Plenum", "version": env!("CARGO_PKG_VERSION"), "description": "The API of `plenum serve`. With a token, send `Authorization: Bearer TOKEN` (or the plenum_token cookie)."},
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Diagnostic": {"type": "object", "properties": {
                    "field": {"type": "string"}, "message": {"type": "string"}, "help": {"type": ["string", "null"]},
                    "line": {"type": "integer"}, "column": {"type": "integer"}, "end_line": {"type": "integer"},
                    "end_column": {"type": "integer"}, "override": {"type": "string"}
                }},
                "Run": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "kind": {"enum": ["run", "sweep"]}, "name": {"type": "string"},
                    "scenario_text": {"type": "string"}, "set": {"type": "array", "items": {"type": "string"}},
                    "unset": {"type": "array", "items": {"type": "string"}}, "grid": {"type": ["object", "null"]},
                    "seed": {"type": ["integer", "null"]},
                    "status": {"enum": ["queued", "running", "done", "failed", "cancelled", "interrupted"]},
                    "created_at_unix_s": {"type": "integer"}, "started_at_unix_s": {"type": ["integer", "null"]},
                    "finished_at_unix_s": {"type": ["integer", "null"]}, "error": {"type": ["string", "null"]},
                    "summary": {"description": "The run's summary JSON (`plenum run --format json`); a sweep's table as {name, columns, rows}."}
                }}
            }
        },
        "security": [{"token": []}],
        "paths": {
            "/api/openapi.json": {"get": op("This document", json!({"200": answer("The document.", json!({"type": "object"}))}))},
            "/api/schema": {"get": op("The JSON Schema of scenario files", json!({"200": answer("The schema.", json!({"type": "object"}))}))},
            "/api/status": {"get": op("Queue counts and limits", json!({"200": answer("Counts.", json!({"type": "object"}))}))},
            "/api/validate": {"post": validate},
            "/api/form": {"post": form},
            "/api/scenarios": {"get": op("Shipped and saved scenarios", json!({"200": answer("Names.", json!({"type": "object"}))}))},
            "/api/scenarios/{name}": {
                "get": with(op("A scenario's text", json!({"200": answer("The text.", json!({"type": "object"})), "404": not_found})), &name),
                "put": with(save, &name),
                "delete": with(op("Delete a saved scenario (shipped ones are read-only)", json!({"204": {"description": "Deleted."}, "404": not_found, "409": conflict})), &name)
            },
            "/api/runs": {
                "get": op("The history: every run and sweep, newest first", json!({"200": answer("Runs.", json!({"type": "object", "properties": {"runs": {"type": "array", "items": {"$ref": "#/components/schemas/Run"}}}}))})),
                "post": submit_run
            },
            "/api/runs/{id}": {
                "get": with(op("One run with its scenario and summary", json!({"200": answer("The run.", json!({"$ref": "#/components/schemas/Run"})), "404": not_found})), &ids),
                "delete": with(op("Delete a finished run and its folder", json!({"204": {"description": "Deleted."}, "404": not_found, "409": conflict})), &ids)
            },
            "/api/runs/{id}/events": {"get": with(op("Progress as server-sent events (`progress`: id, status, stage, done, total, error) until the run ends", json!({"200": {"description": "An event stream.", "content": {"text/event-stream": {"schema": {"type": "string"}}}}, "404": not_found})), &ids)},
            "/api/runs/{id}/cancel": {"post": with(op("Cancel a queued or running run", json!({"202": answer("Cancelling.", json!({"type": "object"})), "404": not_found, "409": conflict})), &ids)},
            "/api/runs/{id}/rerun": {"post": with(op("Run the same scenario, overrides and grid again", json!({"202": accepted, "404": not_found, "422": invalid})), &ids)},
            "/api/runs/{id}/report": {"get": with(op("The run's report.html; a sweep's page (its chart of cost per server-month against PUE, and its rows)", json!({"200": html("The report."), "404": not_found, "409": conflict})), &ids)},
            "/api/runs/{id}/headline": {"get": with(op("A finished run's headline figures as the report's header lists them", json!({"200": answer("The figures.", json!({"type": "object", "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"},
                "figures": {"type": "array", "items": {"type": "object", "properties": {
                    "key": {"type": "string"}, "label": {"type": "string"}, "unit": {"type": "string"},
                    "value": {"type": "number"}, "text": {"type": "string"}, "tile": {"type": "boolean"}
                }}}
            }})), "404": not_found, "409": conflict})), &ids)},
            "/api/compare": {"get": with(op("Two runs side by side: inputs that differ, every headline figure", json!({"200": answer("The comparison.", json!({"type": "object"})), "404": not_found, "409": conflict})), &pair)},
            "/api/compare/report": {"get": with(op("The comparison as HTML (as `plenum report A B --out`)", json!({"200": html("The comparison."), "404": not_found, "409": conflict})), &pair)},
            "/api/sweeps": {"post": submit_sweep},
            "/api/sweeps/{id}/parquet": {"get": with(op("A finished sweep's table as Parquet", json!({"200": {"description": "The table.", "content": {"application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}, "404": not_found, "409": conflict})), &ids)}
        }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn the_document_lists_exactly_the_routes_served() {
        let document = super::document();
        let documented: BTreeSet<(String, String)> = document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
            .collect();
        let served: BTreeSet<(String, String)> =
            crate::api::API_ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
        assert_eq!(documented, served);
    }
}
