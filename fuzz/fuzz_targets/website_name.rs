#![no_main]
//! The `website_name` validator.
libfuzzer_sys::fuzz_target!(|value: &str| beian_fuzz::field(beian_rules::FieldKind::WebsiteName, value));
