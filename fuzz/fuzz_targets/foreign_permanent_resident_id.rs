#![no_main]
//! The `foreign_permanent_resident_id` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::ForeignPermanentResidentId, value));
