//! Website names (网站名称): facts §5.6; every rule is an entry of `data/website-names.toml`.
//!
//! The name is read under the normalisation policy ([`super::normalize`]): full-width letters
//! and digits are Latin letters and digits (`ＡＢＣ１２３` is made only of them), and words are
//! looked for with the spaces removed (`美食 资讯` ends with 资讯).

use chrono::NaiveDate;

use crate::pack::{self, Effect, Scope, WordList};
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

/// A Chinese character (CJK unified ideographs, extensions A-B, compatibility ideographs).
pub fn is_chinese(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF)
}

/// True when the name is the domain, or its first labels, with or without `www.`.
fn is_domain(name: &str, domain: &str) -> bool {
    let d = super::domain::compact(domain);
    let mut without_www = d.as_str();
    while let Some(rest) = without_www.strip_prefix("www.") {
        without_www = rest;
    }
    // The name can only be the domain if both begin alike: most names are not lower-cased.
    let first = name.chars().next().and_then(|c| c.to_lowercase().next());
    if !first.is_some_and(|c| d.starts_with(c) || without_www.starts_with(c)) {
        return false;
    }
    let n = name.to_lowercase();
    if d.is_empty() || n.is_empty() {
        return false;
    }
    n == d
        || n == without_www
        || [d.as_str(), without_www].iter().any(|d| d.strip_prefix(n.as_str()).is_some_and(|rest| rest.starts_with('.')))
}

/// The findings for a website name as of `date`.
pub fn validate(input: &str, date: NaiveDate, ctx: NameContext<'_>) -> Vec<Finding> {
    let name = super::normalize::text(input);
    // Words are looked for without spaces.
    let joined: std::borrow::Cow<'_, str> =
        if name.contains(' ') { std::borrow::Cow::Owned(name.chars().filter(|c| *c != ' ').collect()) } else { std::borrow::Cow::Borrowed(&name) };
    let mut findings = Vec::new();
    let scope = Scope { province: ctx.province, subject: ctx.subject, path: None };
    let global = Scope { province: None, subject: ctx.subject, path: None };
    // What the format rules ask of the name's characters, read in one pass: whether all are
    // Latin letters, digits or spaces, the first symbol, and how many are Chinese.
    let (mut latin_or_digits, mut symbol, mut chinese) = (true, None, 0usize);
    for c in name.chars() {
        latin_or_digits &= c.is_ascii_alphanumeric() || c == ' ';
        let is_han = is_chinese(c);
        chinese += usize::from(is_han);
        if symbol.is_none() && !(is_han || c.is_alphanumeric() || c == ' ' || c == '·') {
            symbol = Some(c);
        }
    }
    for rule in pack::name_rules(date, global) {
        let Effect::WebsiteNameFormat { min_chinese } = rule.effect else { continue };
        if ctx.domain.is_some_and(|d| is_domain(&name, d)) {
            findings.push(Finding::error(Code::WebsiteNameIsDomain).by_rule(rule.id));
        }
        if latin_or_digits {
            findings.push(Finding::error(Code::WebsiteNameLatinOrDigitsOnly).by_rule(rule.id));
        }
        if let Some(symbol) = symbol {
            findings.push(Finding::error(Code::WebsiteNameSymbols).with("symbol", symbol).by_rule(rule.id));
        }
        // A name of Latin letters and digits only is told so, not also that it is short.
        if !latin_or_digits && chinese < min_chinese as usize {
            findings.push(Finding::error(Code::WebsiteNameTooShort).with("min", min_chinese).by_rule(rule.id));
        }
    }
    // The words a list holds that the name contains: only words starting with one of the
    // name's characters are looked at.
    let chars = pack::word_starts(&joined);
    let contained = |scope: Scope, list: WordList| {
        let mut words = pack::words_starting_with(&chars, date, scope, list);
        words.retain(|(word, _)| joined.contains(word));
        words
    };
    let reported = |findings: &[Finding], word: &str| findings.iter().any(|f| f.params.get("word").is_some_and(|w| w == word));
    for (word, rule) in contained(global, WordList::Sensitive) {
        findings.push(Finding::error(Code::WebsiteNameSensitiveWord).with("word", word).by_rule(rule.id));
    }
    if ctx.subject.is_some() {
        for (word, rule) in contained(global, WordList::ReservedPrefix) {
            if joined.starts_with(word) && !reported(&findings, word) {
                findings.push(Finding::error(Code::WebsiteNameReservedPrefix).with("word", word).by_rule(rule.id));
            }
        }
    }
    for (word, rule) in contained(global, WordList::PreApprovalTrigger) {
        findings.push(Finding::warning(Code::PreApprovalRequired).with("category", "finance").with("word", word).by_rule(rule.id));
    }
    if ctx.subject != Some(SubjectType::Individual) {
        return findings;
    }
    // A province that allows only some name patterns ("XX的个人博客", Jiangsu): the words of
    // the pattern the name follows are not refused.
    let patterns: Vec<(&'static [&'static str], &'static pack::Rule)> = if ctx.province.is_some() {
        pack::name_rules(date, scope)
            .filter_map(|r| match &r.effect {
                Effect::WebsiteNamePattern { suffixes } => Some((*suffixes, r)),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let followed: Vec<&str> =
        patterns.iter().flat_map(|(suffixes, _)| suffixes.iter()).filter(|s| joined.ends_with(**s)).copied().collect();
    let in_pattern = |word: &str| followed.iter().any(|s| s.contains(word));
    for (word, rule) in contained(global, WordList::Individual) {
        if !in_pattern(word) && !reported(&findings, word) {
            findings.push(Finding::error(Code::WebsiteNameIndividualWord).with("word", word).by_rule(rule.id));
        }
    }
    for (word, rule) in contained(global, WordList::IndividualSuffix) {
        if joined.ends_with(word) && !in_pattern(word) && !reported(&findings, word) {
            findings.push(Finding::error(Code::WebsiteNameIndividualSuffix).with("word", word).by_rule(rule.id));
        }
    }
    if let Some(province) = ctx.province {
        for (word, rule) in contained(scope, WordList::ProvinceIndividual) {
            if !in_pattern(word) && !reported(&findings, word) {
                findings.push(
                    Finding::error(Code::WebsiteNameProvinceWord).with("word", word).with("province", province.code()).by_rule(rule.id),
                );
            }
        }
    }
    for (suffixes, rule) in &patterns {
        if !suffixes.iter().any(|s| joined.ends_with(s)) {
            findings.push(Finding::error(Code::WebsiteNameJiangsuIndividualPattern).by_rule(rule.id));
        }
    }
    findings
}
