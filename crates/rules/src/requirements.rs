//! What a filing needs for a province × subject type × path on a date: documents (and the
//! conditions of the conditional ones), verification steps with deadlines, review estimates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::pack::{self, Check, Condition, Effect, Rule, Scope};
use crate::problem::Finding;
use crate::types::{ContentCategory, DocumentKind, FilingPath, Province, SubjectType, VerificationStep, Verifier};
use crate::workdays::add_working_days;

/// A document to upload or a form to sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRequirement {
    pub document: DocumentKind,
    /// None: always; otherwise only when the condition holds.
    pub condition: Option<Condition>,
    pub threshold: Option<u32>,
    /// The rule pack entry (cite it with [`crate::pack::rule`]).
    pub rule: String,
}

/// A verification step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRequirement {
    pub step: VerificationStep,
    pub verifier: Verifier,
    /// Hours allowed, for SMS verification.
    pub deadline_hours: Option<u32>,
    pub rule: String,
}

/// Review-time estimate in working days, and as dates from the submission day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEstimate {
    pub provider_working_days: u32,
    pub authority_min_working_days: u32,
    pub authority_max_working_days: u32,
    /// Earliest and latest dates of the administration's decision if submitted on the date asked.
    pub earliest_decision: NaiveDate,
    pub latest_decision: NaiveDate,
    /// False when a year between the submission day and the latest decision has no holiday
    /// schedule in [`crate::workdays::SCHEDULES`]: the dates then skip weekends only.
    #[serde(default)]
    pub holidays_counted: bool,
    pub rules: Vec<String>,
}

/// Everything a filing needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    pub province: Province,
    pub subject_type: SubjectType,
    pub path: FilingPath,
    pub as_of: NaiveDate,
    pub documents: Vec<DocumentRequirement>,
    pub verification: Vec<VerificationRequirement>,
    pub review: Option<ReviewEstimate>,
    /// Websites allowed in one order (None: no cap known).
    pub max_websites_per_order: Option<u32>,
    /// Content categories that need a pre-approval licence here and now.
    pub pre_approval: Vec<ContentCategory>,
    /// Every other rule in force that the applicant should know (ages, non-local people,
    /// local mobiles, principals, the domain's registration, DNS before approval, the public
    /// security filing), by id.
    pub other_rules: Vec<String>,
    /// About the answer itself: the date is before the sources reach (`rules.before_sources`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Finding>,
}

/// The requirements on `date`.
pub fn requirements(province: Province, subject_type: SubjectType, path: FilingPath, date: NaiveDate) -> Requirements {
    let scope = Scope { province: Some(province), subject: Some(subject_type), path: Some(path) };
    let active: Vec<&Rule> = pack::active(date, scope).collect();
    from_rules(province, subject_type, path, date, &active)
}

/// The requirements made of `active`, the rules in force on `date` for this province, subject
/// type and path (for a caller that has looked them up already).
pub(crate) fn from_rules(
    province: Province,
    subject_type: SubjectType,
    path: FilingPath,
    date: NaiveDate,
    active: &[&Rule],
) -> Requirements {
    let mut out = Requirements {
        province,
        subject_type,
        path,
        as_of: date,
        documents: Vec::new(),
        verification: Vec::new(),
        review: None,
        max_websites_per_order: None,
        pre_approval: Vec::new(),
        other_rules: Vec::new(),
        notes: pack::before_sources(Check::Requirements, date).into_iter().collect(),
    };
    if !province.is_mainland() || !path.has_order() {
        return out;
    }
    let (mut provider_days, mut authority) = (None, None);
    // Who answers the SMS on this path, where a rule says.
    let sms_verifier = active.iter().find_map(|r| match r.effect {
        Effect::SmsVerifier { verifier } => Some(verifier),
        _ => None,
    });
    for rule in active {
        match &rule.effect {
            Effect::Document { document, condition, threshold } => {
                // An individual's subject certificate is the principal's ID: ask once.
                let duplicate = subject_type == SubjectType::Individual && *document == DocumentKind::SubjectPrincipalId;
                if !duplicate {
                    out.documents.push(DocumentRequirement {
                        document: *document,
                        condition: *condition,
                        threshold: *threshold,
                        rule: rule.id.to_owned(),
                    });
                }
            }
            Effect::SmsVerification { hours, verifier } => out.verification.push(VerificationRequirement {
                step: VerificationStep::SmsVerification,
                verifier: sms_verifier.unwrap_or(*verifier),
                deadline_hours: Some(*hours),
                rule: rule.id.to_owned(),
            }),
            Effect::Verification { step, verifier } => out.verification.push(VerificationRequirement {
                step: *step,
                verifier: *verifier,
                deadline_hours: None,
                rule: rule.id.to_owned(),
            }),
            Effect::MaxWebsitesPerOrder { max } => {
                out.max_websites_per_order = Some(out.max_websites_per_order.map_or(*max, |m| m.min(*max)));
                out.other_rules.push(rule.id.to_owned());
            }
            Effect::ProviderReview { working_days } => provider_days = Some((*working_days, rule.id)),
            Effect::AuthorityReview { min_working_days, max_working_days } => {
                authority = Some((*min_working_days, *max_working_days, rule.id));
            }
            Effect::PreApproval { category } => {
                if !out.pre_approval.contains(category) {
                    out.pre_approval.push(*category);
                }
            }
            Effect::MinimumAge { .. }
            | Effect::NonLocalIndividuals { .. }
            | Effect::LocalMobile
            | Effect::PrincipalsMustDiffer
            | Effect::PrincipalsSameIfNotLegalRepresentative
            | Effect::ForeignersNotAccepted
            | Effect::DocumentValidity { .. }
            | Effect::OrderTimeout { .. }
            | Effect::DomainValidity { .. }
            | Effect::NoResolutionBeforeApproval
            | Effect::PublicSecurityFiling { .. } => out.other_rules.push(rule.id.to_owned()),
            Effect::ApprovedTlds { .. }
            | Effect::RejectedTlds { .. }
            | Effect::RequiredTlds { .. }
            | Effect::WebsiteNameWords { .. }
            | Effect::CommercialLicense { .. }
            | Effect::EmptyShellMayAddServices
            | Effect::SmsVerifier { .. }
            | Effect::WebsiteNameFormat { .. }
            | Effect::WebsiteNamePattern { .. }
            | Effect::IndividualForbiddenContent { .. }
            | Effect::AddressNamesProvince
            | Effect::AppFiling
            | Effect::FooterNumber
            | Effect::MobileSegments { .. }
            | Effect::PathBlocker { .. }
            | Effect::SourcesReach { .. } => {}
        }
    }
    // Sorted so that the report does not depend on the order of the data files.
    out.verification.sort_by(|a, b| a.step.cmp(&b.step).then(a.rule.cmp(&b.rule)));
    if let (Some((provider, p_rule)), Some((min, max, a_rule))) = (provider_days, authority) {
        let start = add_working_days(date, provider);
        out.review = Some(ReviewEstimate {
            provider_working_days: provider,
            authority_min_working_days: min,
            authority_max_working_days: max,
            earliest_decision: add_working_days(start, min),
            latest_decision: add_working_days(start, max),
            holidays_counted: crate::workdays::holidays_known(date, add_working_days(start, max)),
            rules: vec![p_rule.to_owned(), a_rule.to_owned()],
        });
    }
    out
}

/// What follows an approval: the public security filing (公安联网备案) is due within the days
/// the rule in force on `went_live` gives, counted from the day the website goes live.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicSecurityDeadline {
    /// The last day for the public security filing.
    pub due: NaiveDate,
    pub days: u32,
    pub rule: String,
}

/// The public security filing's deadline for a website of `path` that went live on
/// `went_live`; none when no rule holds then.
pub fn public_security_deadline(path: FilingPath, went_live: NaiveDate) -> Option<PublicSecurityDeadline> {
    let scope = Scope { province: None, subject: None, path: Some(path) };
    pack::active(went_live, scope).find_map(|r| match r.effect {
        Effect::PublicSecurityFiling { days } => Some(PublicSecurityDeadline {
            due: went_live.checked_add_days(chrono::Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX),
            days,
            rule: r.id.to_owned(),
        }),
        _ => None,
    })
}
