//! Domains: syntax, IDN (punycode), the registrable domain, and whether its TLD can be filed
//! (dated data in `data/domains.toml`).
//!
//! Internationalised labels are checked the way Chinese registries define them — letters
//! (Chinese characters and other scripts), digits and hyphens — and turned into their ASCII
//! form with `idna`'s punycode; full-width letters and digits typed with a Chinese input method
//! count as their ASCII twins. The full UTS #46 mapping is not applied: its Unicode tables
//! would cost the app about 39 KB (brotli) of its 350 KB budget, and a label that would need
//! it (a decomposed accent, a symbol) is refused as malformed instead.

use chrono::NaiveDate;

use crate::pack::{self, Effect, Scope};
use crate::problem::{Code, Finding};
use crate::types::SubjectType;

/// Second-level suffixes under which the registrable domain has three labels.
const SECOND_LEVEL: &[&str] = &[
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn", "mil.cn", "bj.cn", "tj.cn", "he.cn", "sx.cn", "nm.cn",
    "ln.cn", "jl.cn", "hl.cn", "sh.cn", "js.cn", "zj.cn", "ah.cn", "fj.cn", "jx.cn", "sd.cn", "ha.cn", "hb.cn", "hn.cn",
    "gd.cn", "gx.cn", "hi.cn", "cq.cn", "sc.cn", "gz.cn", "yn.cn", "xz.cn", "sn.cn", "gs.cn", "qh.cn", "nx.cn", "xj.cn",
];

/// A checked domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// As typed, lower-cased (Unicode for IDNs).
    pub unicode: String,
    /// ASCII (punycode) form.
    pub ascii: String,
    /// The registrable domain (`example.com.cn`), Unicode form.
    pub registrable: String,
    /// The public suffix (`com.cn`, `中国`), Unicode form.
    pub suffix: String,
}

/// Trims, lower-cases, drops a trailing dot and turns what a Chinese input method types —
/// full stops (。) and full-width letters and digits — into their ASCII twins.
pub fn compact(input: &str) -> String {
    if input.is_ascii() {
        return input.trim().trim_end_matches('.').to_ascii_lowercase();
    }
    input.trim().replace(['。', '．'], ".").trim_end_matches('.').to_lowercase().chars().map(narrow).collect()
}

/// A full-width ASCII letter, digit or hyphen (Ａ, ３, －) as its ASCII twin.
fn narrow(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' | '\u{FF0D}' => {
            char::from_u32(c as u32 - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase())
        }
        _ => c,
    }
}

/// The ASCII and Unicode forms: ASCII labels stay as they are (an `xn--` label must decode,
/// and its Unicode form is the decoded one), others are encoded with punycode.
fn forms(typed: &str) -> Result<(String, String), Finding> {
    if typed.is_ascii() && !typed.split('.').any(|label| label.starts_with("xn--")) {
        return Ok((typed.to_owned(), typed.to_owned()));
    }
    let (mut ascii, mut unicode) = (String::with_capacity(typed.len() + 8), String::with_capacity(typed.len()));
    for (i, label) in typed.split('.').enumerate() {
        if i > 0 {
            ascii.push('.');
            unicode.push('.');
        }
        let bad = || Finding::error(Code::DomainLabel).with("label", label);
        if let Some(encoded) = label.strip_prefix("xn--") {
            let decoded = idna::punycode::decode_to_string(encoded).filter(|d| !d.is_ascii()).ok_or_else(bad)?;
            unicode.push_str(&decoded);
            ascii.push_str(label);
        } else if label.is_ascii() {
            unicode.push_str(label);
            ascii.push_str(label);
        } else if label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            let encoded = idna::punycode::encode_str(label).ok_or_else(bad)?;
            ascii.push_str("xn--");
            ascii.push_str(&encoded);
            unicode.push_str(label);
        } else {
            return Err(bad());
        }
    }
    Ok((ascii, unicode))
}

/// Parses the syntax of a domain (no filing rules).
pub fn parse(input: &str) -> Result<Domain, Finding> {
    let unicode = compact(input);
    // A scheme (`https://`) or a path.
    if unicode.contains('/') {
        return Err(Finding::error(Code::DomainHasScheme));
    }
    // Only digits, hex letters, dots and colons can make an IP address.
    let may_be_ip = unicode.bytes().all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':');
    if may_be_ip && unicode.parse::<std::net::IpAddr>().is_ok() {
        return Err(Finding::error(Code::DomainIp));
    }
    if unicode.is_empty() || unicode.contains(' ') || !unicode.contains('.') {
        return Err(Finding::error(Code::DomainFormat));
    }
    let (ascii, unicode) = forms(&unicode)?;
    if ascii.len() > 253 {
        return Err(Finding::error(Code::DomainTooLong));
    }
    for label in ascii.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !ok {
            return Err(Finding::error(Code::DomainLabel).with("label", label));
        }
    }
    // The last three dots, from the end: `last_labels(n)` is the domain's last n + 1 labels.
    let mut dots = [None; 3];
    for (slot, (i, _)) in dots.iter_mut().zip(unicode.rmatch_indices('.')) {
        *slot = Some(i);
    }
    let last_labels =
        |n: usize| dots.get(n).copied().flatten().map_or(unicode.as_str(), |i| unicode.get(i + 1..).unwrap_or_default());
    // There is at least one dot (checked above), so at least two labels.
    let suffix_labels = if SECOND_LEVEL.contains(&last_labels(1)) { 2 } else { 1 };
    if dots.iter().flatten().count() < suffix_labels {
        return Err(Finding::error(Code::DomainFormat));
    }
    let suffix = last_labels(suffix_labels - 1).to_owned();
    let registrable = last_labels(suffix_labels).to_owned();
    Ok(Domain { unicode, ascii, registrable, suffix })
}

/// The findings for a domain to be filed on `date` by a subject of `subject` type.
pub fn validate(input: &str, date: NaiveDate, subject: Option<SubjectType>) -> Vec<Finding> {
    let domain = match parse(input) {
        Ok(d) => d,
        Err(f) => return vec![f],
    };
    let mut findings = Vec::new();
    if domain.registrable != domain.unicode {
        findings.push(Finding::error(Code::DomainNotRegistrable).with("registrable", &domain.registrable));
    }
    let tld = domain.suffix.rsplit('.').next().unwrap_or_default().to_owned();
    let scope = Scope { subject, ..Scope::default() };
    let mut approved = false;
    for rule in pack::suffix_rules(date, scope) {
        match &rule.effect {
            Effect::RejectedTlds { tlds } if tlds.contains(&tld) => {
                findings.push(Finding::error(Code::DomainTldNotApproved).with("tld", &tld).by_rule(&rule.id));
                return findings;
            }
            Effect::ApprovedTlds { tlds } if tlds.contains(&tld) => approved = true,
            Effect::RequiredTlds { tlds } if subject.is_some() && !tlds.iter().any(|t| domain.suffix == *t || tld == *t) => {
                findings.push(Finding::error(Code::DomainGovernmentTld).with("tlds", tlds.join(", ")).by_rule(&rule.id));
            }
            _ => {}
        }
    }
    if domain.suffix == "gov.cn" && subject.is_some_and(|s| s != SubjectType::Government) {
        findings.push(Finding::error(Code::DomainGovernmentOnly));
    }
    if !approved {
        findings.push(Finding::warning(Code::DomainTldUnknown).with("tld", &tld));
    }
    findings
}
