//! Embeds the rule packs: every `data/*.toml` file is read at build time and turned into one
//! JSON array (so the wasm app carries no TOML parser). A malformed file fails the build.
//! `data/provider-policy.toml` is not a rule pack: it becomes `provider_policy.json`, the
//! built-in provider policy, as it is.
//!
//! In the files a rule's effect sits beside its common fields (`kind = "sms_verification"`,
//! `hours = 24`); the JSON nests it (`"effect": {"sms_verification": {"hours": 24}}`), the
//! shape serde reads without buffering, which keeps the app smaller.

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("data");
    // The app shows a rule's source, never the choice made between sources (the rules
    // example and the backend do): the wasm build leaves choices out, a tenth of the pack.
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut rules = Vec::new();
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(file)?;
        let value: toml::Value = toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let name = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        if name == "provider-policy" {
            let out = PathBuf::from(std::env::var("OUT_DIR")?).join("provider_policy.json");
            std::fs::write(out, serde_json::to_string(&value)?)?;
            continue;
        }
        let entries = value.get("rule").and_then(|r| r.as_array()).cloned().unwrap_or_default();
        for entry in entries {
            let serde_json::Value::Object(fields) = serde_json::to_value(&entry)? else {
                return Err(format!("{}: a rule is not a table", file.display()).into());
            };
            let mut rule = serde_json::Map::new();
            let mut effect = serde_json::Map::new();
            let mut kind = None;
            for (key, value) in fields {
                match key.as_str() {
                    "choice" if wasm => {}
                    "id" | "source" | "effective_from" | "effective_until" | "provinces" | "subject_types" | "paths" | "choice" => {
                        rule.insert(key, value);
                    }
                    "kind" => kind = value.as_str().map(str::to_owned),
                    _ => {
                        effect.insert(key, value);
                    }
                }
            }
            let kind = kind.ok_or_else(|| format!("{}: a rule without `kind`", file.display()))?;
            let effect =
                if effect.is_empty() { serde_json::Value::String(kind) } else { serde_json::json!({ kind: effect }) };
            rule.insert("effect".into(), effect);
            rule.insert("file".into(), serde_json::Value::String(name.clone()));
            rules.push(serde_json::Value::Object(rule));
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("rules.json");
    std::fs::write(out, serde_json::to_string(&rules)?)?;
    Ok(())
}
