//! Words for the rules crate's codes and enums and for the API's error codes, in the current
//! language. The tables are written by the build script, one match arm per value, each naming
//! its key in the locale files (`subject_types.individual`): a value without words in both
//! languages fails the build.

use beian_rules::types::{CertificateType, ContentCategory, DocumentKind, FilingPath, OrderStatus, Product, Province, SubjectType, VerificationStep};
use beian_rules::{Code, Finding};
use leptos_i18n::I18nContext;

use crate::i18n::*;

pub type I18n = I18nContext<Locale>;

include!(concat!(env!("OUT_DIR"), "/word_tables.rs"));

/// A finding's words, with its parameters filled in (`{word}` in the message).
pub fn finding_text(i18n: I18n, finding: &Finding) -> String {
    let mut text = code_text(i18n, finding.code);
    for (key, value) in &finding.params {
        let shown = match key.as_str() {
            "document" => beian_rules::wire::parse::<DocumentKind>(value).map(|d| document_name(i18n, d)).unwrap_or_else(|| value.clone()),
            "issued" | "location" | "province" => Province::parse(value).map(|p| province_name(i18n, p)).unwrap_or_else(|| value.clone()),
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
