//! What a filing needs for a province, a subject type and a path, as of today: documents
//! (and when the conditional ones apply), verification steps with their deadlines, the
//! province's other rules and the review estimate, each with a "Why" that cites the rule.
//! The check's result page shows it, and the wizard as soon as province and subject type are
//! known.

use beian_rules::pack::{AgeProof, Effect, NonLocalPolicy};
use beian_rules::requirements::ReviewEstimate;
use beian_rules::{FilingPath, Province, SubjectType};
use leptos::prelude::*;

use crate::i18n::*;
use crate::messages::{condition_name, date_text, document_name, province_name, step_name, subject_type_name};
use crate::state::today;

type I18n = leptos_i18n::I18nContext<Locale>;

/// The source of a rule pack entry and the day it applies from, for "Why": in the Chinese
/// interface its Chinese title, with the original beside it.
fn source(i18n: I18n, rule: &str) -> Vec<String> {
    let locale = i18n.get_locale();
    let Some(r) = beian_rules::pack::rule(rule) else { return Vec::new() };
    let from = date_text(locale, r.effective_from);
    match r.source_zh.filter(|_| crate::messages::is_zh(i18n)) {
        Some(title) => vec![
            t_string!(i18n, form.source_line).to_string().replace("{source}", title).replace("{from}", &from),
            t_string!(i18n, form.source_original).to_string().replace("{original}", r.source),
        ],
        None => vec![t_string!(i18n, form.source_line).to_string().replace("{source}", r.source).replace("{from}", &from)],
    }
}

/// The words of a rule that is neither a document nor a verification step.
fn rule_text(i18n: I18n, effect: &Effect, province: Province) -> Option<String> {
    let place = province_name(i18n, province);
    let text = match effect {
        Effect::MinimumAge { years, with_proof_from: None, .. } => t_string!(i18n, rule_text.minimum_age).to_string().replace("{years}", &years.to_string()),
        Effect::MinimumAge { years, with_proof_from: Some(_), proof: Some(AgeProof::GuardianId) } => {
            t_string!(i18n, rule_text.minimum_age_guardian).to_string().replace("{years}", &years.to_string())
        }
        Effect::MinimumAge { years, with_proof_from: Some(from), .. } => t_string!(i18n, rule_text.minimum_age_employment)
            .to_string()
            .replace("{years}", &years.to_string())
            .replace("{from}", &from.to_string()),
        Effect::NonLocalIndividuals { policy: NonLocalPolicy::NotAccepted } => t_string!(i18n, rule_text.non_local_not_accepted).to_string(),
        Effect::NonLocalIndividuals { policy: NonLocalPolicy::ResidencePermit } => t_string!(i18n, rule_text.non_local_residence_permit).to_string(),
        Effect::NonLocalIndividuals { policy: NonLocalPolicy::ProofOfResidence } => t_string!(i18n, rule_text.non_local_proof).to_string(),
        Effect::LocalMobile => t_string!(i18n, rule_text.local_mobile).to_string(),
        Effect::PrincipalsMustDiffer => t_string!(i18n, rule_text.principals_differ).to_string(),
        Effect::PrincipalsSameIfNotLegalRepresentative => t_string!(i18n, rule_text.principals_same).to_string(),
        Effect::ForeignersNotAccepted => t_string!(i18n, rule_text.foreigners_not_accepted).to_string(),
        Effect::DocumentValidity { days } => t_string!(i18n, rule_text.document_validity).to_string().replace("{days}", &days.to_string()),
        Effect::MaxWebsitesPerOrder { max } => t_string!(i18n, rule_text.max_websites).to_string().replace("{max}", &max.to_string()),
        Effect::OrderTimeout { days } => t_string!(i18n, rule_text.order_timeout).to_string().replace("{days}", &days.to_string()),
        _ => return None,
    };
    Some(text.replace("{province}", &place))
}

/// "Where this comes from": the rule's source and the day it applies from.
pub fn why(i18n: I18n, rule: &str) -> impl IntoView + use<> {
    let lines = source(i18n, rule);
    view! {
        <details class="why">
            <summary>{t!(i18n, form.why)}</summary>
            {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
        </details>
    }
}

/// The requirements, drawn for the current language (callers put it in a reactive closure).
pub fn requirements_view(province: Province, subject: SubjectType, path: FilingPath) -> impl IntoView {
    let i18n = use_i18n();
    let req = beian_rules::requirements(province, subject, path, today());
    let documents = req
        .documents
        .iter()
        .map(|d| {
            let condition = d.condition.map(|c| t_string!(i18n, check.condition).to_string().replace("{condition}", &condition_name(i18n, c)));
            view! {
                <li>
                    {document_name(i18n, d.document)}
                    {condition.map(|c| view! { <span class="condition">{c}</span> })}
                    {why(i18n, &d.rule)}
                </li>
            }
        })
        .collect_view();
    let steps = req
        .verification
        .iter()
        .map(|v| {
            let name = step_name(i18n, v.step);
            let text = match v.deadline_hours {
                Some(h) => t_string!(i18n, check.step_deadline).to_string().replace("{step}", &name).replace("{hours}", &h.to_string()),
                None => name,
            };
            view! {
                <li>
                    {text}
                    {why(i18n, &v.rule)}
                </li>
            }
        })
        .collect_view();
    let others: Vec<_> = req
        .other_rules
        .iter()
        .filter_map(|id| {
            let rule = beian_rules::pack::rule(id)?;
            let text = rule_text(i18n, &rule.effect, province)?;
            Some(view! { <li>{text} {why(i18n, id)}</li> })
        })
        .collect();
    let review = req.review.clone().map(|r| view! { <h3>{t!(i18n, check.review_title)}</h3> {estimate_view(i18n, &r)} });
    view! {
        <p>{province_name(i18n, province)} " · " {subject_type_name(i18n, subject)}</p>
        <h3>{t!(i18n, check.documents_title)}</h3>
        <ul class="requirements">{documents}</ul>
        <h3>{t!(i18n, check.verification_title)}</h3>
        <ul class="requirements">{steps}</ul>
        {(!others.is_empty()).then(|| view! {
            <h3>{t!(i18n, check.other_rules_title)}</h3>
            <ul class="requirements" data-testid="other-rules">{others}</ul>
        })}
        {review}
    }
}

/// The review estimate: working days, the dates in the language's form, and whether the
/// public holidays are counted (they are for the years whose schedule the rules crate has).
pub fn estimate_view(i18n: I18n, r: &ReviewEstimate) -> impl IntoView + use<> {
    let locale = i18n.get_locale();
    let (min, max) = (r.authority_min_working_days, r.authority_max_working_days);
    let (earliest, latest) = (date_text(locale, r.earliest_decision), date_text(locale, r.latest_decision));
    let holidays = if r.holidays_counted { t_string!(i18n, check.holidays_counted).to_string() } else { t_string!(i18n, check.holidays_unknown).to_string() };
    view! {
        <p data-testid="review-estimate">{t!(i18n, check.review_estimate, min = move || min, max = move || max, earliest = move || earliest.clone(), latest = move || latest.clone())}</p>
        <p class="hint" data-testid="review-holidays">{holidays}</p>
    }
}
