//! Generates the typed translation module from `locales/*.json` (leptos_i18n; a key missing
//! in one language fails the build), and the word tables of `messages.rs`: one match arm per
//! value of each enum, naming its key, so a value without words in both languages fails the
//! build too.

use std::error::Error;
use std::fmt::Debug;
use std::path::PathBuf;

use beian_rules::types::{CertificateType, ContentCategory, DocumentKind, FilingPath, OrderStatus, Product, SubjectType, VerificationStep};
use leptos_i18n_build::{Config, TranslationsInfos};
use serde::Serialize;

/// The API's error codes: the same file the API crate compiles (it depends on nothing).
#[path = "../crates/api/src/codes.rs"]
#[allow(dead_code)]
mod codes;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../crates/api/src/codes.rs");
    // The split (`cargo xtask build`) reads the wasm's relocations: the linker keeps them.
    if std::env::var_os("CARGO_FEATURE_SPLIT").is_some() && std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo::rustc-link-arg=--emit-relocs");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?);
    let config = Config::new("zh-CN")?.add_locale("en")?;
    let infos = TranslationsInfos::parse(config)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out.join("i18n"))?;
    std::fs::write(out.join("word_tables.rs"), word_tables()?)?;
    Ok(())
}

/// `pub fn <name>(i18n, value: <ty>) -> String`, one arm per value: `<ty>::<Variant> => <key>`.
fn table<T: Debug>(name: &str, ty: &str, values: impl IntoIterator<Item = T>, key: impl Fn(&T) -> Result<String, String>) -> Result<String, String> {
    let mut out = format!("/// The words for a `{ty}` in the current language.\npub fn {name}(i18n: I18n, value: {ty}) -> String {{\nmatch value {{\n");
    for v in values {
        out.push_str(&format!("{ty}::{v:?} => t_string!(i18n, {}).to_string(),\n", key(&v)?));
    }
    out.push_str("}\n}\n");
    Ok(out)
}

/// The key of an enum value under `group`: its wire name (`subject_types.individual`).
fn wire<T: Serialize>(group: &'static str) -> impl Fn(&T) -> Result<String, String> {
    move |v| {
        let name = serde_json::to_value(v).map_err(|e| e.to_string())?;
        let name = name.as_str().ok_or("not a string enum")?;
        Ok(format!("{group}.{name}"))
    }
}

/// The key of a dotted code (`resident_id.checksum`) under `group`.
fn dotted(group: &'static str, code: &str) -> Result<String, String> {
    Ok(match code.split_once('.') {
        Some((a, b)) => format!("{group}.{a}.{b}"),
        None => format!("{group}.{code}"),
    })
}

fn word_tables() -> Result<String, String> {
    let mut out = String::new();
    out += &table("code_text", "Code", beian_rules::Code::ALL.iter().copied(), |c| dotted("codes", c.as_str()))?;
    out += &error_table()?;
    out += &reason_table()?;
    out += &table("subject_type_name", "SubjectType", SubjectType::ALL.iter().copied(), wire("subject_types"))?;
    out += &table("path_name", "FilingPath", FilingPath::ALL.iter().copied(), wire("paths"))?;
    out += &table("document_name", "DocumentKind", DocumentKind::ALL.iter().copied(), wire("documents"))?;
    out += &table("condition_name", "beian_rules::pack::Condition", beian_rules::pack::Condition::ALL.iter().copied(), wire("conditions"))?;
    out += &table("step_name", "VerificationStep", VerificationStep::ALL.iter().copied(), wire("steps"))?;
    out += &table("content_name", "ContentCategory", ContentCategory::ALL.iter().copied(), wire("content"))?;
    out += &table("product_name", "Product", Product::ALL.iter().copied(), wire("products"))?;
    out += &table("cert_type_name", "CertificateType", CertificateType::ALL.iter().copied(), wire("cert_types"))?;
    out += &table("status_name", "OrderStatus", OrderStatus::ALL.iter().copied(), wire("order.status"))?;
    out += &table("next_step", "OrderStatus", OrderStatus::ALL.iter().copied(), wire("order.next"))?;
    out += &table("action_name", "beian_rules::lifecycle::Action", beian_rules::lifecycle::Action::ALL.iter().copied(), wire("order.actions"))?;
    out += &table("actor_name", "beian_rules::lifecycle::Actor", beian_rules::lifecycle::Actor::ALL.iter().copied(), wire("order.actors"))?;
    Ok(out)
}

/// `reason_text_in`: a reviewer's reason in a given language (the preview shows both).
fn reason_table() -> Result<String, String> {
    use beian_rules::lifecycle::{AUTHORITY_REASONS, REJECTION_REASONS};
    let mut out = String::from(
        "/// The words of a reviewer's reason in `locale`, whatever the page's language.\n\
         pub fn reason_text_in(locale: Locale, code: Code) -> String {\nmatch code {\n",
    );
    for code in REJECTION_REASONS.iter().chain(AUTHORITY_REASONS) {
        out.push_str(&format!("Code::{code:?} => td_string!(locale, {}).to_string(),\n", dotted("codes", code.as_str())?));
    }
    out.push_str("_ => String::new(),\n}\n}\n");
    Ok(out)
}

/// `error_text`: the words of each API error code; a code that is a rules code too
/// (`service_code.used`) shares the rules code's words.
fn error_table() -> Result<String, String> {
    let mut out = String::from(
        "/// The words for an API error's code in the current language.\n\
         pub fn error_text(i18n: I18n, code: beian_api::ErrorCode) -> String {\nmatch code {\n",
    );
    for code in codes::ErrorCode::ALL {
        let arm = match beian_rules::Code::ALL.iter().find(|c| c.as_str() == code.as_str()) {
            Some(rule) => format!("code_text(i18n, Code::{rule:?})"),
            None => format!("t_string!(i18n, {}).to_string()", dotted("errors", code.as_str())?),
        };
        out.push_str(&format!("beian_api::ErrorCode::{code:?} => {arm},\n"));
    }
    out.push_str("}\n}\n");
    Ok(out)
}
