#![no_main]
//! The `taiwan_residence_permit` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::TaiwanResidencePermit, value));
