//! Service codes (备案服务号): UUID-shaped, one per website, single use (facts §2.1, seed 003).

use crate::problem::{Code, Finding};

/// The code under the normalisation policy ([`super::normalize`]): full-width characters as
/// ASCII, spaces removed, hexadecimal letters lower-cased. The store looks codes up in this form.
pub fn compact(input: &str) -> String {
    use super::normalize::{Case, Separators, identifier_as};
    identifier_as(input, Separators::Keep, Case::Lower).into_owned()
}

/// The findings for a service code's format (whether it exists and is unused is checked on
/// the server when the order is submitted).
pub fn validate(input: &str) -> Vec<Finding> {
    // Groups of 8, 4, 4, 4 and 12 hexadecimal digits (either case), joined by hyphens.
    let code = compact(input);
    let code = code.as_bytes();
    let ok = code.len() == 36
        && code.iter().enumerate().all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { *b == b'-' } else { b.is_ascii_hexdigit() });
    if ok { Vec::new() } else { vec![Finding::error(Code::ServiceCodeFormat)] }
}
