#![no_main]
//! The `uscc` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::Uscc, value));
