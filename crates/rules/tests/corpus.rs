//! Runs the data-file corpus (`corpus/*.json`): every case's report must equal the expected
//! one. The wasm parity test runs the same files in headless Chromium.

use beian_rules::corpus::{FILES, run_file};

fn run(name: &str) {
    let (_, text) = FILES.iter().find(|(n, _)| *n == name).copied().unwrap_or(("", ""));
    let (count, failures) = run_file(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(count > 0, "{name} holds no case");
    assert!(failures.is_empty(), "{name}: {} of {count} cases fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn fields() {
    run("fields.json");
}

#[test]
fn eligibility() {
    run("eligibility.json");
}

#[test]
fn paths() {
    run("paths.json");
}

#[test]
fn requirements() {
    run("requirements.json");
}

#[test]
fn applications() {
    run("applications.json");
}
