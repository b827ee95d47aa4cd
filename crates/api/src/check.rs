//! The public check API: no login, JSON in, JSON out. Each function takes an optional
//! `as_of` date (`YYYY-MM-DD`, default: today on the server) and runs the rules crate.

use beian_rules::application::Application;
use beian_rules::eligibility::{InstanceEligibility, NeedAnswer, NeedQuestions};
use beian_rules::ids::{FieldContext, FieldKind};
use beian_rules::path::{PathAnswer, PathQuestions};
use beian_rules::requirements::Requirements;
use beian_rules::types::{FilingPath, Instance, Province, SubjectType};
use beian_rules::Finding;
use chrono::NaiveDate;
use leptos::prelude::*;
use crate::codec::Json;
use crate::error::ApiError;
use serde::{Deserialize, Serialize};

/// Today on the server, unless the caller asks about another day.
#[cfg(feature = "ssr")]
fn day(as_of: Option<NaiveDate>) -> NaiveDate {
    as_of.unwrap_or_else(crate::today)
}

/// The answer of `validate_field` and `validate_application`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    /// No finding is an error.
    pub valid: bool,
    /// At most `MAX_FINDINGS` findings, errors first.
    pub findings: Vec<Finding>,
    /// How many findings there were beyond those.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more: usize,
    pub as_of: NaiveDate,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Validation {
    /// The answer for `findings`: valid when none is an error; at most `MAX_FINDINGS` of them
    /// (errors first, in their order), with the count of the rest.
    pub fn of(mut findings: Vec<Finding>, as_of: NaiveDate) -> Validation {
        let valid = beian_rules::problem::passes(&findings);
        let more = cap_findings(&mut findings);
        Validation { valid, findings, more, as_of }
    }
}

/// Keeps at most `MAX_FINDINGS` findings, errors before warnings, each in its order; returns
/// how many were left out.
pub fn cap_findings(findings: &mut Vec<Finding>) -> usize {
    let max = beian_rules::application::MAX_FINDINGS;
    if findings.len() <= max {
        return 0;
    }
    findings.sort_by_key(|f| f.severity);
    let more = findings.len() - max;
    findings.truncate(max);
    more
}

/// `POST /api/check_instance`: is this instance eligible, and how many service codes are left.
#[server(prefix = "/api", endpoint = "check_instance", input = Json)]
pub async fn check_instance(instance: Instance, as_of: Option<NaiveDate>) -> Result<InstanceEligibility, ApiError> {
    Ok(beian_rules::check_instance(&instance, &crate::policy(), day(as_of)))
}

/// `POST /api/need_filing`: is a filing needed at all.
#[server(prefix = "/api", endpoint = "need_filing", input = Json)]
pub async fn need_filing(questions: NeedQuestions, as_of: Option<NaiveDate>) -> Result<NeedAnswer, ApiError> {
    Ok(beian_rules::need_filing(questions, day(as_of)))
}

/// `POST /api/determine_path`: the filing path and what blocks it.
#[server(prefix = "/api", endpoint = "determine_path", input = Json)]
pub async fn determine_path(questions: PathQuestions, as_of: Option<NaiveDate>) -> Result<PathAnswer, ApiError> {
    Ok(beian_rules::determine_path(questions, day(as_of)))
}

/// `POST /api/validate_field`: one field's findings.
#[server(prefix = "/api", endpoint = "validate_field", input = Json)]
pub async fn validate_field(
    field: FieldKind,
    value: String,
    context: Option<FieldContext>,
    as_of: Option<NaiveDate>,
) -> Result<Validation, ApiError> {
    let date = day(as_of);
    Ok(Validation::of(beian_rules::validate_field(field, &value, &context.unwrap_or_default(), date), date))
}

/// `POST /api/requirements`: documents, verification steps and review estimates.
#[server(name = GetRequirements, prefix = "/api", endpoint = "requirements", input = Json)]
pub async fn requirements(
    province: Province,
    subject_type: SubjectType,
    path: FilingPath,
    as_of: Option<NaiveDate>,
) -> Result<Requirements, ApiError> {
    Ok(beian_rules::requirements(province, subject_type, path, day(as_of)))
}

/// `POST /api/validate_application`: every problem of a whole application, by field path.
#[server(prefix = "/api", endpoint = "validate_application", input = Json)]
pub async fn validate_application(application: Application, as_of: Option<NaiveDate>) -> Result<Validation, ApiError> {
    let date = day(as_of);
    beian_rules::application::within_bounds(&application, date).map_err(|f| ApiError::from_finding(&f))?;
    Ok(Validation::of(beian_rules::validate_application(&application, date), date))
}
