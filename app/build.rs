//! Generates the typed translation module from `locales/*.json` (leptos_i18n); a key
//! missing in one language fails the build.

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::{Config, TranslationsInfos};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");
    let config = Config::new("zh-CN")?.add_locale("en")?;
    let infos = TranslationsInfos::parse(config)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    generate_code_texts()?;
    Ok(())
}

/// Writes `code_text`, one match arm per rules code: a code without words in both languages
/// fails the build (leptos_i18n checks the key exists in every locale).
fn generate_code_texts() -> Result<(), Box<dyn Error>> {
    let mut out = String::from(
        "/// The words for a rules code in the current language.\n\
         pub fn code_text(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, code: beian_rules::Code) -> String {\n\
         use beian_rules::Code as C;\nmatch code {\n",
    );
    for code in beian_rules::Code::ALL {
        let (group, name) = code.as_str().split_once('.').ok_or("code without a dot")?;
        out.push_str(&format!("C::{code:?} => crate::i18n::t_string!(i18n, codes.{group}.{name}).to_string(),\n"));
    }
    out.push_str("}\n}\n");
    let path = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("code_text.rs");
    std::fs::write(path, out)?;
    Ok(())
}
