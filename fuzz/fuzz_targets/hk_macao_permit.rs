#![no_main]
//! The `hk_macao_permit` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::HkMacaoPermit, value));
