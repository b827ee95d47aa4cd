//! 18-digit resident identity card numbers (GB 11643-1999).

use chrono::NaiveDate;

use crate::problem::{Code, Finding};
use crate::types::Province;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A checked resident ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidentId {
    pub number: String,
    pub province: Province,
    pub birth_date: NaiveDate,
    /// True when the sequence digit is odd.
    pub male: bool,
}

/// Removes spaces and upper-cases the check character.
pub fn compact(input: &str) -> String {
    if input.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return input.to_ascii_uppercase();
    }
    input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
}

/// The check character for the first 17 digits (ISO 7064 MOD 11-2).
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    if first17.chars().count() != 17 {
        return None;
    }
    CHECK.get((sum % 11) as usize).copied()
}

/// Parses and checks a resident ID as of `today` (birth dates cannot be in the future).
pub fn parse(input: &str, today: NaiveDate) -> Result<ResidentId, Finding> {
    let number = compact(input);
    if number.len() == 15 && number.chars().all(|c| c.is_ascii_digit()) {
        return Err(Finding::error(Code::ResidentIdFirstGeneration));
    }
    let valid_shape = number.len() == 18
        && number.chars().take(17).all(|c| c.is_ascii_digit())
        && number.chars().nth(17).is_some_and(|c| c.is_ascii_digit() || c == 'X');
    if !valid_shape {
        return Err(Finding::error(Code::ResidentIdFormat).with("length", number.chars().count()));
    }
    let province = Province::from_gb2260(&number)
        .ok_or_else(|| Finding::error(Code::ResidentIdRegion).with("region", number.get(..6).unwrap_or_default()))?;
    let birth = number.get(6..14).unwrap_or_default();
    // Eight ASCII digits (the shape is checked above): YYYYMMDD.
    let part = |range: std::ops::Range<usize>| birth.get(range).and_then(|d| d.parse::<u32>().ok());
    let birth_date = part(0..4)
        .zip(part(4..6))
        .zip(part(6..8))
        .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d))
        .filter(|d| *d >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default())
        .ok_or_else(|| Finding::error(Code::ResidentIdBirthDate).with("birth_date", birth))?;
    if birth_date > today {
        return Err(Finding::error(Code::ResidentIdBirthDateFuture).with("birth_date", birth_date));
    }
    let first17 = number.get(..17).unwrap_or_default();
    let expected = check_char(first17).ok_or_else(|| Finding::error(Code::ResidentIdFormat))?;
    if number.chars().nth(17) != Some(expected) {
        return Err(Finding::error(Code::ResidentIdChecksum));
    }
    let male = number.chars().nth(16).and_then(|c| c.to_digit(10)).is_some_and(|d| d % 2 == 1);
    Ok(ResidentId { number, province, birth_date, male })
}

/// The findings for a resident ID field.
pub fn validate(input: &str, today: NaiveDate) -> Vec<Finding> {
    match parse(input, today) {
        Ok(_) => Vec::new(),
        Err(f) => vec![f],
    }
}

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}
