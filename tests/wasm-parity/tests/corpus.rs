//! The rules crate's corpus (`crates/rules/corpus/*.json`) run in wasm in headless Chromium:
//! every report must be exactly the expected one, which the native run checks too — so the
//! browser and the server give the same answers.

use beian_rules::corpus::{FILES, run_file};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn run(name: &str) {
    let (_, text) = FILES.iter().find(|(n, _)| *n == name).copied().unwrap_or(("", ""));
    let (count, failures) = run_file(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(count > 0, "{name} holds no case");
    assert!(failures.is_empty(), "{name}: {} of {count} cases differ in wasm:\n{}", failures.len(), failures.join("\n"));
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
