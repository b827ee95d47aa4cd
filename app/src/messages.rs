//! Words for the rules crate's codes and enums, in the current language. Every match is
//! exhaustive, so a new code or enum value without words does not compile.

use beian_rules::types::{CertificateType, ContentCategory, DocumentKind, Product, FilingPath, OrderStatus, Province, SubjectType, VerificationStep};
use beian_rules::{Code, Finding};
use leptos::prelude::use_context;
use leptos_i18n::I18nContext;

use crate::i18n::*;
use crate::state::{AppState, Answer};

type I18n = I18nContext<Locale>;

include!(concat!(env!("OUT_DIR"), "/code_text.rs"));

/// "Enter {label}" for a missing answer, in the label's own words, when the field's label is
/// known (see [`AppState::label`]).
fn missing_text(i18n: I18n, field: &str) -> Option<String> {
    let (label, answer) = use_context::<AppState>()?.label_of(field)?;
    let label = label.trim();
    // English reads "Enter full name" but keeps "ID number" as it is; a question stays whole.
    let label = if is_zh(i18n) || answer == Answer::Question {
        label.to_owned()
    } else {
        let mut chars = label.chars();
        match (chars.next(), chars.next()) {
            (Some(first), Some(second)) if !second.is_uppercase() => first.to_lowercase().chain(label.chars().skip(1)).collect(),
            _ => label.to_owned(),
        }
    };
    Some(match answer {
        Answer::Text => t_string!(i18n, form.enter_label).to_string().replace("{label}", &label),
        Answer::Choice => t_string!(i18n, form.select_label).to_string().replace("{label}", &label),
        Answer::Question => t_string!(i18n, form.choose_answer).to_string().replace("{label}", &label),
    })
}

/// A finding's words, with its parameters filled in (`{word}` in the message).
pub fn finding_text(i18n: I18n, finding: &Finding) -> String {
    if finding.code == Code::Required {
        if let Some(text) = missing_text(i18n, &finding.field) {
            return text;
        }
    }
    let mut text = code_text(i18n, finding.code);
    for (key, value) in &finding.params {
        let shown = match key.as_str() {
            "document" => beian_rules::wire::parse::<DocumentKind>(value)
                .map(|d| document_name(i18n, d))
                .unwrap_or_else(|| value.clone()),
            "issued" | "location" | "province" => Province::parse(value).map(|p| province_name(i18n, p)).unwrap_or_else(|| value.clone()),
            _ => value.clone(),
        };
        text = text.replace(&format!("{{{key}}}"), &shown);
    }
    text
}

/// True while the page is in Chinese.
pub fn is_zh(i18n: I18n) -> bool {
    i18n.get_locale() == Locale::zh_CN
}

pub fn province_name(i18n: I18n, p: Province) -> String {
    if is_zh(i18n) { p.name_zh().to_owned() } else { p.name_en().to_owned() }
}

pub fn subject_type_name(i18n: I18n, s: SubjectType) -> String {
    use SubjectType as S;
    match s {
        S::Individual => t_string!(i18n, subject_types.individual),
        S::Enterprise => t_string!(i18n, subject_types.enterprise),
        S::ForeignResidentOffice => t_string!(i18n, subject_types.foreign_resident_office),
        S::Government => t_string!(i18n, subject_types.government),
        S::PublicInstitution => t_string!(i18n, subject_types.public_institution),
        S::SocialOrganization => t_string!(i18n, subject_types.social_organization),
        S::PrivateNonEnterprise => t_string!(i18n, subject_types.private_non_enterprise),
        S::Foundation => t_string!(i18n, subject_types.foundation),
        S::LawFirm => t_string!(i18n, subject_types.law_firm),
    }
    .to_string()
}

pub fn path_name(i18n: I18n, p: FilingPath) -> String {
    use FilingPath as P;
    match p {
        P::FirstFiling => t_string!(i18n, paths.first_filing),
        P::AddWebsite => t_string!(i18n, paths.add_website),
        P::AddWebsiteSubjectElsewhere => t_string!(i18n, paths.add_website_subject_elsewhere),
        P::TransferIn => t_string!(i18n, paths.transfer_in),
        P::TransferInExistingSubject => t_string!(i18n, paths.transfer_in_existing_subject),
        P::Change => t_string!(i18n, paths.change),
        P::CancelWebsite => t_string!(i18n, paths.cancel_website),
        P::CancelSubject => t_string!(i18n, paths.cancel_subject),
        P::CancelTransfer => t_string!(i18n, paths.cancel_transfer),
        P::ClaimLegacy => t_string!(i18n, paths.claim_legacy),
        P::DnsChangeOnly => t_string!(i18n, paths.dns_change_only),
        P::NotRequired => t_string!(i18n, paths.not_required),
    }
    .to_string()
}

pub fn document_name(i18n: I18n, d: DocumentKind) -> String {
    use DocumentKind as D;
    match d {
        D::SubjectCertificate => t_string!(i18n, documents.subject_certificate),
        D::SubjectPrincipalId => t_string!(i18n, documents.subject_principal_id),
        D::WebsitePrincipalId => t_string!(i18n, documents.website_principal_id),
        D::AuthenticityStatement => t_string!(i18n, documents.authenticity_statement),
        D::ResponsibilityNoticeAndPledge => t_string!(i18n, documents.responsibility_notice_and_pledge),
        D::GuangdongServicePledge => t_string!(i18n, documents.guangdong_service_pledge),
        D::DomainCertificate => t_string!(i18n, documents.domain_certificate),
        D::DomainRegistrantProof => t_string!(i18n, documents.domain_registrant_proof),
        D::LegalRepresentativeAuthorization => t_string!(i18n, documents.legal_representative_authorization),
        D::ResidencePermit => t_string!(i18n, documents.residence_permit),
        D::PartyGovernmentConfirmation => t_string!(i18n, documents.party_government_confirmation),
        D::WebsiteConstructionPlan => t_string!(i18n, documents.website_construction_plan),
        D::PreApproval => t_string!(i18n, documents.pre_approval),
        D::MinorProof => t_string!(i18n, documents.minor_proof),
    }
    .to_string()
}

pub fn condition_name(i18n: I18n, c: beian_rules::pack::Condition) -> String {
    use beian_rules::pack::Condition as C;
    match c {
        C::SubjectPrincipalNotLegalRepresentative => t_string!(i18n, conditions.subject_principal_not_legal_representative),
        C::WebsitePrincipalNotLegalRepresentative => t_string!(i18n, conditions.website_principal_not_legal_representative),
        C::DomainHolderNotSubject => t_string!(i18n, conditions.domain_holder_not_subject),
        C::NonLocalIndividual => t_string!(i18n, conditions.non_local_individual),
        C::DomainsInOrderAtLeast => t_string!(i18n, conditions.domains_in_order_at_least),
        C::Minor => t_string!(i18n, conditions.minor),
        C::PreApprovalContent => t_string!(i18n, conditions.pre_approval_content),
    }
    .to_string()
}

pub fn step_name(i18n: I18n, s: VerificationStep) -> String {
    use VerificationStep as V;
    match s {
        V::ProviderCall => t_string!(i18n, steps.provider_call),
        V::BackdropPhoto => t_string!(i18n, steps.backdrop_photo),
        V::FaceVerification => t_string!(i18n, steps.face_verification),
        V::FaceOrBackdrop => t_string!(i18n, steps.face_or_backdrop),
        V::ShanghaiAdministrationApp => t_string!(i18n, steps.shanghai_administration_app),
        V::SmsVerification => t_string!(i18n, steps.sms_verification),
        V::FilingPassword => t_string!(i18n, steps.filing_password),
        V::AppDocumentUpload => t_string!(i18n, steps.app_document_upload),
    }
    .to_string()
}

pub fn content_name(i18n: I18n, c: ContentCategory) -> String {
    use ContentCategory as C;
    match c {
        C::News => t_string!(i18n, content.news),
        C::Publishing => t_string!(i18n, content.publishing),
        C::Education => t_string!(i18n, content.education),
        C::Healthcare => t_string!(i18n, content.healthcare),
        C::DrugsAndMedicalDevices => t_string!(i18n, content.drugs_and_medical_devices),
        C::Bbs => t_string!(i18n, content.bbs),
        C::Culture => t_string!(i18n, content.culture),
        C::RadioFilmTv => t_string!(i18n, content.radio_film_tv),
        C::RideHailing => t_string!(i18n, content.ride_hailing),
        C::Finance => t_string!(i18n, content.finance),
        C::OffCampusTutoring => t_string!(i18n, content.off_campus_tutoring),
        C::Religion => t_string!(i18n, content.religion),
        C::Games => t_string!(i18n, content.games),
        C::ECommerce => t_string!(i18n, content.e_commerce),
    }
    .to_string()
}

pub fn product_name(i18n: I18n, p: Product) -> String {
    use Product as P;
    match p {
        P::Ecs => t_string!(i18n, products.ecs),
        P::SimpleApplicationServer => t_string!(i18n, products.simple_application_server),
        P::WebHosting => t_string!(i18n, products.web_hosting),
        P::ElasticWebHosting => t_string!(i18n, products.elastic_web_hosting),
        P::NatGateway => t_string!(i18n, products.nat_gateway),
        P::Ipv6Translation => t_string!(i18n, products.ipv6_translation),
        P::EdgeNodeService => t_string!(i18n, products.edge_node_service),
        P::MarketplaceSite => t_string!(i18n, products.marketplace_site),
        P::LoadBalancer => t_string!(i18n, products.load_balancer),
        P::ContainerService => t_string!(i18n, products.container_service),
        P::IotPackage => t_string!(i18n, products.iot_package),
    }
    .to_string()
}

pub fn cert_type_name(i18n: I18n, c: CertificateType) -> String {
    use CertificateType as C;
    match c {
        C::ResidentId => t_string!(i18n, cert_types.resident_id),
        C::Uscc => t_string!(i18n, cert_types.uscc),
        C::ResidentOfficeRegistration => t_string!(i18n, cert_types.resident_office_registration),
        C::Passport => t_string!(i18n, cert_types.passport),
        C::HkMacaoPermit => t_string!(i18n, cert_types.hk_macao_permit),
        C::TaiwanPermit => t_string!(i18n, cert_types.taiwan_permit),
        C::ForeignPermanentResidentId => t_string!(i18n, cert_types.foreign_permanent_resident_id),
        C::HkMacaoResidencePermit => t_string!(i18n, cert_types.hk_macao_residence_permit),
        C::TaiwanResidencePermit => t_string!(i18n, cert_types.taiwan_residence_permit),
    }
    .to_string()
}

pub fn status_name(i18n: I18n, s: OrderStatus) -> String {
    use OrderStatus as S;
    match s {
        S::Draft => t_string!(i18n, order.status.draft),
        S::ProviderReview => t_string!(i18n, order.status.provider_review),
        S::IdentityVerification => t_string!(i18n, order.status.identity_verification),
        S::PendingSubmission => t_string!(i18n, order.status.pending_submission),
        S::SmsVerification => t_string!(i18n, order.status.sms_verification),
        S::AuthorityReview => t_string!(i18n, order.status.authority_review),
        S::Approved => t_string!(i18n, order.status.approved),
        S::ProviderRejected => t_string!(i18n, order.status.provider_rejected),
        S::AuthorityRejected => t_string!(i18n, order.status.authority_rejected),
        S::Withdrawn => t_string!(i18n, order.status.withdrawn),
        S::Abandoned => t_string!(i18n, order.status.abandoned),
        S::Expired => t_string!(i18n, order.status.expired),
    }
    .to_string()
}

pub fn next_step(i18n: I18n, s: OrderStatus) -> String {
    use OrderStatus as S;
    match s {
        S::Draft => t_string!(i18n, order.next.draft),
        S::ProviderReview => t_string!(i18n, order.next.provider_review),
        S::IdentityVerification => t_string!(i18n, order.next.identity_verification),
        S::PendingSubmission => t_string!(i18n, order.next.pending_submission),
        S::SmsVerification => t_string!(i18n, order.next.sms_verification),
        S::AuthorityReview => t_string!(i18n, order.next.authority_review),
        S::Approved => t_string!(i18n, order.next.approved),
        S::ProviderRejected => t_string!(i18n, order.next.provider_rejected),
        S::AuthorityRejected => t_string!(i18n, order.next.authority_rejected),
        S::Withdrawn => t_string!(i18n, order.next.withdrawn),
        S::Abandoned => t_string!(i18n, order.next.abandoned),
        S::Expired => t_string!(i18n, order.next.expired),
    }
    .to_string()
}
