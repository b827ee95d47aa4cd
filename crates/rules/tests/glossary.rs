//! The glossary (`docs/glossary.md`) holds on screen: no term of its "Not in the Chinese
//! interface" list appears in a string of `app/locales/zh-CN.json`, none of its English list
//! in `app/locales/en.json`, except inside the official names the list allows.

use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// A banned term and the only forms it may appear in.
#[derive(Debug)]
struct Banned {
    term: String,
    allowed: Vec<String>,
}

/// The `- \`term\`` lines (with their `allowed only in` forms) under `heading`.
fn banned(heading: &str) -> Vec<Banned> {
    let text =
        std::fs::read_to_string(format!("{ROOT}/docs/glossary.md")).expect("docs/glossary.md");
    let section = text
        .split(heading)
        .nth(1)
        .expect("the heading")
        .split("\n#")
        .next()
        .unwrap_or_default();
    section
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- "))
        .map(|line| {
            let mut quoted = line.split('`').skip(1).step_by(2).map(str::to_owned);
            let term = quoted.next().expect("a term in backticks");
            Banned {
                term,
                allowed: quoted.collect(),
            }
        })
        .collect()
}

/// Every string of a locale file, with its key.
fn strings(file: &str) -> Vec<(String, String)> {
    fn walk(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            Value::String(s) => out.push((key.to_owned(), s.clone())),
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                walk(
                    &if key.is_empty() {
                        k.clone()
                    } else {
                        format!("{key}.{k}")
                    },
                    v,
                    out,
                )
            }),
            Value::Array(items) => items.iter().for_each(|v| walk(key, v, out)),
            _ => {}
        }
    }
    let text =
        std::fs::read_to_string(format!("{ROOT}/app/locales/{file}")).expect("the locale file");
    let mut out = Vec::new();
    walk("", &serde_json::from_str(&text).expect("JSON"), &mut out);
    out
}

/// The strings that use a banned term outside its allowed forms.
fn offences(file: &str, heading: &str) -> Vec<String> {
    let list = banned(heading);
    assert!(!list.is_empty(), "no terms under {heading}");
    let mut out = Vec::new();
    for (key, text) in strings(file) {
        for b in &list {
            let mut rest = text.to_lowercase();
            for form in &b.allowed {
                rest = rest.replace(&form.to_lowercase(), "");
            }
            if rest.contains(&b.term.to_lowercase()) {
                out.push(format!("{file} {key}: “{}” in “{text}”", b.term));
            }
        }
    }
    out
}

#[test]
fn the_chinese_interface_uses_the_glossary() {
    let found = offences("zh-CN.json", "### Not in the Chinese interface");
    assert!(
        found.is_empty(),
        "terms the glossary says not to use:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_english_interface_uses_the_glossary() {
    let found = offences("en.json", "### Not in the English interface");
    assert!(
        found.is_empty(),
        "terms the glossary says not to use:\n{}",
        found.join("\n")
    );
}

/// The check itself finds a banned term, and lets an allowed form through.
#[test]
fn the_check_can_fail() {
    let list = banned("### Not in the Chinese interface");
    let find = |text: &str| {
        list.iter().any(|b| {
            let mut rest = text.to_owned();
            b.allowed
                .iter()
                .for_each(|f| rest = rest.replace(f.as_str(), ""));
            rest.contains(&b.term)
        })
    };
    assert!(find("主办者在哪里登记"));
    assert!(find("中国大陆"));
    assert!(find("请填写服务号"));
    assert!(!find("请填写主办单位名称"));
    assert!(!find("请填写备案服务号"));
    assert!(!find("台湾居民来往大陆通行证"));
}
