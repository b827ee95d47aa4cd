#![no_main]
//! The `resident_id` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::ResidentId, value));
