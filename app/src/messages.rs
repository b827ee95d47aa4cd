//! Words for the rules crate's codes and enums and for the API's error codes, in the current
//! language. The tables are written by the build script, one match arm per value, each naming
//! its key in the locale files (`subject_types.individual`): a value without words in both
//! languages fails the build.

use beian_rules::types::{CertificateType, ContentCategory, DocumentKind, FilingPath, OrderStatus, Product, Province, SubjectType, VerificationStep};
use beian_rules::{Code, Finding};
use beian_rules::fields::iso_date;
use chrono::{Datelike, NaiveDate, Timelike};
use leptos_i18n::I18nContext;

use crate::i18n::*;

pub type I18n = I18nContext<Locale>;

include!(concat!(env!("OUT_DIR"), "/word_tables.rs"));

/// A finding's words, with its parameters filled in (`{word}` in the message).
pub fn finding_text(i18n: I18n, finding: &Finding) -> String {
    let mut text = code_text(i18n, finding.code);
    for (key, value) in &finding.params {
        let shown = match (key.as_str(), iso_date(value)) {
            ("proof", _) => proof_name(i18n.get_locale(), value),
            (_, Some(day)) => date_text(i18n.get_locale(), day),
            ("document", None) => beian_rules::wire::parse::<DocumentKind>(value).map(|d| document_name(i18n, d)).unwrap_or_else(|| value.clone()),
            ("issued" | "location" | "province", None) => Province::parse(value).map(|p| province_name(i18n, p)).unwrap_or_else(|| value.clone()),
            _ => value.clone(),
        };
        text = text.replace(&format!("{{{key}}}"), &shown);
    }
    with_note(i18n.get_locale(), text, finding)
}

/// A reviewer's reason with the reviewer's own words after it, when there are some.
pub fn with_note(locale: Locale, text: String, finding: &Finding) -> String {
    match finding.params.get("note").map(|n| n.trim()).filter(|n| !n.is_empty()) {
        Some(note) => td_string!(locale, order.reviewer_note).to_string().replace("{text}", &text).replace("{note}", note),
        None => text,
    }
}

/// The words of an API error, with its parameters filled in (`{retry_after}`).
pub fn error_words(i18n: I18n, error: &beian_api::ApiError) -> String {
    let mut text = error_text(i18n, error.code);
    for (key, value) in &error.params {
        text = text.replace(&format!("{{{key}}}"), value);
    }
    text
}

/// True while the page is in Chinese.
pub fn is_zh(i18n: I18n) -> bool {
    i18n.get_locale() == Locale::zh_CN
}

pub fn province_name(i18n: I18n, p: Province) -> String {
    if is_zh(i18n) { p.name_zh().to_owned() } else { p.name_en().to_owned() }
}

/// What a principal under the minimum age files with (`proof` of `person.minor_needs_proof`).
fn proof_name(locale: Locale, value: &str) -> String {
    match value {
        "guardian_id" => td_string!(locale, proofs.guardian_id).to_string(),
        _ => td_string!(locale, proofs.employment_or_income).to_string(),
    }
}

/// A day in the language's form: 2026年12月2日 / 2 December 2026.
pub fn date_text(locale: Locale, date: NaiveDate) -> String {
    let month = match date.month() {
        1 => td_string!(locale, dates.m1).to_string(),
        2 => td_string!(locale, dates.m2).to_string(),
        3 => td_string!(locale, dates.m3).to_string(),
        4 => td_string!(locale, dates.m4).to_string(),
        5 => td_string!(locale, dates.m5).to_string(),
        6 => td_string!(locale, dates.m6).to_string(),
        7 => td_string!(locale, dates.m7).to_string(),
        8 => td_string!(locale, dates.m8).to_string(),
        9 => td_string!(locale, dates.m9).to_string(),
        10 => td_string!(locale, dates.m10).to_string(),
        11 => td_string!(locale, dates.m11).to_string(),
        _ => td_string!(locale, dates.m12).to_string(),
    };
    td_string!(locale, dates.date)
        .to_string()
        .replace("{year}", &date.year().to_string())
        .replace("{month}", &month)
        .replace("{day}", &date.day().to_string())
}

/// A moment in China Standard Time (UTC+8, the zone the MIIT counts in), in the language's
/// form: 北京时间2026年12月2日 14:00 / 14:00 on 2 December 2026 (China Standard Time).
pub fn date_time_text(locale: Locale, utc: chrono::DateTime<chrono::FixedOffset>) -> String {
    let cst = utc.naive_utc() + chrono::Duration::hours(8);
    td_string!(locale, dates.date_time)
        .to_string()
        .replace("{date}", &date_text(locale, cst.date()))
        .replace("{time}", &format!("{:02}:{:02}", cst.hour(), cst.minute()))
}

/// A day or a moment as the API sends it (`2026-12-02`, or RFC 3339), in the language's form;
/// anything else as it is.
pub fn when_text(locale: Locale, at: &str) -> String {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(at) {
        return date_time_text(locale, t);
    }
    match at.get(..10).and_then(iso_date) {
        Some(d) => date_text(locale, d),
        None => at.to_owned(),
    }
}
