//! Office (landline) numbers: area code and number, optional extension, optional +86.

use crate::problem::{Code, Finding};

/// The findings for an office phone number such as `010-12345678`, `0571 8888 8888-123` or
/// `+86-10-12345678` (MIIT's own format is `086-区号-号码`).
pub fn validate(input: &str) -> Vec<Finding> {
    let cleaned: String = input.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let rest = cleaned
        .strip_prefix("+86-")
        .or_else(|| cleaned.strip_prefix("+86"))
        .or_else(|| cleaned.strip_prefix("086-"))
        .map(|r| format!("0{r}"))
        .unwrap_or(cleaned);
    let (main, ext) = match rest.split_once('-') {
        Some((area, tail)) => match tail.split_once('-') {
            Some((num, ext)) => (format!("{area}{num}"), Some(ext.to_owned())),
            None => (format!("{area}{tail}"), None),
        },
        None => (rest, None),
    };
    let ok_main = main.starts_with('0')
        && !main.starts_with("00")
        && main.chars().all(|c| c.is_ascii_digit())
        && (10..=12).contains(&main.len());
    let ok_ext = ext.is_none_or(|e| (1..=6).contains(&e.len()) && e.chars().all(|c| c.is_ascii_digit()));
    if ok_main && ok_ext { Vec::new() } else { vec![Finding::error(Code::PhoneFormat)] }
}
