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

/// The number under the normalisation policy ([`super::normalize`]): full-width digits as
/// ASCII, spaces and hyphens removed, the check character upper-cased.
pub fn compact(input: &str) -> String {
    use super::normalize::{Case, Separators, identifier_as};
    identifier_as(input, Separators::DropHyphens, Case::Upper).into_owned()
}

/// The check character for the first 17 digits (ISO 7064 MOD 11-2).
pub fn check_char(first17: &str) -> Option<char> {
    let digits = first17.as_bytes();
    if digits.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in digits.iter().zip(WEIGHTS) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    CHECK.get((sum % 11) as usize).copied()
}

/// The earliest birth date a resident ID can carry.
const EARLIEST_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Parses and checks a resident ID as of `today` (birth dates cannot be in the future).
pub fn parse(input: &str, today: NaiveDate) -> Result<ResidentId, Finding> {
    use super::normalize::{Case, Separators, identifier_as};
    let number = identifier_as(input, Separators::DropHyphens, Case::Upper);
    let (province, birth_date, male) = checked(&number, today)?;
    Ok(ResidentId { number: number.into_owned(), province, birth_date, male })
}

/// The checks of [`parse`] on a compact number: its province, birth date and sex.
fn checked(number: &str, today: NaiveDate) -> Result<(Province, NaiveDate, bool), Finding> {
    let bytes = number.as_bytes();
    if bytes.len() == 15 && bytes.iter().all(u8::is_ascii_digit) {
        return Err(Finding::error(Code::ResidentIdFirstGeneration));
    }
    // 17 digits, then a digit or X.
    let (first17, last) = match bytes.split_last() {
        Some((&last, first17))
            if first17.len() == 17 && first17.iter().all(u8::is_ascii_digit) && (last.is_ascii_digit() || last == b'X') =>
        {
            (first17, last)
        }
        _ => return Err(Finding::error(Code::ResidentIdFormat).with("length", number.chars().count())),
    };
    let region = number.get(..6).unwrap_or_default();
    // 81, 82 and 83 open the Hong Kong, Macao and Taiwan residence permits (another
    // certificate type with the same layout); 71 (Taiwan) is on no resident ID card.
    if let Some(permit) = residence_permit_of(region) {
        return Err(Finding::error(Code::ResidentIdIsResidencePermit).with("certificate", crate::wire::name(&permit)));
    }
    let province = Province::from_gb2260(number)
        .filter(|p| p.is_mainland())
        .ok_or_else(|| Finding::error(Code::ResidentIdRegion).with("region", region))?;
    // The digits at `range` as a number: YYYYMMDD from position 6.
    let part = |range: std::ops::Range<usize>| {
        first17.get(range).unwrap_or_default().iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let birth_date = NaiveDate::from_ymd_opt(part(6..10) as i32, part(10..12), part(12..14))
        .filter(|d| *d >= EARLIEST_BIRTH)
        .ok_or_else(|| Finding::error(Code::ResidentIdBirthDate).with("birth_date", number.get(6..14).unwrap_or_default()))?;
    if birth_date > today {
        return Err(Finding::error(Code::ResidentIdBirthDateFuture).with("birth_date", birth_date));
    }
    let expected = check_char(number.get(..17).unwrap_or_default()).ok_or_else(|| Finding::error(Code::ResidentIdFormat))?;
    if char::from(last) != expected {
        return Err(Finding::error(Code::ResidentIdChecksum));
    }
    let male = part(16..17) % 2 == 1;
    Ok((province, birth_date, male))
}

/// The residence permit whose numbers open with `region`'s first two digits, if any.
fn residence_permit_of(region: &str) -> Option<crate::types::CertificateType> {
    use crate::types::CertificateType as C;
    match region.get(..2)? {
        "81" | "82" => Some(C::HkMacaoResidencePermit),
        "83" => Some(C::TaiwanResidencePermit),
        _ => None,
    }
}

/// The findings for a resident ID field.
pub fn validate(input: &str, today: NaiveDate) -> Vec<Finding> {
    use super::normalize::{Case, Separators, identifier_as};
    match checked(&identifier_as(input, Separators::DropHyphens, Case::Upper), today) {
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
