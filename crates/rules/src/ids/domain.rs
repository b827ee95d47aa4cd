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
    let mut from_third = label.chars().skip(2);
    let third_fourth = from_third.next() == Some('-') && from_third.next() == Some('-');
    !label.starts_with('-') && !label.ends_with('-') && !third_fourth
}

/// The characters of an internationalised label: letters (Chinese characters and other
/// scripts), digits and hyphens, lower-case.
fn idn_chars_ok(label: &str) -> bool {
    label.chars().all(|c| (c.is_alphanumeric() && !c.is_uppercase()) || c == '-')
}

/// The ASCII and Unicode forms, the ASCII one None when it is the typed one (an ASCII domain
/// without `xn--` labels, most domains). An ASCII label stays as it is; an `xn--` label is
/// decoded and held to the rules of a typed one (characters, hyphens, and it must be the
/// canonical encoding of what it decodes to); any other label is encoded with punycode.
fn forms(typed: String) -> Result<(Option<String>, String), Finding> {
    if typed.is_ascii() && !typed.split('.').any(|label| label.starts_with("xn--")) {
        return Ok((None, typed));
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
    Ok((Some(ascii), unicode))
}

/// A domain whose syntax passed: its Unicode form, its ASCII form where that differs, and
/// where its registrable domain and its public suffix begin in the Unicode form.
struct Parsed {
    unicode: String,
    ascii: Option<String>,
    registrable: usize,
    suffix: usize,
}

impl Parsed {
    fn registrable(&self) -> &str {
        self.unicode.get(self.registrable..).unwrap_or_default()
    }

    fn suffix(&self) -> &str {
        self.unicode.get(self.suffix..).unwrap_or_default()
    }
}

/// Parses the syntax of a domain (no filing rules).
pub fn parse(input: &str) -> Result<Domain, Finding> {
    let parsed = parse_parts(input)?;
    Ok(Domain {
        ascii: parsed.ascii.clone().unwrap_or_else(|| parsed.unicode.clone()),
        registrable: parsed.registrable().to_owned(),
        suffix: parsed.suffix().to_owned(),
        unicode: parsed.unicode,
    })
}

/// [`parse`], without copying out the parts (validation reads them in place).
fn parse_parts(input: &str) -> Result<Parsed, Finding> {
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
    let (ascii, unicode) = forms(unicode)?;
    let ascii_form = ascii.as_deref().unwrap_or(&unicode);
    if ascii_form.len() > 253 {
        return Err(Finding::error(Code::DomainTooLong));
    }
    for label in ascii_form.split('.') {
        let ok = !label.is_empty() && label.len() <= 63 && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(Finding::error(Code::DomainLabel).with("label", label));
        }
        // An A-label's own hyphens were checked on its Unicode form.
        if !label.starts_with("xn--") && !hyphens_ok(label) {
            return Err(Finding::error(Code::DomainLabelHyphen).with("label", label));
        }
    }
    // The last three dots, from the end: `last_labels(n)` is where the domain's last n + 1
    // labels begin.
    let mut dots = [None; 3];
    for (slot, (i, _)) in dots.iter_mut().zip(unicode.rmatch_indices('.')) {
        *slot = Some(i);
    }
    let last_labels = |n: usize| dots.get(n).copied().flatten().map_or(0, |i| i + 1);
    // There is at least one dot (checked above), so at least two labels.
    let suffix_labels = if SECOND_LEVEL.contains(&unicode.get(last_labels(1)..).unwrap_or_default()) { 2 } else { 1 };
    if dots.iter().flatten().count() < suffix_labels {
        return Err(Finding::error(Code::DomainFormat));
    }
    let (suffix, registrable) = (last_labels(suffix_labels - 1), last_labels(suffix_labels));
    Ok(Parsed { unicode, ascii, registrable, suffix })
}

/// The findings for a domain to be filed on `date` by a subject of `subject` type.
pub fn validate(input: &str, date: NaiveDate, subject: Option<SubjectType>) -> Vec<Finding> {
    let domain = match parse_parts(input) {
        Ok(d) => d,
        Err(f) => return vec![f],
    };
    let mut findings: Vec<Finding> = pack::before_sources(pack::Check::Domain, date).into_iter().collect();
    if domain.registrable != 0 {
        findings.push(Finding::error(Code::DomainNotRegistrable).with("registrable", domain.registrable()));
    }
    let suffix = domain.suffix();
    let tld = suffix.rsplit('.').next().unwrap_or_default();
    let scope = Scope { subject, ..Scope::default() };
    // Off the approved list is refused (the list is the MIIT's, as dated data); an explicit
    // refusal names its own rule. No list in force (before 2018): no verdict on the suffix.
    let (mut approved_by, mut listed) = (None, false);
    for rule in pack::suffix_rules(date, scope) {
        match &rule.effect {
            Effect::RejectedTlds { tlds } if tlds.contains(&tld) => {
                findings.push(Finding::error(Code::DomainTldNotApproved).with("tld", tld).by_rule(rule.id));
                return findings;
            }
            Effect::ApprovedTlds { tlds } => {
                approved_by.get_or_insert(rule);
                listed |= tlds.contains(&tld);
            }
            Effect::RequiredTlds { tlds } if subject.is_some() && !tlds.iter().any(|t| suffix == *t || tld == *t) => {
                findings.push(Finding::error(Code::DomainGovernmentTld).with("tlds", tlds.join(", ")).by_rule(rule.id));
            }
            _ => {}
        }
    }
    if suffix == "gov.cn" && subject.is_some_and(|s| s != SubjectType::Government) {
        findings.push(Finding::error(Code::DomainGovernmentOnly));
    }
    if let Some(list) = approved_by
        && !listed
    {
        findings.push(Finding::error(Code::DomainTldNotApproved).with("tld", tld).by_rule(list.id));
    }
    findings
}
