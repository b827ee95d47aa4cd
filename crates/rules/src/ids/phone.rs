//! Office (landline) numbers: area code and number, optional extension, optional country code.

use crate::problem::{Code, Finding};

/// The number under the normalisation policy ([`super::normalize`]), hyphens kept.
pub fn compact(input: &str) -> String {
    super::normalize::identifier(input)
}

/// The findings for an office phone number. Accepted: `010-12345678`, `0571 8888 8888-123`,
/// `(0535)6700763`, and with the country code `+86-10-…`, `0086-10-…` or the providers'
/// documented form `086-区号-号码`, whose area code may keep its leading zero
/// (`086-0535-6700763`, Alibaba Cloud's example).
pub fn validate(input: &str) -> Vec<Finding> {
    let cleaned: String = compact(input).chars().filter(|c| !matches!(c, '(' | ')')).collect();
    // The country code, then an optional hyphen; the trunk zero is put back if it was dropped.
    let national = ["+86", "0086", "086"]
        .iter()
        .find_map(|cc| cleaned.strip_prefix(cc))
        .map(|r| r.strip_prefix('-').unwrap_or(r))
        .map(|r| if r.starts_with('0') { r.to_owned() } else { format!("0{r}") })
        .unwrap_or(cleaned);
    let mut parts = national.split('-');
    let (main, ext) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(area), Some(number), ext, None) => (format!("{area}{number}"), ext),
        (Some(whole), None, None, None) => (whole.to_owned(), None),
        _ => return vec![Finding::error(Code::PhoneFormat)],
    };
    let ok_main = main.starts_with('0')
        && !main.starts_with("00")
        && main.chars().all(|c| c.is_ascii_digit())
        && (10..=12).contains(&main.len());
    let ok_ext = ext.is_none_or(|e| (1..=6).contains(&e.len()) && e.chars().all(|c| c.is_ascii_digit()));
    if ok_main && ok_ext { Vec::new() } else { vec![Finding::error(Code::PhoneFormat)] }
}
