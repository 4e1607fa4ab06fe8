//! Either/or keys of the scenario format as enums, so that the JSON Schema
//! lists every allowed word (editors complete them) and a misspelt word is
//! caught by the schema check, with its "did you mean", in one place
//! ([`crate::check`]).
//!
//! [`choice!`](crate::raw::choice) declares such an enum from its words:
//! each variant is written in the file exactly as given, and the variants
//! carry no doc comments so the schema is a plain `enum` list of names (the
//! enum's own doc comment, and the key's, say what each word means).
//!
//! Choices whose words are data rather than code (built-in climates, grids,
//! embedded scenarios) stay strings in the raw types and get their `enum`
//! list from the tables that define them ([`builtin_climate`],
//! [`builtin_grid`], [`embedded_scenario`]).

/// Declare a choice: `choice! { /// doc \n pub enum Name { Variant = "word", ... } }`.
///
/// The enum gets serde and JsonSchema derives that read and list exactly the
/// words given, `as_str` (the word), `ALL` (every variant in order) and
/// `Display` (the word, for messages).
macro_rules! choice {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[allow(missing_docs)] // plain names in the schema; the enum's doc says what they mean
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, schemars::JsonSchema,
        )]
        pub enum $name {
            $( #[serde(rename = $word)] $variant ),+
        }

        impl $name {
            /// Every choice, in the order the schema lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word a scenario file writes for this choice.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use choice;

use schemars::{Schema, SchemaGenerator, json_schema};

/// A string that must be one of `names` (the schema's `enum`).
fn one_of_names(names: &[&str]) -> Schema {
    json_schema!({ "type": "string", "enum": names })
}

/// Schema of a built-in climate's name (`plenum_models::climate`).
pub fn builtin_climate(_: &mut SchemaGenerator) -> Schema {
    one_of_names(&plenum_models::climate::site_keys())
}

/// Schema of a built-in grid's name (`plenum_models::carbon`).
pub fn builtin_grid(_: &mut SchemaGenerator) -> Schema {
    one_of_names(&plenum_models::carbon::grid_keys())
}

/// Schema of an embedded scenario's name ([`crate::embedded`]).
pub fn embedded_scenario(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = crate::embedded::SCENARIOS.iter().map(|(name, _)| *name).collect();
    one_of_names(&names)
}

choice! {
    /// How a server's power follows its utilization u, from idle (u = 0) to
    /// peak (u = 1): `linear`; `fwb`, Fan–Weber–Barroso `2u − u^r` (X. Fan,
    /// W.-D. Weber, L. A. Barroso, ISCA 2007; r = `power_exponent`, 1.4 by
    /// default); `sqrt`, `square`, `cubic` (u^0.5, u², u³, OpenDC's models);
    /// `power` (u^`power_exponent`); `table` (watts at 0%, 10%, …, 100% in
    /// `power_table_w`, `[[servers]]` only). The same words in `[[servers]]`
    /// and `[workload]`.
    pub enum PowerModel {
        Linear = "linear",
        Fwb = "fwb",
        Sqrt = "sqrt",
        Square = "square",
        Cubic = "cubic",
        Power = "power",
        Table = "table",
    }
}

impl PowerModel {
    /// The exponent the model fixes (sqrt 0.5, square 2, cubic 3), if any.
    pub fn fixed_exponent(self) -> Option<f64> {
        match self {
            PowerModel::Sqrt => Some(0.5),
            PowerModel::Square => Some(2.0),
            PowerModel::Cubic => Some(3.0),
            _ => None,
        }
    }

    /// Whether `power_exponent` applies (r of `fwb`, e of `power`).
    pub fn takes_exponent(self) -> bool {
        matches!(self, PowerModel::Fwb | PowerModel::Power)
    }
}

choice! {
    /// A design preset of the power chain or the cooling plant: `modern` or `legacy`.
    pub enum Preset {
        Modern = "modern",
        Legacy = "legacy",
    }
}

impl Default for Preset {
    /// `modern`, the default of `[power_chain]` and `[cooling]`.
    fn default() -> Preset {
        Preset::Modern
    }
}

choice! {
    /// A fraction (0..1) or a percentage (0..100).
    pub enum FractionUnit {
        Fraction = "fraction",
        Percent = "percent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_through_serde_and_the_schema() {
        for model in PowerModel::ALL {
            let text = serde_json::to_value(model).unwrap();
            assert_eq!(text, serde_json::Value::String(model.as_str().into()));
            let back: PowerModel = serde_json::from_value(text).unwrap();
            assert_eq!(back, *model);
        }
        let schema = serde_json::to_value(schemars::schema_for!(PowerModel)).unwrap();
        let words: Vec<&str> = schema["enum"].as_array().unwrap().iter().filter_map(|w| w.as_str()).collect();
        assert_eq!(words, ["linear", "fwb", "sqrt", "square", "cubic", "power", "table"]);
    }
}
