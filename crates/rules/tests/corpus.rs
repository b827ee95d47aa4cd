//! Runs the data-file corpus (`corpus/*.json`): every case's report must equal the expected
//! one. The wasm parity test runs the same files in headless Chromium.

use beian_rules::corpus::check_named;

fn run(name: &str) {
    if let Err(problems) = check_named(name) {
        panic!("{problems}");
    }
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
