//! E-mail addresses, parsed by the `email_address` crate (RFC 5322 / RFC 6531, so Chinese
//! mailbox names and IDN domains pass). It has no regular-expression engine, which keeps the
//! wasm app small.

use email_address::EmailAddress;

use crate::problem::{Code, Finding};

/// The address under the normalisation policy ([`super::normalize`]): full-width characters
/// (`＠`) as ASCII, spaces removed.
pub fn compact(input: &str) -> String {
    super::normalize::identifier(input)
}

/// The form two addresses are compared in (the domain is case-insensitive, and mailboxes are
/// treated so by every provider the filing system sends to).
pub fn comparable(input: &str) -> String {
    use super::normalize::{Case, Separators, identifier_as};
    let lowered = identifier_as(input, Separators::Keep, Case::Lower);
    // ASCII letters are lower-case already; other letters need Unicode's lower case.
    if lowered.is_ascii() { lowered.into_owned() } else { lowered.to_lowercase() }
}

/// The findings for an e-mail address.
pub fn validate(input: &str) -> Vec<Finding> {
    let compacted = compact(input);
    let trimmed = compacted.as_str();
    // The RFC allows dotless domains (`a@localhost`) and quoted or bracketed parts; a filing
    // needs an ordinary reachable mailbox.
    let ordinary = trimmed.rsplit_once('@').is_some_and(|(local, domain)| {
        !local.starts_with('"') && domain.contains('.') && !domain.ends_with('.') && !domain.starts_with('[')
    });
    if ordinary && EmailAddress::is_valid(trimmed) { Vec::new() } else { vec![Finding::error(Code::EmailFormat)] }
}
