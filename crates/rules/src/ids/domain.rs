//! Domains: syntax, IDN (punycode), the registrable domain, and whether its TLD can be filed
//! (dated data in `data/domains.toml`: a suffix off the approved list is refused).
//!
//! Internationalised labels are checked the way Chinese registries define them — letters
//! (Chinese characters and other scripts), digits and hyphens — and turned into their ASCII
//! form with `idna`'s punycode, after the normalisation policy ([`super::normalize`]):
//! full-width letters and digits typed with a Chinese input method count as their ASCII twins. The full UTS #46 mapping is not applied: its Unicode tables
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

/// The domain under the normalisation policy ([`super::normalize`]): full-width letters and
/// digits as ASCII, spaces removed, the ideographic full stops (。 ｡) as dots, lower-cased.
/// One trailing dot (the root) is dropped; a second is kept, and refused by [`parse`].
pub fn compact(input: &str) -> String {
    use super::normalize::{Case, Separators, identifier_as};
    let narrowed = identifier_as(input, Separators::Keep, Case::Lower);
    let mut d = if narrowed.is_ascii() { narrowed.into_owned() } else { narrowed.replace(['。', '｡'], ".").to_lowercase() };
    if d.ends_with('.') {
        d.pop();
    }
    d
}

/// The hyphen rules of a label, on its Unicode form (RFC 5891 §4.2.3.1; CNNIC's rules for
/// Chinese labels): no hyphen first or last, none in both 3rd and 4th place.
fn hyphens_ok(label: &str) -> bool {
    let third_fourth = label.chars().skip(2).take(2).collect::<String>() == "--";
    !label.starts_with('-') && !label.ends_with('-') && !third_fourth
}

/// The characters of an internationalised label: letters (Chinese characters and other
/// scripts), digits and hyphens, lower-case.
fn idn_chars_ok(label: &str) -> bool {
    label.chars().all(|c| (c.is_alphanumeric() && !c.is_uppercase()) || c == '-')
}

/// The ASCII and Unicode forms. An ASCII label stays as it is; an `xn--` label is decoded and
/// held to the rules of a typed one (characters, hyphens, and it must be the canonical
/// encoding of what it decodes to); any other label is encoded with punycode.
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
            let canonical = idna::punycode::encode_str(&decoded).is_some_and(|e| e == encoded);
            if !idn_chars_ok(&decoded) || !canonical {
                return Err(Finding::error(Code::DomainLabel).with("label", &decoded));
            }
            if !hyphens_ok(&decoded) {
                return Err(Finding::error(Code::DomainLabelHyphen).with("label", &decoded));
            }
            unicode.push_str(&decoded);
            ascii.push_str(label);
        } else if label.is_ascii() {
            unicode.push_str(label);
            ascii.push_str(label);
        } else if idn_chars_ok(label) {
            if !hyphens_ok(label) {
                return Err(Finding::error(Code::DomainLabelHyphen).with("label", label));
            }
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
    if unicode.is_empty() || !unicode.contains('.') || unicode.ends_with('.') || unicode.starts_with('.') {
        return Err(Finding::error(Code::DomainFormat));
    }
    let (ascii, unicode) = forms(&unicode)?;
    if ascii.len() > 253 {
        return Err(Finding::error(Code::DomainTooLong));
    }
    for label in ascii.split('.') {
        let ok = !label.is_empty() && label.len() <= 63 && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !ok {
            return Err(Finding::error(Code::DomainLabel).with("label", label));
        }
        // An A-label's own hyphens were checked on its Unicode form.
        if !label.starts_with("xn--") && !hyphens_ok(label) {
            return Err(Finding::error(Code::DomainLabelHyphen).with("label", label));
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
    let mut findings: Vec<Finding> = pack::before_sources(pack::Check::Domain, date).into_iter().collect();
    if domain.registrable != domain.unicode {
        findings.push(Finding::error(Code::DomainNotRegistrable).with("registrable", &domain.registrable));
    }
    let tld = domain.suffix.rsplit('.').next().unwrap_or_default().to_owned();
    let scope = Scope { subject, ..Scope::default() };
    // Off the approved list is refused (the list is the MIIT's, as dated data); an explicit
    // refusal names its own rule. No list in force (before 2018): no verdict on the suffix.
    let (mut approved_by, mut listed) = (None, false);
    for rule in pack::suffix_rules(date, scope) {
        match &rule.effect {
            Effect::RejectedTlds { tlds } if tlds.contains(&tld.as_str()) => {
                findings.push(Finding::error(Code::DomainTldNotApproved).with("tld", &tld).by_rule(rule.id));
                return findings;
            }
            Effect::ApprovedTlds { tlds } => {
                approved_by.get_or_insert(rule);
                listed |= tlds.contains(&tld.as_str());
            }
            Effect::RequiredTlds { tlds } if subject.is_some() && !tlds.iter().any(|t| domain.suffix == *t || tld == *t) => {
                findings.push(Finding::error(Code::DomainGovernmentTld).with("tlds", tlds.join(", ")).by_rule(rule.id));
            }
            _ => {}
        }
    }
    if domain.suffix == "gov.cn" && subject.is_some_and(|s| s != SubjectType::Government) {
        findings.push(Finding::error(Code::DomainGovernmentOnly));
    }
    if let Some(list) = approved_by
        && !listed
    {
        findings.push(Finding::error(Code::DomainTldNotApproved).with("tld", &tld).by_rule(list.id));
    }
    findings
}
