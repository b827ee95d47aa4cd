#![no_main]
//! The `service_code` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::ServiceCode, value));
