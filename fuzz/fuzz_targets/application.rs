#![no_main]
//! The application's decoder and `validate_application` (what `/api/validate_application`
//! and `save_draft` run on a body).
libfuzzer_sys::fuzz_target!(|bytes: &[u8]| beian_fuzz::application(bytes));
