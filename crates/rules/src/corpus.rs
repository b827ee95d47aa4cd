//! The test corpus runner. The corpus is data (`crates/rules/corpus/*.json`): each case has
//! an input and the expected report. The same runner runs natively (`cargo test`) and in wasm
//! inside headless Chromium, so both must produce exactly the expected reports.
//!
//! A report is a small JSON value chosen to say what matters for the case: the codes and
//! fields of the findings, the path and its blockers, the documents and verification steps.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::application::{Application, CodeQuota, check_service_codes, validate_application};
use crate::eligibility::{NeedQuestions, ProviderPolicy, check_instance, need_filing};
use crate::ids::{FieldContext, FieldKind, validate_field};
use crate::path::{PathQuestions, determine_path};
use crate::problem::Finding;
use crate::requirements::{public_security_deadline, requirements};
use crate::types::{FilingPath, Instance, Province, SubjectType};

/// One corpus case.
#[derive(Clone, Debug, Deserialize)]
pub struct Case {
    pub name: String,
    pub as_of: NaiveDate,
    /// The source the case checks the crate against (newer cases cite one each).
    #[serde(default)]
    pub source: String,
    #[serde(flatten)]
    pub input: Input,
    pub expect: Value,
}

/// What a case checks.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum Input {
    Field {
        kind: FieldKind,
        value: String,
        #[serde(default)]
        context: FieldContext,
    },
    Need { questions: NeedQuestions },
    Instance {
        instance: Instance,
        #[serde(default)]
        policy: Option<ProviderPolicy>,
    },
    Path { questions: PathQuestions },
    Requirements { province: Province, subject_type: SubjectType, path: FilingPath },
    Application { application: Box<Application> },
    /// An application's service codes against what the store knows of the instance's codes.
    ServiceCodes { application: Box<Application>, quota: CodeQuota },
    /// The public security filing's deadline for a website that went live on `went_live`.
    PublicSecurity { path: FilingPath, went_live: NaiveDate },
}

fn codes(findings: &[Finding]) -> Value {
    Value::Array(
        findings
            .iter()
            .map(|f| {
                if f.field.is_empty() {
                    json!(f.code.as_str())
                } else {
                    json!(format!("{}@{}", f.code.as_str(), f.field))
                }
            })
            .collect(),
    )
}

/// The report for a case's input.
pub fn report(case: &Case) -> Value {
    let date = case.as_of;
    match &case.input {
        Input::Field { kind, value, context } => codes(&validate_field(*kind, value, context, date)),
        Input::Need { questions } => {
            let a = need_filing(*questions, date);
            let mut report = json!({
                "filing_needed": a.filing_needed,
                "reason": a.reason.code.as_str(),
                "commercial_license": a.commercial_license.is_some(),
            });
            with_notes(&mut report, &a.notes);
            report
        }
        Input::Instance { instance, policy } => {
            let policy = policy.clone().unwrap_or_default();
            let e = check_instance(instance, &policy, date);
            json!({ "eligible": e.eligible, "codes": codes(&e.findings), "service_codes_left": e.service_codes_left })
        }
        Input::Path { questions } => {
            let a = determine_path(*questions, date);
            let mut report = json!({ "path": a.path.as_str(), "reason": a.reason.code.as_str(), "blockers": codes(&a.blockers) });
            with_notes(&mut report, &a.notes);
            report
        }
        Input::Requirements { province, subject_type, path } => {
            let r = requirements(*province, *subject_type, *path, date);
            let docs: Vec<Value> = r
                .documents
                .iter()
                .map(|d| match d.condition {
                    None => json!(d.document),
                    Some(c) => json!(format!(
                        "{}?{}",
                        crate::wire::name(&d.document),
                        crate::wire::name(&c)
                    )),
                })
                .collect();
            let verification: Vec<Value> = r
                .verification
                .iter()
                .map(|v| match v.deadline_hours {
                    Some(h) => json!(format!("{}:{}h", crate::wire::name(&v.step), h)),
                    None => json!(v.step),
                })
                .collect();
            let verifiers: Vec<Value> = r
                .verification
                .iter()
                .filter(|v| v.step == crate::types::VerificationStep::SmsVerification)
                .map(|v| json!(v.verifier))
                .collect();
            json!({
                "documents": docs,
                "verification": verification,
                "sms_verifiers": verifiers,
                "notes": codes(&r.notes),
                "review": r.review.map(|e| json!([e.authority_min_working_days, e.authority_max_working_days, e.earliest_decision, e.latest_decision])),
                "max_websites_per_order": r.max_websites_per_order,
                "pre_approval": r.pre_approval,
                "other_rules": r.other_rules,
            })
        }
        Input::Application { application } => codes(&validate_application(application, date)),
        Input::ServiceCodes { application, quota } => codes(&check_service_codes(application, quota)),
        Input::PublicSecurity { path, went_live } => match public_security_deadline(*path, *went_live) {
            Some(d) => json!({ "due": d.due, "days": d.days, "rule": d.rule }),
            None => Value::Null,
        },
    }
}

/// Adds `notes` to a report only when there are some, so that most expectations stay short.
fn with_notes(report: &mut Value, notes: &[Finding]) {
    if !notes.is_empty()
        && let Value::Object(map) = report
    {
        map.insert("notes".into(), codes(notes));
    }
}

/// Compares a report with the expectation. Requirements cases may give only some keys (the
/// others are not checked); every other report must match exactly.
pub fn matches(case: &Case, actual: &Value) -> bool {
    match (&case.input, &case.expect, actual) {
        (Input::Requirements { .. }, Value::Object(expected), Value::Object(actual)) => {
            expected.iter().all(|(k, v)| actual.get(k).is_some_and(|a| requirement_matches(k, v, a)))
        }
        _ => &case.expect == actual,
    }
}

/// Document, verification and other-rule lists in expectations are sets: every expected item must be
/// there, and, unless the list ends with "…", nothing else.
fn requirement_matches(key: &str, expected: &Value, actual: &Value) -> bool {
    match (key, expected, actual) {
        ("documents" | "verification" | "other_rules", Value::Array(e), Value::Array(a)) => {
            let open = e.last().is_some_and(|v| v == "…");
            let wanted: Vec<&Value> = e.iter().filter(|v| *v != "…").collect();
            wanted.iter().all(|w| a.contains(w)) && (open || a.len() == wanted.len())
        }
        _ => expected == actual,
    }
}

/// Parses a corpus file (`{"cases": [...]}`).
pub fn parse_file(text: &str) -> Result<Vec<Case>, String> {
    #[derive(Deserialize)]
    struct File {
        cases: Vec<Case>,
    }
    serde_json::from_str::<File>(text).map(|f| f.cases).map_err(|e| e.to_string())
}

/// Runs every case of a corpus file; returns the names (and reports) of the cases that fail.
pub fn run_file(text: &str) -> Result<(usize, Vec<String>), String> {
    let cases = parse_file(text)?;
    let mut failures = Vec::new();
    for case in &cases {
        let actual = report(case);
        if !matches(case, &actual) {
            failures.push(format!("{}: expected {} got {}", case.name, case.expect, actual));
        }
    }
    Ok((cases.len(), failures))
}

/// Runs the embedded corpus file `name`: `Err` lists the cases whose report differs (or says
/// the file is missing, malformed or empty). The native and the wasm tests both call this.
pub fn check_named(name: &str) -> Result<usize, String> {
    let (_, text) = FILES.iter().find(|(n, _)| *n == name).ok_or_else(|| format!("no corpus file {name}"))?;
    let (count, failures) = run_file(text).map_err(|e| format!("{name}: {e}"))?;
    if count == 0 {
        return Err(format!("{name} holds no case"));
    }
    if !failures.is_empty() {
        return Err(format!("{name}: {} of {count} cases differ:\n{}", failures.len(), failures.join("\n")));
    }
    Ok(count)
}

/// The corpus files, embedded so that the wasm test runs the same data.
pub const FILES: &[(&str, &str)] = &[
    ("fields.json", include_str!("../corpus/fields.json")),
    ("eligibility.json", include_str!("../corpus/eligibility.json")),
    ("paths.json", include_str!("../corpus/paths.json")),
    ("requirements.json", include_str!("../corpus/requirements.json")),
    ("applications.json", include_str!("../corpus/applications.json")),
];
