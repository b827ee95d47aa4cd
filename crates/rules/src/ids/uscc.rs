//! Unified social credit codes (GB 32100-2015).

use crate::problem::{Code, Finding};
use crate::types::{Province, SubjectType};

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Early pilot codes that fail the checksum yet were legally issued (facts §5.2); they get a
/// warning so that a reviewer looks, not an error.
pub const KNOWN_LEGACY: &[&str] = &["91350100M0001TGQXM"];

/// The code under the normalisation policy ([`super::normalize`]): full-width characters as
/// ASCII, spaces and hyphens removed, ASCII letters upper-cased (a code holds no other letters).
pub fn compact(input: &str) -> String {
    use super::normalize::{Case, Separators, identifier_as};
    identifier_as(input, Separators::DropHyphens, Case::Upper).into_owned()
}

/// The region of codes registered at central level (国家级登记管理机关), not a province's.
pub const CENTRAL_REGION: &str = "100000";

fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    ALPHABET.chars().nth(((31 - sum % 31) % 31) as usize)
}

/// The findings for a USCC; `subject_type`, when known, is cross-checked with positions 1-2.
pub fn validate(input: &str, subject_type: Option<SubjectType>) -> Vec<Finding> {
    let code = compact(input);
    if code.chars().count() != 18 {
        return vec![Finding::error(Code::UsccFormat).with("length", code.chars().count())];
    }
    if let Some(bad) = code.chars().find(|c| value(*c).is_none()) {
        return vec![Finding::error(Code::UsccAlphabet).with("char", bad)];
    }
    let region = code.get(2..8).unwrap_or_default();
    let known = region == CENTRAL_REGION || Province::from_gb2260(region).is_some_and(Province::is_mainland);
    if !region.chars().all(|c| c.is_ascii_digit()) || !known {
        return vec![Finding::error(Code::UsccRegion).with("region", region)];
    }
    let mut findings = Vec::new();
    if check_char(code.get(..17).unwrap_or_default()) != code.chars().nth(17) {
        if KNOWN_LEGACY.contains(&code.as_str()) {
            findings.push(Finding::warning(Code::UsccLegacyChecksum));
        } else {
            return vec![Finding::error(Code::UsccChecksum)];
        }
    }
    if let Some(t) = subject_type {
        let prefix = code.get(..2).unwrap_or_default();
        if !t.uscc_prefixes().is_empty() && !t.uscc_prefixes().contains(&prefix) {
            findings.push(Finding::warning(Code::UsccSubjectTypeMismatch).with("prefix", prefix));
        }
    }
    findings
}

/// The province that issued the code (positions 3-8); none for a code registered at central
/// level, which may file in any province.
pub fn province(input: &str) -> Option<Province> {
    Province::from_gb2260(compact(input).get(2..8)?).filter(|p| p.is_mainland())
}
