//! Passports, the Hong Kong/Macao and Taiwan travel permits, foreigners' permanent residence
//! cards and the HK/Macao/Taiwan residence permits (format checks; no checksum is published
//! for the permits).

use crate::problem::{Code, Finding};
use crate::types::CertificateType;

/// The number under the normalisation policy ([`super::normalize`]): full-width characters as
/// ASCII, spaces and hyphens removed, ASCII letters upper-cased (a document number holds no
/// other letters).
pub fn compact(input: &str) -> String {
    use super::normalize::{Case, Separators, identifier_as};
    identifier_as(input, Separators::DropHyphens, Case::Upper).into_owned()
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// The findings for a document number of type `kind` (not for resident IDs or USCCs).
pub fn validate(kind: CertificateType, input: &str) -> Vec<Finding> {
    let n = compact(input);
    let ok = match kind {
        // Any country's passport: 5 to 20 letters and digits.
        CertificateType::Passport => (5..=20).contains(&n.len()) && n.chars().all(|c| c.is_ascii_alphanumeric()),
        // 港澳居民来往内地通行证: H or M and 8 digits (10 on older cards).
        CertificateType::HkMacaoPermit => {
            (n.starts_with('H') || n.starts_with('M')) && matches!(n.len(), 9 | 11) && all_digits(n.get(1..).unwrap_or_default())
        }
        // 台湾居民来往大陆通行证: 8 digits since 2015, 10 on older permits.
        CertificateType::TaiwanPermit => matches!(n.len(), 8 | 10) && all_digits(&n),
        // 外国人永久居留身份证: 3 letters + 12 digits (2004 card), or 18 characters opening with 9
        // and carrying the GB 11643 check (2023 card).
        CertificateType::ForeignPermanentResidentId => {
            let old = n.len() == 15
                && n.chars().take(3).all(|c| c.is_ascii_uppercase())
                && all_digits(n.get(3..).unwrap_or_default());
            let new = n.len() == 18
                && n.starts_with('9')
                && super::resident_id::check_char(n.get(..17).unwrap_or_default()) == n.chars().nth(17);
            old || new
        }
        // 港澳台居民居住证: an 18-character GB 11643 number with region 810000, 820000 or 830000.
        CertificateType::HkMacaoResidencePermit | CertificateType::TaiwanResidencePermit => {
            let prefix_ok = if kind == CertificateType::TaiwanResidencePermit {
                n.starts_with("830000")
            } else {
                n.starts_with("810000") || n.starts_with("820000")
            };
            n.len() == 18 && prefix_ok && super::resident_id::check_char(n.get(..17).unwrap_or_default()) == n.chars().nth(17)
        }
        CertificateType::ResidentOfficeRegistration => (6..=30).contains(&n.len()) && n.chars().all(|c| c.is_ascii_alphanumeric()),
        CertificateType::ResidentId | CertificateType::Uscc => true,
    };
    if ok {
        return Vec::new();
    }
    let code = match kind {
        CertificateType::Passport => Code::PassportFormat,
        CertificateType::HkMacaoPermit => Code::HkMacaoPermitFormat,
        CertificateType::TaiwanPermit => Code::TaiwanPermitFormat,
        CertificateType::ForeignPermanentResidentId => Code::ForeignPermanentResidentIdFormat,
        _ => Code::ResidencePermitFormat,
    };
    vec![Finding::error(code)]
}
