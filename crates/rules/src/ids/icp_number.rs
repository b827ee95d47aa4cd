//! ICP filing numbers: `<province>ICP备<serial>号[-<site>[A|X|K]]` (facts §5.4).

use crate::problem::{Code, Finding};
use crate::types::Province;

/// A parsed ICP number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcpNumber {
    pub province: Province,
    /// 8 digits (older) or 10 digits (year-prefixed).
    pub serial: String,
    /// The website (or app, mini-program, quick app) suffix, if any.
    pub site: Option<u32>,
    /// `A` app, `X` mini-program, `K` quick app.
    pub service_letter: Option<char>,
}

/// Parses an ICP number.
pub fn parse(input: &str) -> Result<IcpNumber, Finding> {
    // The normalisation policy (`super::normalize`): full-width letters, digits and hyphens as
    // ASCII, spaces removed.
    let s = super::normalize::identifier(input).to_ascii_uppercase();
    let first = s.chars().next().map(String::from).unwrap_or_default();
    let rest = s.get(first.len()..).unwrap_or_default();
    let Some(rest) = rest.strip_prefix("ICP备") else {
        return Err(Finding::error(Code::IcpNumberFormat));
    };
    let province = Province::from_icp_char(&first).ok_or_else(|| Finding::error(Code::IcpNumberProvince).with("char", &first))?;
    let Some((serial, tail)) = rest.split_once('号') else {
        return Err(Finding::error(Code::IcpNumberFormat));
    };
    if !serial.chars().all(|c| c.is_ascii_digit()) || !matches!(serial.len(), 8 | 10) {
        return Err(Finding::error(Code::IcpNumberSerial).with("length", serial.chars().count()));
    }
    let (site, service_letter) = if tail.is_empty() {
        (None, None)
    } else {
        let suffix = tail.strip_prefix('-').ok_or_else(|| Finding::error(Code::IcpNumberFormat))?;
        let (digits, letter) = match suffix.chars().last() {
            Some(c @ ('A' | 'X' | 'K')) => (suffix.get(..suffix.len() - 1).unwrap_or_default(), Some(c)),
            _ => (suffix, None),
        };
        if digits.is_empty() || digits.len() > 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Finding::error(Code::IcpNumberFormat));
        }
        (digits.parse().ok(), letter)
    };
    Ok(IcpNumber { province, serial: serial.to_owned(), site, service_letter })
}

/// The findings for an ICP number; with `province`, the number must belong to it.
pub fn validate(input: &str, province: Option<Province>) -> Vec<Finding> {
    match parse(input) {
        Ok(n) => match province {
            Some(p) if p != n.province => vec![Finding::error(Code::IcpNumberWrongProvince).with("province", p.code())],
            _ => Vec::new(),
        },
        Err(f) => vec![f],
    }
}

/// An ICP number in the administration's format: the province's character, `ICP备`, a
/// 10-digit serial (the year, then six digits) and `号`; with `site`, the website's `-N`.
/// None when the province has no ICP character or the serial does not fit.
pub fn format(province: Province, year: i32, serial: u32, site: Option<u32>) -> Option<String> {
    let character = province.icp_chars().first()?;
    if !(1000..=9999).contains(&year) || serial > 999_999 {
        return None;
    }
    let mut number = format!("{character}ICP备{year}{serial:06}号");
    if let Some(site) = site {
        number.push_str(&format!("-{site}"));
    }
    Some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numbers_it_formats_are_valid_ones() {
        let subject = format(Province::Beijing, 2026, 42, None).unwrap_or_default();
        assert_eq!(subject, "京ICP备2026000042号");
        assert_eq!(validate(&subject, Some(Province::Beijing)), Vec::new());
        let site = format(Province::Sichuan, 2026, 1, Some(2)).unwrap_or_default();
        assert_eq!(site, "川ICP备2026000001号-2");
        assert_eq!(parse(&site).map(|n| n.site), Ok(Some(2)));
        assert_eq!(format(Province::HongKong, 2026, 1, None), None);
        assert_eq!(format(Province::Beijing, 2026, 1_000_000, None), None);
    }
}
