#![no_main]
//! The `icp_number` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::IcpNumber, value));
