//! E-mail addresses, checked by the `validator` crate (HTML5 / RFC 5322 with IDN domains).

use validator::ValidateEmail;

use crate::problem::{Code, Finding};

/// The findings for an e-mail address.
pub fn validate(input: &str) -> Vec<Finding> {
    let trimmed = input.trim();
    // `validator` accepts dotless domains (`a@localhost`); a filing needs a reachable mailbox.
    let has_dot_domain = trimmed.rsplit_once('@').is_some_and(|(_, d)| d.contains('.') && !d.ends_with('.'));
    if trimmed.validate_email() && has_dot_domain { Vec::new() } else { vec![Finding::error(Code::EmailFormat)] }
}
