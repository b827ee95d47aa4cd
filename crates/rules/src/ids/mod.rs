//! Field validators, one module per identifier, each with the same small surface
//! (`compact`, which applies the one normalisation policy of [`normalize`], and `validate`
//! returning findings). [`validate_field`] is the
//! single entry point used by the app and by `POST /api/validate_field`.

pub mod domain;
pub mod email;
pub mod icp_number;
pub mod mobile;
pub mod normalize;
pub mod phone;
pub mod resident_id;
pub mod service_code;
pub mod travel_document;
pub mod uscc;
pub mod website_name;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::problem::{Code, Finding};
use crate::types::{CertificateType, Province, SubjectType};

/// The kinds of field the rules crate validates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    ResidentId,
    Uscc,
    Passport,
    HkMacaoPermit,
    TaiwanPermit,
    ForeignPermanentResidentId,
    HkMacaoResidencePermit,
    TaiwanResidencePermit,
    Mobile,
    Phone,
    Email,
    Domain,
    WebsiteName,
    IcpNumber,
    ServiceCode,
}

impl FieldKind {
    /// Every kind.
    pub const ALL: &'static [FieldKind] = &[
        FieldKind::ResidentId,
        FieldKind::Uscc,
        FieldKind::Passport,
        FieldKind::HkMacaoPermit,
        FieldKind::TaiwanPermit,
        FieldKind::ForeignPermanentResidentId,
        FieldKind::HkMacaoResidencePermit,
        FieldKind::TaiwanResidencePermit,
        FieldKind::Mobile,
        FieldKind::Phone,
        FieldKind::Email,
        FieldKind::Domain,
        FieldKind::WebsiteName,
        FieldKind::IcpNumber,
        FieldKind::ServiceCode,
    ];

    /// The field kind that checks a certificate number of type `cert`.
    pub fn for_certificate(cert: CertificateType) -> FieldKind {
        match cert {
            CertificateType::ResidentId => FieldKind::ResidentId,
            CertificateType::Uscc | CertificateType::ResidentOfficeRegistration => FieldKind::Uscc,
            CertificateType::Passport => FieldKind::Passport,
            CertificateType::HkMacaoPermit => FieldKind::HkMacaoPermit,
            CertificateType::TaiwanPermit => FieldKind::TaiwanPermit,
            CertificateType::ForeignPermanentResidentId => FieldKind::ForeignPermanentResidentId,
            CertificateType::HkMacaoResidencePermit => FieldKind::HkMacaoResidencePermit,
            CertificateType::TaiwanResidencePermit => FieldKind::TaiwanResidencePermit,
        }
    }
}

/// What some fields need besides their value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldContext {
    #[serde(default)]
    pub province: Option<Province>,
    #[serde(default)]
    pub subject_type: Option<SubjectType>,
    /// For website names: the site's domain.
    #[serde(default)]
    pub domain: Option<String>,
}

/// Validates one field's value as of `date`. An empty value is `field.required`.
pub fn validate_field(kind: FieldKind, value: &str, ctx: &FieldContext, date: NaiveDate) -> Vec<Finding> {
    if let Some(refused) = empty_or_too_long(value) {
        return vec![refused];
    }
    match kind {
        FieldKind::ResidentId => resident_id::validate(value, date),
        FieldKind::Uscc => uscc::validate(value, ctx.subject_type),
        FieldKind::Passport => travel_document::validate(CertificateType::Passport, value),
        FieldKind::HkMacaoPermit => travel_document::validate(CertificateType::HkMacaoPermit, value),
        FieldKind::TaiwanPermit => travel_document::validate(CertificateType::TaiwanPermit, value),
        FieldKind::ForeignPermanentResidentId => travel_document::validate(CertificateType::ForeignPermanentResidentId, value),
        FieldKind::HkMacaoResidencePermit => travel_document::validate(CertificateType::HkMacaoResidencePermit, value),
        FieldKind::TaiwanResidencePermit => travel_document::validate(CertificateType::TaiwanResidencePermit, value),
        FieldKind::Mobile => mobile::validate(value, date),
        FieldKind::Phone => phone::validate(value),
        FieldKind::Email => email::validate(value),
        FieldKind::Domain => domain::validate(value, date, ctx.subject_type),
        FieldKind::WebsiteName => {
            let name = website_name::NameContext { subject: ctx.subject_type, province: ctx.province, domain: ctx.domain.as_deref() };
            website_name_findings(value, name, date)
        }
        FieldKind::IcpNumber => icp_number::validate(value, ctx.province),
        FieldKind::ServiceCode => service_code::validate(value),
    }
}

/// `field.required` for an empty value, `field.too_long` for one of over 200 characters.
pub(crate) fn empty_or_too_long(value: &str) -> Option<Finding> {
    if normalize::is_blank(value) {
        return Some(Finding::error(Code::Required));
    }
    // A text of at most 200 bytes has at most 200 characters.
    (value.len() > 200 && value.chars().count() > 200).then(|| Finding::error(Code::TooLong).with("max", 200))
}

/// [`validate_field`] for a website name, with its context borrowed (an application's
/// websites are checked without copying their domains into a [`FieldContext`]).
pub(crate) fn validate_website_name(value: &str, ctx: website_name::NameContext<'_>, date: NaiveDate) -> Vec<Finding> {
    match empty_or_too_long(value) {
        Some(refused) => vec![refused],
        None => website_name_findings(value, ctx, date),
    }
}

fn website_name_findings(value: &str, ctx: website_name::NameContext<'_>, date: NaiveDate) -> Vec<Finding> {
    crate::pack::before_sources(crate::pack::Check::WebsiteName, date).into_iter().chain(website_name::validate(value, date, ctx)).collect()
}
