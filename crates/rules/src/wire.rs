//! The stable string form of the crate's enums (`"first_filing"`, `"resident_id"`), as serde
//! writes them: one place for the API, the store, the corpus reports and the app's selects.

use serde::{Deserialize, Serialize};

/// The wire name of an enum value (`FilingPath::FirstFiling` → `"first_filing"`); empty for a
/// value that does not serialise to a string.
pub fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The enum value of a wire name.
pub fn parse<T: for<'de> Deserialize<'de>>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}
