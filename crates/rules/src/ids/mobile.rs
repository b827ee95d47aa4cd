//! Mainland mobile numbers, with or without +86.

use crate::problem::{Code, Finding};

/// Removes spaces, hyphens and a +86 / 0086 / 86 prefix.
pub fn compact(input: &str) -> String {
    let digits: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let rest = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .or_else(|| if digits.len() == 13 { digits.strip_prefix("86") } else { None })
        .unwrap_or(&digits);
    rest.to_owned()
}

/// The findings for a mobile number. Segments follow facts §5.3: the second digit is 3-9,
/// and data-only / IoT segments (14x but 145/147/149 data cards, 1440-1441) cannot take SMS.
pub fn validate(input: &str) -> Vec<Finding> {
    let number = compact(input);
    if number.len() != 11 || !number.chars().all(|c| c.is_ascii_digit()) || !number.starts_with('1') {
        return vec![Finding::error(Code::MobileFormat)];
    }
    let second = number.chars().nth(1).and_then(|c| c.to_digit(10)).unwrap_or(0);
    let third = number.chars().nth(2).and_then(|c| c.to_digit(10)).unwrap_or(0);
    let sms_capable = match second {
        3 | 5 | 7 | 8 | 9 => !(second == 5 && third == 4),
        6 => matches!(third, 2 | 5 | 6 | 7),
        4 => matches!(third, 5 | 7 | 9),
        _ => false,
    };
    if sms_capable { Vec::new() } else { vec![Finding::error(Code::MobileSegment)] }
}
