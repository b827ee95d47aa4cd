//! Service codes (备案服务号): UUID-shaped, single use (facts §2.1).

use crate::problem::{Code, Finding};

/// Trims and lower-cases ASCII letters (a code is hexadecimal).
pub fn compact(input: &str) -> String {
    input.trim().to_ascii_lowercase()
}

/// The findings for a service code's format (whether it exists and is unused is checked on
/// the server when the order is submitted).
pub fn validate(input: &str) -> Vec<Finding> {
    let code = compact(input);
    let lengths_ok = code.split('-').map(str::len).eq([8, 4, 4, 4, 12]);
    let hex_ok = code.split('-').all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()));
    if lengths_ok && hex_ok { Vec::new() } else { vec![Finding::error(Code::ServiceCodeFormat)] }
}
