//! The build script that turns `data/*.toml` into the pack's Rust data: what it writes for an
//! entry, and that every kind of malformed entry stops the build with its file and its entry.

#[allow(dead_code)]
#[path = "../build.rs"]
mod build_script;

use build_script::{Schema, pack};

fn schema() -> Schema {
    let texts = [include_str!("../src/pack.rs").to_owned(), include_str!("../src/types.rs").to_owned()];
    match Schema::read(&texts) {
        Ok(schema) => schema,
        Err(e) => panic!("the schema does not read: {e}"),
    }
}

const ENTRY: &str = r#"
[[rule]]
id = "sms.example"
kind = "sms_verification"
hours = 24
verifier = "both_principals"
provinces = ["CN-TJ", "CN-GS"]
paths = ["first_filing"]
effective_from = "2020-08-17"
source = "An example source, 2020"
choice = "Why"
"#;

fn generate(text: &str, wasm: bool) -> Result<String, String> {
    pack(&schema(), &[("sms".to_owned(), text.to_owned())], wasm)
}

#[test]
fn an_entry_becomes_a_rule_of_static_data() {
    let code = generate(ENTRY, false).unwrap_or_else(|e| e);
    let want = r#"    Rule {
        id: "sms.example",
        file: "sms",
        source: "An example source, 2020",
        source_zh: None,
        effective_from: date(2020, 8, 17, "data/sms.toml, rule `sms.example`: `effective_from`: 2020-08-17 is not a day"),
        effective_until: None,
        provinces: &[Province::Tianjin, Province::Gansu],
        subject_types: &[],
        paths: &[FilingPath::FirstFiling],
        choice: Some("Why"),
        effect: Effect::SmsVerification { hours: 24, verifier: Verifier::BothPrincipals },
    },
"#;
    assert!(code.contains(want), "{code}");
}

#[test]
fn the_wasm_build_leaves_choices_out() {
    let code = generate(ENTRY, true).unwrap_or_else(|e| e);
    assert!(code.contains("choice: None,") && !code.contains("Why"), "{code}");
}

#[test]
fn a_malformed_entry_stops_the_build_naming_its_file_and_entry() {
    let at = "data/sms.toml, rule `sms.example`";
    for (from, to, error) in [
        ("kind = \"sms_verification\"", "kind = \"sms_verificaton\"", format!("{at}: unknown kind `sms_verificaton`")),
        ("verifier = \"both_principals\"", "verifier = \"both\"", format!("{at}: `verifier`: `both` is not a Verifier")),
        ("\"CN-GS\"", "\"CN-XX\"", format!("{at}: `provinces`: `CN-XX` is not a Province")),
        ("\"first_filing\"", "\"first\"", format!("{at}: `paths`: `first` is not a FilingPath")),
        ("hours = 24", "hours = \"24\"", format!("{at}: `hours` is not a whole number")),
        ("hours = 24", "hours = -1", format!("{at}: `hours` is not a whole number")),
        ("hours = 24\n", "", format!("{at}: no `hours`")),
        ("hours = 24", "hours = 24\nminutes = 5", format!("{at}: `minutes` is not a field of kind `sms_verification`")),
        ("\"2020-08-17\"", "\"2020-8-17\"", format!("{at}: `effective_from` is not a date written YYYY-MM-DD")),
        ("effective_from = \"2020-08-17\"\n", "", format!("{at}: no `effective_from`")),
        ("source = \"An example source, 2020\"\n", "", format!("{at}: no `source`")),
        ("paths = [\"first_filing\"]", "paths = \"first_filing\"", format!("{at}: `paths` is not a list")),
        ("kind = \"sms_verification\"\n", "", format!("{at}: no `kind`")),
        ("id = \"sms.example\"\n", "", "data/sms.toml, rule 1: no `id`".to_owned()),
        ("[[rule]]", "[[rules]]", "data/sms.toml: `rules` at the top level".to_owned()),
        ("hours = 24", "hours = ", "data/sms.toml: TOML parse error".to_owned()),
    ] {
        assert!(ENTRY.contains(from), "{from}");
        let got = generate(&ENTRY.replacen(from, to, 1), false);
        assert!(got.as_ref().is_err_and(|e| e.starts_with(&error)), "{from} → {to}: {got:?}");
    }
    let twice = format!("{ENTRY}{ENTRY}");
    assert_eq!(generate(&twice, false), Err(format!("{at}: the id is used in data/sms.toml too")));
}

/// A day that does not exist is written as it is: `date` stops the build in const evaluation
/// with the label (the compiler's own check, which a test cannot run).
#[test]
fn a_day_that_does_not_exist_is_left_to_const_evaluation() {
    let code = generate(&ENTRY.replacen("2020-08-17", "2019-02-30", 1), false).unwrap_or_else(|e| e);
    assert!(code.contains(r#"date(2019, 2, 30, "data/sms.toml, rule `sms.example`: `effective_from`: 2019-02-30 is not a day")"#), "{code}");
}
