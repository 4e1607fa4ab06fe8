//! How summary figures are written and read as JSON, for every section type
//! of the summary ([`crate::summary::Summary`]): name-ordered maps
//! ([`Named`]), cost lines with their total ([`lines_with_total`]), +∞ written
//! as `null` ([`null_as_infinity`]) and a field that may be `null`
//! ([`present`]). A leaf: it knows no section.

use schemars::JsonSchema;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

/// Named values in a meaningful order (power-chain stages from the utility
/// down, plan sites as the scenario lists them): a JSON object whose keys
/// keep that order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Named<V>(pub Vec<(String, V)>);

impl<V> From<Vec<(String, V)>> for Named<V> {
    fn from(items: Vec<(String, V)>) -> Named<V> {
        Named(items)
    }
}

impl<V> FromIterator<(String, V)> for Named<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(items: I) -> Named<V> {
        Named(items.into_iter().collect())
    }
}

impl<'a, V> IntoIterator for &'a Named<V> {
    type Item = &'a (String, V);
    type IntoIter = std::slice::Iter<'a, (String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<V> std::ops::Deref for Named<V> {
    type Target = Vec<(String, V)>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<V> Named<V> {
    /// The value named `name`.
    pub fn get(&self, name: &str) -> Option<&V> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl<V: Serialize> Serialize for Named<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Named<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Named<V>, D::Error> {
        struct Visitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visitor<V> {
            type Value = Named<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Named<V>, A::Error> {
                let mut items = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    items.push(entry);
                }
                Ok(Named(items))
            }
        }
        d.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for Named<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<String, V>>::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, V>>::json_schema(generator)
    }
}

/// A figure that is +∞ when unbounded: JSON has no infinity, so it is
/// written as `null` (serde_json's rendering of a non-finite number) and read
/// back as +∞.
pub fn null_as_infinity<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}

/// A field present as a value or `null` and absent otherwise (`Some(None)` is `null`).
pub fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Cost lines as an object of every line and `total` (the sum), in
/// [`CostLines::NAMES`](plenum_models::finance::CostLines::NAMES) order.
pub mod lines_with_total {
    use plenum_models::finance::CostLines;
    use serde::ser::SerializeMap;

    /// Every line, then `total`.
    pub fn serialize<S: serde::Serializer>(lines: &CostLines, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(CostLines::NAMES.len() + 1))?;
        for (name, value) in CostLines::NAMES.iter().zip(lines.values()) {
            map.serialize_entry(name, &value)?;
        }
        map.serialize_entry("total", &lines.total())?;
        map.end()
    }

    /// Every line (all required, nothing else); `total` is required and
    /// recomputed from the lines.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CostLines, D::Error> {
        use serde::de::Error;
        let map: crate::json_forms::Named<f64> = serde::Deserialize::deserialize(d)?;
        let mut values = [None; 7];
        let mut total = false;
        for (name, value) in map.0 {
            match CostLines::NAMES.iter().position(|n| *n == name) {
                Some(i) => values[i] = Some(value),
                None if name == "total" => total = true,
                None => return Err(D::Error::unknown_field(&name, &CostLines::NAMES)),
            }
        }
        if !total {
            return Err(D::Error::missing_field("total"));
        }
        let mut lines = [0.0; 7];
        for (i, value) in values.into_iter().enumerate() {
            lines[i] = value.ok_or_else(|| D::Error::missing_field(CostLines::NAMES[i]))?;
        }
        Ok(CostLines::from_values(lines))
    }

    /// An object with a number for every line and `total`, nothing else.
    pub fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = CostLines::NAMES.iter().copied().chain(["total"]).collect();
        let properties: serde_json::Map<String, serde_json::Value> =
            names.iter().map(|n| (n.to_string(), serde_json::json!({"type": "number"}))).collect();
        schemars::json_schema!({
            "type": "object",
            "properties": properties,
            "required": names,
            "additionalProperties": false,
        })
    }
}
