//! The rules crate's corpus (`crates/rules/corpus/*.json`) run in wasm in headless Chromium:
//! every report must be exactly the expected one, which the native run checks too — so the
//! browser and the server give the same answers.

use beian_rules::corpus::check_named;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn run(name: &str) {
    if let Err(problems) = check_named(name) {
        panic!("{problems}");
    }
}

#[wasm_bindgen_test]
fn fields_in_wasm() {
    run("fields.json");
}

#[wasm_bindgen_test]
fn eligibility_in_wasm() {
    run("eligibility.json");
}

#[wasm_bindgen_test]
fn paths_in_wasm() {
    run("paths.json");
}

#[wasm_bindgen_test]
fn requirements_in_wasm() {
    run("requirements.json");
}

#[wasm_bindgen_test]
fn applications_in_wasm() {
    run("applications.json");
}
