//! The typed summary is the whole summary: for every shipped scenario
//! (`scenarios/*.toml` and the embedded default) and for `plenum calibrate`,
//! the JSON validates against `Summary::json_schema()` (every object closed:
//! a key the types do not declare fails), and reading it back into
//! [`Summary`] and writing it again gives the same text byte for byte.
//!
//! Scenarios that read real data need PLENUM_DATA; without it they are
//! skipped with a message, and under CI the test fails instead.

use plenum_run::Summary;
use plenum_scenario::Scenario;
use serde_json::Value;
use std::path::PathBuf;

fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

fn data_available(what: &str) -> bool {
    if std::env::var_os("PLENUM_DATA").is_some() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "PLENUM_DATA must be set under CI ({what} needs it)");
    eprintln!("skipped {what}: PLENUM_DATA is not set");
    false
}

/// Validate `summary` against the schema and check its round trip through
/// [`Summary`]; the problems found, empty when none.
fn check(name: &str, summary: &Summary, schema: &Value) -> Vec<String> {
    let text = serde_json::to_string_pretty(summary).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let mut problems = Vec::new();
    validate(schema, schema, &value, &mut String::new(), &mut problems);
    match serde_json::from_str::<Summary>(&text) {
        Ok(back) => {
            let again = serde_json::to_string_pretty(&back).unwrap();
            if let Some((line, (a, b))) =
                text.lines().zip(again.lines()).enumerate().find(|(_, (a, b))| a != b)
            {
                problems.push(format!("read back, line {} differs: {a:?} became {b:?}", line + 1));
            } else if again != text {
                problems.push("the summary read back does not write the same text".to_string());
            }
        }
        Err(e) => problems.push(format!("does not read back: {e}")),
    }
    problems.iter().map(|p| format!("{name}: {p}")).collect()
}

/// A minimal JSON Schema validator for what schemars emits for the summary:
/// `$ref`, `type`, `properties`, `required`, `additionalProperties`,
/// `items`, `prefixItems`, `anyOf`/`oneOf`, `enum`, `const`.
fn validate(root: &Value, schema: &Value, value: &Value, path: &mut String, out: &mut Vec<String>) {
    let mut schema = schema;
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        schema = root.pointer(reference.trim_start_matches('#')).unwrap_or_else(|| panic!("{reference}"));
    }
    if schema == &Value::Bool(true) {
        return;
    }
    if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        // Passing: no problem in some branch; else the problems of the closest branch.
        let closest = branches
            .iter()
            .map(|b| {
                let mut inner = Vec::new();
                validate(root, b, value, &mut path.clone(), &mut inner);
                inner
            })
            .min_by_key(Vec::len);
        out.extend(closest.unwrap_or_default());
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        out.push(format!("{path}: {value} is not one of {allowed:?}"));
    }
    if let Some(expected) = schema.get("const")
        && expected != value
    {
        out.push(format!("{path}: expected {expected}"));
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = |t: &str| match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_u64() || value.is_i64(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        };
        if !types.iter().any(|t| fits(t)) {
            out.push(format!("{path}: {value} is not of type {types:?}"));
            return;
        }
    }
    if let Some(map) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for key in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !map.contains_key(key.as_str().unwrap_or_default()) {
                out.push(format!("{path}: missing {key}"));
            }
        }
        for (key, item) in map {
            let len = path.len();
            path.push('.');
            path.push_str(key);
            match (properties.and_then(|p| p.get(key)), schema.get("additionalProperties")) {
                (Some(sub), _) => validate(root, sub, item, path, out),
                (None, Some(Value::Bool(false))) => out.push(format!("{path}: not in the schema")),
                (None, Some(sub)) => validate(root, sub, item, path, out),
                (None, None) => out.push(format!("{path}: not in the schema (the object is not closed)")),
            }
            path.truncate(len);
        }
    }
    if let Some(items) = value.as_array() {
        let prefix = schema.get("prefixItems").and_then(Value::as_array);
        for (i, item) in items.iter().enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            match (prefix.and_then(|p| p.get(i)), schema.get("items")) {
                (Some(sub), _) | (None, Some(sub)) => validate(root, sub, item, path, out),
                (None, None) => {}
            }
            path.truncate(len);
        }
    }
}

#[test]
fn every_shipped_scenario_validates_and_reads_back_identically() {
    let schema = Summary::json_schema();
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let mut problems = Vec::new();
    // The scenarios compiled into the binary (the default among them), then the examples.
    for (name, _) in plenum_scenario::embedded::SCENARIOS {
        let run = plenum_run::run(&plenum_scenario::embedded::load(name).unwrap()).unwrap();
        problems.extend(check(&format!("embedded {name}"), &run.summary(), &schema));
    }
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        if text.contains("PLENUM_DATA") && !data_available(&name) {
            continue;
        }
        let scenario = Scenario::from_path(file).unwrap_or_else(|e| panic!("{name}: {e}"));
        let run = plenum_run::run(&scenario).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        problems.extend(check(&name, &run.summary(), &schema));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_calibration_summary_validates_and_reads_back_identically() {
    if !data_available("surf-measured.toml") {
        return;
    }
    let scenario = Scenario::from_path(scenarios_dir().join("surf-measured.toml")).unwrap();
    let options = plenum_run::calibrate::Options { fit: "0d..2d".into(), rolling: Some("1d".into()) };
    let calibrated =
        plenum_run::calibrate::calibrate(&scenario, &plenum_run::limits_from_env().unwrap(), &options, None)
            .unwrap_or_else(|e| panic!("{e:#}"));
    let summary = calibrated.run.summary();
    let calibration = summary.calibration.as_ref().expect("a calibration");
    assert!(calibration.fit.is_some() && calibration.params.is_some() && calibration.rolling.is_some());
    let problems = check("calibrate surf-measured", &summary, &Summary::json_schema());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_key_the_types_do_not_declare_fails_both_checks() {
    let schema = Summary::json_schema();
    let summary = plenum_run::run(&Scenario::embedded_default()).unwrap().summary();
    let mut value = summary.to_value();
    value["carbon"]["undeclared_t"] = serde_json::json!(1.0);
    let mut problems = Vec::new();
    validate(&schema, &schema, &value, &mut String::new(), &mut problems);
    assert_eq!(problems, [".carbon.undeclared_t: not in the schema"]);
    let e = serde_json::from_value::<Summary>(value).unwrap_err();
    assert!(e.to_string().contains("unknown field `undeclared_t`"), "{e}");
    let mut value = summary.to_value();
    value.as_object_mut().unwrap().insert("tiers".into(), serde_json::json!({}));
    let mut problems = Vec::new();
    validate(&schema, &schema, &value, &mut String::new(), &mut problems);
    assert_eq!(problems, [".tiers: not in the schema"]);
    assert!(serde_json::from_value::<Summary>(value).is_err());
}
