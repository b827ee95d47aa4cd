//! What every fuzz target runs: a validator (or the application's decoder and validator) on
//! the fuzzer's input, on days across the rule packs' history and at the ends of the calendar,
//! with the contexts the app gives. A panic, an overflow or an endless loop is a finding.

use beian_rules::{Application, FieldContext, FieldKind, Province, SubjectType, validate_field};
use chrono::NaiveDate;

/// The days every input is checked on.
pub fn days() -> [NaiveDate; 5] {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    [day(2018, 6, 15), day(2020, 8, 17), day(2026, 11, 30), NaiveDate::MIN, NaiveDate::MAX]
}

/// Checks `value` as a field of `kind`, without and with a province and subject type.
pub fn field(kind: FieldKind, value: &str) {
    let contexts = [
        FieldContext::default(),
        FieldContext { province: Some(Province::Jiangsu), subject_type: Some(SubjectType::Individual), domain: Some(value.to_owned()) },
        FieldContext { province: Some(Province::Beijing), subject_type: Some(SubjectType::Enterprise), domain: None },
    ];
    for day in days() {
        for context in &contexts {
            let _ = validate_field(kind, value, context, day);
        }
    }
}

/// Decodes `bytes` as the API does and validates what decodes.
pub fn application(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let Ok(app) = serde_json::from_str::<Application>(text) else { return };
    for day in days() {
        if beian_rules::application::within_bounds(&app, day).is_ok() {
            let _ = beian_rules::validate_application(&app, day);
            let _ = beian_rules::application::required_documents(&app, day);
        }
    }
}
