//! Mainland mobile numbers, with or without +86. Which ranges can take the MIIT's text
//! messages is dated data (`data/mobiles.toml`), compared with libphonenumber's China
//! metadata in `tests/peers.rs`.

use chrono::NaiveDate;

use crate::pack::{self, Check, Effect};
use crate::problem::{Code, Finding};

/// The number under the normalisation policy ([`super::normalize`]): full-width digits as
/// ASCII, spaces and hyphens removed, then without a +86 / 0086 / 86 prefix.
pub fn compact(input: &str) -> String {
    use super::normalize::{Case, Separators, identifier_as};
    let digits = identifier_as(input, Separators::DropHyphens, Case::Keep);
    let rest = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .or_else(|| if digits.len() == 13 { digits.strip_prefix("86") } else { None })
        .unwrap_or(&digits);
    rest.to_owned()
}

/// The findings for a mobile number on `date`: 11 digits opening with 1, in a range that can
/// take the MIIT's text messages on that day.
pub fn validate(input: &str, date: NaiveDate) -> Vec<Finding> {
    let number = compact(input);
    if number.len() != 11 || !number.chars().all(|c| c.is_ascii_digit()) || !number.starts_with('1') {
        return vec![Finding::error(Code::MobileFormat)];
    }
    if let Some(before) = pack::before_sources(Check::Mobile, date) {
        return vec![before];
    }
    let mut lists = pack::mobile_ranges(date).filter_map(|r| match &r.effect {
        Effect::MobileSegments { prefixes } => Some((prefixes, r)),
        _ => None,
    });
    let mut rule = None;
    let listed = lists.any(|(prefixes, r)| {
        rule = Some(r);
        prefixes.iter().any(|p| number.starts_with(p))
    });
    match rule {
        Some(rule) if !listed => vec![Finding::error(Code::MobileSegment).with("prefix", number.get(..3).unwrap_or_default()).by_rule(rule.id)],
        _ => Vec::new(),
    }
}
