#![no_main]
//! The `mobile` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::Mobile, value));
