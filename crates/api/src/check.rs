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
    #[serde(serialize_with = "date_text")]
    pub as_of: NaiveDate,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A date as chrono writes it (`2026-11-22`; a year outside 0–9999 with its sign), the usual
/// years written digit by digit: chrono's formatting machinery was a tenth of the cost of
/// encoding an answer.
fn date_text<S: serde::Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    use chrono::Datelike;
    let Ok(year) = u32::try_from(date.year()) else { return serializer.collect_str(&format_args!("{date:?}")) };
    if year > 9999 {
        return serializer.collect_str(&format_args!("{date:?}"));
    }
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let (month, day) = (date.month(), date.day());
    let text = [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    serializer.serialize_str(std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?)
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn an_answer_writes_its_date_as_chrono_does() {
        let days = [
            Some(NaiveDate::MIN),
            Some(NaiveDate::MAX),
            NaiveDate::from_ymd_opt(-1, 12, 31),
            NaiveDate::from_ymd_opt(0, 1, 1),
            NaiveDate::from_ymd_opt(9, 2, 3),
            NaiveDate::from_ymd_opt(2026, 11, 22),
            NaiveDate::from_ymd_opt(2000, 2, 29),
            NaiveDate::from_ymd_opt(9999, 12, 31),
            NaiveDate::from_ymd_opt(10000, 1, 1),
        ];
        for day in days.into_iter().flatten() {
            let answer = super::Validation::of(Vec::new(), day);
            let ours = serde_json::to_value(&answer).unwrap_or_default();
            assert_eq!(ours["as_of"], serde_json::to_value(day).unwrap_or_default(), "{day:?}");
            let back: super::Validation = serde_json::from_value(ours).unwrap_or_else(|e| panic!("{day:?}: {e}"));
            assert_eq!(back.as_of, day);
        }
    }
}
