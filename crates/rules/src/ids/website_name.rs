//! Website names (网站名称): facts §5.6, word lists in `data/website-names.toml`.

use chrono::NaiveDate;

use crate::pack::{self, Scope, WordList};
use crate::problem::{Code, Finding};
use crate::types::{Province, SubjectType};

/// What the name check needs to know besides the name.
#[derive(Clone, Copy, Debug, Default)]
pub struct NameContext<'a> {
    pub subject: Option<SubjectType>,
    pub province: Option<Province>,
    /// The website's domain: the name may not be it.
    pub domain: Option<&'a str>,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF)
}

/// The findings for a website name as of `date`.
pub fn validate(input: &str, date: NaiveDate, ctx: NameContext<'_>) -> Vec<Finding> {
    let name = input.trim();
    let mut findings = Vec::new();
    if let Some(domain) = ctx.domain {
        let d = super::domain::compact(domain);
        let without_www = d.trim_start_matches("www.");
        // The name can only be the domain, or its first labels, if both begin alike: most
        // names are not lower-cased at all.
        let first = name.chars().next().and_then(|c| c.to_lowercase().next());
        if first.is_some_and(|c| d.starts_with(c) || without_www.starts_with(c)) {
            let n = name.to_lowercase();
            // Its first labels, with or without `www.`: "example" for www.example.com.
            let label_of_domain =
                [d.as_str(), without_www].iter().any(|d| d.strip_prefix(n.as_str()).is_some_and(|rest| rest.starts_with('.')));
            if !d.is_empty() && (n == d || n == without_www || label_of_domain) {
                findings.push(Finding::error(Code::WebsiteNameIsDomain));
            }
        }
    }
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c.is_whitespace()) {
        findings.push(Finding::error(Code::WebsiteNameLatinOrDigitsOnly));
    }
    if let Some(symbol) = name.chars().find(|c| !(is_cjk(*c) || c.is_alphanumeric() || *c == ' ' || *c == '·')) {
        findings.push(Finding::error(Code::WebsiteNameSymbols).with("symbol", symbol));
    }
    if name.chars().count() < 3 {
        findings.push(Finding::error(Code::WebsiteNameTooShort).with("min", 3));
    }
    // The words a list holds that the name contains: only words starting with one of the
    // name's characters are looked at.
    let chars = pack::word_starts(name);
    let contained = |scope: Scope, list: WordList| {
        let mut words = pack::words_starting_with(&chars, date, scope, list);
        words.retain(|(word, _)| name.contains(word));
        words
    };
    let scope = Scope { province: ctx.province, subject: ctx.subject, path: None };
    let global = Scope { province: None, subject: ctx.subject, path: None };
    for (word, rule) in contained(global, WordList::Sensitive) {
        findings.push(Finding::error(Code::WebsiteNameSensitiveWord).with("word", word).by_rule(&rule.id));
    }
    if ctx.subject.is_some() {
        // The starts of the name's first character alone.
        let first = name.char_indices().nth(1).and_then(|(end, _)| name.get(..end)).unwrap_or(name);
        let first = if chars.is_empty() { pack::WordStarts::default() } else { pack::word_starts(first) };
        for (word, rule) in pack::words_starting_with(&first, date, global, WordList::ReservedPrefix) {
            if name.starts_with(word) && !findings.iter().any(|f| f.params.get("word").is_some_and(|w| w == word)) {
                findings.push(Finding::error(Code::WebsiteNameReservedPrefix).with("word", word).by_rule(&rule.id));
            }
        }
    }
    for (word, rule) in contained(global, WordList::PreApprovalTrigger) {
        findings.push(Finding::warning(Code::PreApprovalRequired).with("category", "finance").with("word", word).by_rule(&rule.id));
    }
    // Jiangsu individuals: only "XX的个人博客" or "XX的个人主页" (Alibaba 江苏备案规则, 2019-09).
    let jiangsu = ctx.subject == Some(SubjectType::Individual)
        && ctx.province == Some(Province::Jiangsu)
        && date >= NaiveDate::from_ymd_opt(2019, 9, 6).unwrap_or_default();
    let jiangsu_fits = name.ends_with("的个人博客") || name.ends_with("的个人主页");
    if ctx.subject == Some(SubjectType::Individual) {
        for (word, rule) in contained(global, WordList::Individual) {
            let allowed_by_jiangsu = jiangsu && jiangsu_fits && matches!(word, "博客" | "主页");
            if !allowed_by_jiangsu {
                findings.push(Finding::error(Code::WebsiteNameIndividualWord).with("word", word).by_rule(&rule.id));
            }
        }
        if ctx.province.is_some() {
            for (word, rule) in contained(scope, WordList::ProvinceIndividual) {
                let already = findings.iter().any(|f| f.params.get("word").is_some_and(|w| w == word));
                if !already {
                    findings.push(
                        Finding::error(Code::WebsiteNameProvinceWord)
                            .with("word", word)
                            .with("province", ctx.province.map(Province::code).unwrap_or_default())
                            .by_rule(&rule.id),
                    );
                }
            }
        }
        if jiangsu && !jiangsu_fits {
            findings.push(Finding::error(Code::WebsiteNameJiangsuIndividualPattern));
        }
    }
    findings
}
