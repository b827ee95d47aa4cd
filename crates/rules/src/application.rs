//! Whole-application validation: every problem of a filing, with the path of its field,
//! including the rules that span fields (principals, addresses, domain holders, caps,
//! documents).
//!
//! [`Application`] is lenient: every field may be missing, so a draft always saves; a filing
//! may be submitted only when [`validate_application`] returns no error.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxBuildHasher;
use std::fmt;
use std::rc::Rc;

use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::{self, FieldContext, FieldKind, normalize, resident_id};
use crate::pack::{self, Condition, Effect, NonLocalPolicy, Scope};
use crate::problem::{Code, Finding};
use crate::requirements::{self, Requirements};
use crate::types::{CertificateType, ContentCategory, DocumentKind, FilingPath, Province, SubjectType};

/// A person on a filing: the subject principal or a website principal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    pub name: String,
    pub certificate_type: Option<CertificateType>,
    pub certificate_number: String,
    /// Last day the document is valid; ignored when `long_term`.
    pub certificate_valid_until: Option<NaiveDate>,
    pub long_term: bool,
    pub mobile: String,
    pub emergency_mobile: String,
    /// Optional office phone.
    pub office_phone: String,
    pub email: String,
    /// The organisation's legal representative (法定代表人).
    pub is_legal_representative: bool,
}

/// The filing subject.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Subject {
    pub subject_type: Option<SubjectType>,
    /// The organisation's name, or the individual's.
    pub name: String,
    pub certificate_type: Option<CertificateType>,
    pub certificate_number: String,
    /// 证件住所
    pub certificate_address: String,
    /// 通讯地址
    pub mailing_address: String,
    /// 投资者或上级主管单位
    pub investor: String,
    /// The subject's ICP number, on every path but a first filing (the subject is filed
    /// already: here, for a path that starts from the record, or elsewhere).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub icp_number: String,
}

/// One website (since 2019-04-22 one domain per website).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Website {
    pub name: String,
    pub domain: String,
    /// The domain's real-name holder, as the registrar shows it.
    pub domain_holder: String,
    /// The last day of the domain's registration, when the applicant gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_expires: Option<NaiveDate>,
    pub content: Vec<ContentCategory>,
    /// None: the subject principal is also this website's principal ("same as subject principal").
    pub principal: Option<Person>,
    /// The service code (备案服务号) that binds this website to the instance: one code per
    /// website, each used once (seed 003).
    pub service_code: String,
    /// The website's own ICP number (`…号-N`) when it is filed already: on a transfer, a
    /// claim, a change or a cancellation; empty for a website being added.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub icp_number: String,
}

/// A document uploaded into the draft, referred to by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedDocument {
    pub kind: DocumentKind,
    pub id: String,
}

/// A filing application (lenient: a draft).
///
/// Service codes are per website (`websites[i].service_code`). Drafts stored before that
/// carry one top-level `service_code`; it still reads, and lands on the first website without
/// a code (on a new, otherwise empty website when the draft has none; dropped when every
/// website has its own). It is never written back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredApplication")]
pub struct Application {
    pub province: Option<Province>,
    pub path: Option<FilingPath>,
    pub subject: Subject,
    pub subject_principal: Person,
    pub websites: Vec<Website>,
    pub documents: Vec<UploadedDocument>,
    /// A cancellation's consequences were read and confirmed (the number stops being valid,
    /// or this provider's servers stop serving the website).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub consequences_confirmed: bool,
}

/// An application as stored, old drafts included (see [`Application`]).
#[derive(Default, Deserialize)]
#[serde(default)]
struct StoredApplication {
    province: Option<Province>,
    path: Option<FilingPath>,
    subject: Subject,
    subject_principal: Person,
    websites: Vec<Website>,
    documents: Vec<UploadedDocument>,
    consequences_confirmed: bool,
    /// The one code of drafts saved before codes moved onto websites.
    service_code: String,
}

impl From<StoredApplication> for Application {
    fn from(stored: StoredApplication) -> Self {
        let mut app = Application {
            province: stored.province,
            path: stored.path,
            subject: stored.subject,
            subject_principal: stored.subject_principal,
            websites: stored.websites,
            documents: stored.documents,
            consequences_confirmed: stored.consequences_confirmed,
        };
        if !normalize::is_blank(&stored.service_code) {
            if let Some(site) = app.websites.iter_mut().find(|w| normalize::is_blank(&w.service_code)) {
                site.service_code = stored.service_code;
            } else if app.websites.is_empty() {
                app.websites.push(Website { service_code: stored.service_code, ..Website::default() });
            }
        }
        app
    }
}

impl Application {
    /// Website `i`'s service code; empty when there is none.
    pub fn service_code(&self, i: usize) -> &str {
        self.websites.get(i).map_or("", |w| w.service_code.as_str())
    }

    /// Sets website `i`'s service code, adding empty websites up to it (the wizard asks for the
    /// instance's code before the website's other fields).
    pub fn set_service_code(&mut self, i: usize, code: String) {
        while self.websites.len() <= i {
            self.websites.push(Website::default());
        }
        if let Some(site) = self.websites.get_mut(i) {
            site.service_code = code;
        }
    }

    /// The websites that need a service code on this path, by index.
    pub fn websites_needing_codes(&self) -> impl Iterator<Item = (usize, &Website)> {
        let needs = self.path.is_some_and(FilingPath::needs_service_code);
        self.websites.iter().enumerate().filter(move |_| needs)
    }
}

/// What the store knows about an instance's service codes, for [`check_service_codes`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeQuota {
    /// Codes issued to the applicant for the instance and not yet used.
    pub unused: Vec<String>,
    /// Codes of the instance already used by a filing (never returned, not even after a
    /// cancellation).
    pub used: Vec<String>,
    /// Codes the instance can still issue (its quota under the provider's policy, less those
    /// issued): `InstanceEligibility::service_codes_left`.
    pub left_to_issue: u32,
}

/// The service codes of `app` against one instance's codes (the websites of one order are
/// on one instance, seed 002): each code given must be one of the unused ones, and the
/// websites still without a code must not need more codes than the instance can issue.
/// Formats and duplicates are `validate_application`'s; this is the part only the store can
/// answer, so the server calls it on submit with what it has read, before binding the codes.
pub fn check_service_codes(app: &Application, quota: &CodeQuota) -> Vec<Finding> {
    let compact = |c: &str| ids::service_code::compact(c);
    let unused: Vec<String> = quota.unused.iter().map(|c| compact(c)).collect();
    let used: Vec<String> = quota.used.iter().map(|c| compact(c)).collect();
    let mut out = Vec::new();
    let mut without = 0u32;
    for (i, site) in app.websites_needing_codes() {
        let code = compact(&site.service_code);
        if code.is_empty() {
            without = without.saturating_add(1);
        } else if used.contains(&code) {
            out.push(Finding::error(Code::ServiceCodeUsed).at(At::Website(i, "service_code")));
        } else if !unused.contains(&code) {
            out.push(Finding::error(Code::ServiceCodeUnknown).at(At::Website(i, "service_code")));
        }
    }
    if without > quota.left_to_issue {
        out.push(Finding::error(Code::ServiceCodeNotEnoughLeft).with("needed", without).with("left", quota.left_to_issue).at("websites"));
    }
    out
}

fn short_province_name(p: Province) -> &'static str {
    let full = p.name_zh();
    for suffix in ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"] {
        if let Some(short) = full.strip_suffix(suffix) {
            return short;
        }
    }
    full
}

/// A person on the filing, as the start of their fields' paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// `subject_principal`
    SubjectPrincipal,
    /// `websites[i].principal`
    WebsitePrincipal(usize),
}

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Who::SubjectPrincipal => f.write_str("subject_principal"),
            Who::WebsitePrincipal(i) => At::Website(*i, "principal").fmt(f),
        }
    }
}

/// Where a finding belongs. Most fields have no finding, so the path is written out only
/// when one is made.
#[derive(Clone, Copy, Debug)]
enum At {
    /// A path as it is: `subject.name`.
    Field(&'static str),
    /// A field of a person: `subject_principal.mobile`.
    Person(Who, &'static str),
    /// A field of a website: `websites[0].domain`.
    Website(usize, &'static str),
}

impl From<At> for String {
    /// The path written out by hand: the formatting machinery costs several times as much,
    /// and every finding of a field is placed this way.
    fn from(at: At) -> String {
        let mut path = String::with_capacity(40);
        at.write_to(&mut path);
        path
    }
}

impl At {
    fn write_to(self, path: &mut String) {
        match self {
            At::Field(field) => path.push_str(field),
            At::Person(Who::SubjectPrincipal, leaf) => {
                path.push_str("subject_principal.");
                path.push_str(leaf);
            }
            At::Person(Who::WebsitePrincipal(i), leaf) => {
                At::Website(i, "principal").write_to(path);
                path.push('.');
                path.push_str(leaf);
            }
            At::Website(i, leaf) => {
                path.push_str("websites[");
                push_index(path, i);
                path.push_str("].");
                path.push_str(leaf);
            }
        }
    }
}

/// `i` in decimal digits.
fn push_index(path: &mut String, i: usize) {
    if i >= 10 {
        push_index(path, i / 10);
    }
    path.extend(char::from_digit((i % 10) as u32, 10));
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Field(path) => f.write_str(path),
            At::Person(who, leaf) => write!(f, "{who}.{leaf}"),
            At::Website(i, leaf) => write!(f, "websites[{i}].{leaf}"),
        }
    }
}

/// The people met so far with one mobile or e-mail: the first, and the first of another
/// certificate than the first (enough to answer "who had it before, who is not me").
#[derive(Default)]
struct Seen<'a> {
    first: Option<(Who, &'a str)>,
    other: Option<Who>,
}

/// The first earlier person of another certificate than `key` with `value`, and `who`
/// remembered with it. Empty values are no one's.
fn seen_before<'a>(seen: &mut HashMap<&'a str, Seen<'a>, FxBuildHasher>, value: &'a str, who: Who, key: &'a str) -> Option<Who> {
    if value.is_empty() {
        return None;
    }
    let entry = seen.entry(value).or_default();
    match entry.first {
        None => {
            entry.first = Some((who, key));
            None
        }
        Some((first, first_key)) if first_key != key => {
            entry.other.get_or_insert(who);
            Some(first)
        }
        Some(_) => entry.other,
    }
}

struct Checker<'a> {
    app: &'a Application,
    date: NaiveDate,
    province: Option<Province>,
    subject_type: Option<SubjectType>,
    /// The filing's requirements, once province, subject type and path are known.
    req: Option<&'a Requirements>,
    /// The rules in force for this application's scope (looked up once).
    active: &'a [&'static pack::Rule],
    out: Vec<Finding>,
}

impl<'a> Checker<'a> {
    /// The rules in force for this application's province, subject and path; none while the
    /// province is unknown (province rules must not leak into a draft without one).
    fn province_rules(&self) -> &'a [&'static pack::Rule] {
        if self.province.is_none() {
            return &[];
        }
        self.active
    }

    fn push_all(&mut self, at: At, findings: Vec<Finding>) {
        if findings.is_empty() {
            return;
        }
        let field = String::from(at);
        // A field's sources reach no later than the application's, which says it once.
        self.out.extend(findings.into_iter().filter(|f| f.code != Code::BeforeSources).map(|f| f.at(field.as_str())));
    }

    fn required(&mut self, at: At, value: &str) -> bool {
        if normalize::is_blank(value) {
            self.out.push(Finding::error(Code::Required).at(at));
            false
        } else {
            true
        }
    }

    fn field(&mut self, at: At, kind: FieldKind, value: &str) {
        let ctx = FieldContext { province: self.province, subject_type: self.subject_type, domain: None };
        let findings = ids::validate_field(kind, value, &ctx, self.date);
        self.push_all(at, findings);
    }

    /// The findings of a certificate number of type `cert` (those of its field); a resident
    /// ID that passes comes back as read, for the rules on its holder's age and origin.
    fn certificate(&mut self, at: At, cert: CertificateType, value: &str) -> Option<resident_id::ResidentId> {
        if cert != CertificateType::ResidentId {
            self.field(at, FieldKind::for_certificate(cert), value);
            return None;
        }
        let refused = match ids::empty_or_too_long(value) {
            Some(refused) => refused,
            None => match resident_id::parse(value, self.date) {
                Ok(id) => return Some(id),
                Err(refused) => refused,
            },
        };
        self.push_all(at, vec![refused]);
        None
    }

    fn person(&mut self, who: Who, person: &Person) {
        self.required(At::Person(who, "name"), &person.name);
        match person.certificate_type {
            None => self.out.push(Finding::error(Code::Required).at(At::Person(who, "certificate_type"))),
            Some(cert) if !CertificateType::PERSONAL.contains(&cert) => {
                self.out.push(Finding::error(Code::CertificateTypeNotAllowed).at(At::Person(who, "certificate_type")));
            }
            Some(cert) => {
                let id = self.certificate(At::Person(who, "certificate_number"), cert, &person.certificate_number);
                self.person_rules(who, cert, id.as_ref());
            }
        }
        self.validity(who, person);
        self.field(At::Person(who, "mobile"), FieldKind::Mobile, &person.mobile);
        if !normalize::is_blank(&person.emergency_mobile) {
            self.field(At::Person(who, "emergency_mobile"), FieldKind::Mobile, &person.emergency_mobile);
            if ids::mobile::compact(&person.emergency_mobile) == ids::mobile::compact(&person.mobile) {
                self.out.push(Finding::error(Code::PrincipalEmergencySameAsMobile).at(At::Person(who, "emergency_mobile")));
            }
        }
        if !normalize::is_blank(&person.office_phone) {
            self.field(At::Person(who, "office_phone"), FieldKind::Phone, &person.office_phone);
        }
        self.field(At::Person(who, "email"), FieldKind::Email, &person.email);
    }

    fn validity(&mut self, who: Who, person: &Person) {
        if person.long_term {
            return;
        }
        let field = At::Person(who, "certificate_valid_until");
        let Some(until) = person.certificate_valid_until else {
            self.out.push(Finding::error(Code::Required).at(field));
            return;
        };
        let min_days = self
            .active
            .iter()
            .find_map(|r| match r.effect {
                Effect::DocumentValidity { days } => Some((days, r.id)),
                _ => None,
            });
        if until < self.date {
            self.out.push(Finding::error(Code::CertificateExpired).with("until", until).at(field));
        } else if let Some((days, rule)) = min_days
            && self.date.checked_add_signed(Duration::days(i64::from(days))).is_none_or(|limit| until <= limit)
        {
            self.out.push(Finding::error(Code::CertificateExpiresSoon).with("days", days).with("until", until).by_rule(rule).at(field));
        }
    }

    /// Age and origin rules of the province, for a person with a certificate of type `cert`.
    fn person_rules(&mut self, who: Who, cert: CertificateType, id: Option<&resident_id::ResidentId>) {
        let rules = self.province_rules();
        if cert.is_foreigner()
            && let Some(rule) = rules.iter().find(|r| matches!(r.effect, Effect::ForeignersNotAccepted))
        {
            self.out.push(Finding::error(Code::PersonForeignerNotAccepted).by_rule(rule.id).at(At::Person(who, "certificate_type")));
        }
        if cert != CertificateType::ResidentId {
            return;
        }
        let Some(id) = id else { return };
        let age = resident_id::age_on(id.birth_date, self.date);
        for rule in rules {
            if let Effect::MinimumAge { years, with_proof_from, proof } = rule.effect {
                if age >= years as i32 {
                    continue;
                }
                let field = At::Person(who, "certificate_number");
                match with_proof_from {
                    Some(from) if age >= from as i32 => self.out.push(
                        Finding::warning(Code::PersonMinorNeedsProof)
                            .with("age", age)
                            .with("min_age", years)
                            .with("proof", proof.map_or("employment_or_income", crate::pack::AgeProof::as_str))
                            .by_rule(rule.id)
                            .at(field),
                    ),
                    _ => self.out.push(Finding::error(Code::PersonTooYoung).with("age", age).with("min_age", years).by_rule(rule.id).at(field)),
                }
            }
        }
    }

    fn subject(&mut self) {
        let s = &self.app.subject;
        let Some(subject_type) = s.subject_type else {
            self.out.push(Finding::error(Code::Required).at("subject.subject_type"));
            return;
        };
        self.required(At::Field("subject.name"), &s.name);
        match s.certificate_type {
            None => self.out.push(Finding::error(Code::Required).at("subject.certificate_type")),
            Some(cert) if !subject_type.certificate_types().contains(&cert) => {
                self.out.push(Finding::error(Code::CertificateTypeNotAllowed).at("subject.certificate_type"));
            }
            Some(cert) => {
                let id = self.certificate(At::Field("subject.certificate_number"), cert, &s.certificate_number);
                self.origin(subject_type, cert, &s.certificate_number, id.as_ref());
            }
        }
        let names_province = self.province_rules().iter().find(|r| matches!(r.effect, Effect::AddressNamesProvince));
        for (field, value) in [("subject.certificate_address", &s.certificate_address), ("subject.mailing_address", &s.mailing_address)] {
            if self.required(At::Field(field), value)
                && let (Some(p), Some(rule)) = (self.province, names_province)
                && !normalize::comparable(value).contains(short_province_name(p))
            {
                self.out.push(Finding::error(Code::AddressOutsideProvince).with("province", p.code()).by_rule(rule.id).at(field));
            }
        }
        if subject_type.is_organization() {
            self.required(At::Field("subject.investor"), &s.investor);
        }
    }

    /// Organisations file where their certificate was issued; individuals from elsewhere
    /// follow the province's policy.
    fn origin(&mut self, subject_type: SubjectType, cert: CertificateType, number: &str, id: Option<&resident_id::ResidentId>) {
        let Some(province) = self.province else { return };
        let issued = match cert {
            CertificateType::Uscc => ids::uscc::province(number),
            CertificateType::ResidentId => id.map(|id| id.province),
            _ => None,
        };
        let Some(issued) = issued else { return };
        if issued == province {
            return;
        }
        if subject_type.is_organization() {
            self.out.push(Finding::error(Code::SubjectCrossProvince).with("issued", issued.code()).at("subject.certificate_number"));
            return;
        }
        let policy = self.active.iter().find_map(|r| match r.effect {
            Effect::NonLocalIndividuals { policy } => Some((policy, r.id)),
            _ => None,
        });
        match policy {
            Some((NonLocalPolicy::NotAccepted, rule)) => self.out.push(
                Finding::error(Code::PersonNotLocal).with("issued", issued.code()).by_rule(rule).at("subject.certificate_number"),
            ),
            Some((_, rule)) => self.out.push(
                Finding::warning(Code::PersonNeedsResidencePermit).with("issued", issued.code()).by_rule(rule).at("subject.certificate_number"),
            ),
            None => {}
        }
    }

    /// The people on the filing.
    fn people(&self) -> Vec<(Who, &'a Person)> {
        let mut people = vec![(Who::SubjectPrincipal, &self.app.subject_principal)];
        for (i, w) in self.app.websites.iter().enumerate() {
            if let Some(p) = &w.principal {
                people.push((Who::WebsitePrincipal(i), p));
            }
        }
        people
    }

    fn principals(&mut self) {
        let app = self.app;
        let people = self.people();
        for (who, person) in &people {
            self.person(*who, person);
        }
        // Different people need different mobiles and e-mails (facts §3.3). People, mobiles
        // and e-mails are compared under the normalisation policy, each read once.
        let key = |p: &Person| ids::travel_document::compact(&p.certificate_number);
        let forms: Vec<(String, String, String)> =
            people.iter().map(|(_, p)| (key(p), ids::mobile::compact(&p.mobile), ids::email::comparable(&p.email))).collect();
        // In one pass: each person is compared with the first earlier person (of another
        // certificate) who has the same mobile or e-mail, so the work and the findings grow
        // with the number of people, not with its square.
        let mut shared = Vec::new();
        // Fx hashing: the keys are bounded in number (`within_bounds`) and in length (200
        // bytes), so colliding keys can cost little, and SipHash was most of this check's work.
        let mut mobiles: HashMap<&str, Seen, FxBuildHasher> = HashMap::with_capacity_and_hasher(people.len(), FxBuildHasher);
        let mut emails: HashMap<&str, Seen, FxBuildHasher> = HashMap::with_capacity_and_hasher(people.len(), FxBuildHasher);
        for ((who, _), (key, mobile, email)) in people.iter().zip(&forms) {
            if let Some(first) = seen_before(&mut mobiles, mobile, *who, key) {
                shared.push(Finding::error(Code::PrincipalsSharedMobile).with("other", first).at(At::Person(*who, "mobile")));
            }
            if let Some(first) = seen_before(&mut emails, email, *who, key) {
                shared.push(Finding::error(Code::PrincipalsSharedEmail).with("other", first).at(At::Person(*who, "email")));
            }
        }
        self.out.extend(shared);
        let rules = self.province_rules();
        let subject_key = key(&app.subject_principal);
        for rule in rules {
            match rule.effect {
                Effect::PrincipalsMustDiffer => {
                    for (i, w) in app.websites.iter().enumerate() {
                        let same = w.principal.as_ref().is_none_or(|p| key(p) == subject_key);
                        if same {
                            self.out.push(Finding::error(Code::PrincipalsMustDiffer).by_rule(rule.id).at(At::Website(i, "principal")));
                        }
                    }
                }
                Effect::PrincipalsSameIfNotLegalRepresentative if !app.subject_principal.is_legal_representative => {
                    for (i, w) in app.websites.iter().enumerate() {
                        if w.principal.as_ref().is_some_and(|p| key(p) != subject_key) {
                            self.out.push(Finding::error(Code::PrincipalsMustBeSame).by_rule(rule.id).at(At::Website(i, "principal")));
                        }
                    }
                }
                Effect::LocalMobile => {
                    self.out.push(Finding::warning(Code::PrincipalMobileNotLocal).by_rule(rule.id).at("subject_principal.mobile"));
                }
                _ => {}
            }
        }
    }

    fn websites(&mut self) {
        let app = self.app;
        let path = app.path;
        if path.is_some_and(FilingPath::adds_websites) && app.websites.is_empty() {
            self.out.push(Finding::error(Code::NoWebsite).at("websites"));
        }
        if let Some(req) = self.req
            && let Some(max) = req.max_websites_per_order
            && app.websites.len() > max as usize
        {
            let rule = req.other_rules.iter().find(|id| {
                pack::rule(id).is_some_and(|r| matches!(r.effect, Effect::MaxWebsitesPerOrder { max: m } if m == max))
            });
            let mut f = Finding::error(Code::TooManyWebsites).with("max", max).at("websites");
            if let Some(rule) = rule {
                f = f.by_rule(rule);
            }
            self.out.push(f);
        }
        let domains: Vec<String> = app.websites.iter().map(|w| ids::domain::compact(&w.domain)).collect();
        let mut seen: HashSet<&str, FxBuildHasher> = HashSet::with_capacity_and_hasher(domains.len(), FxBuildHasher);
        for (i, (w, domain)) in app.websites.iter().zip(&domains).enumerate() {
            self.field(At::Website(i, "domain"), FieldKind::Domain, &w.domain);
            if !domain.is_empty() && !seen.insert(domain) {
                self.out.push(Finding::error(Code::DuplicateDomain).at(At::Website(i, "domain")));
            }
            let ctx = ids::website_name::NameContext { subject: self.subject_type, province: self.province, domain: Some(&w.domain) };
            let name = ids::validate_website_name(&w.name, ctx, self.date);
            self.push_all(At::Website(i, "name"), name);
            if self.required(At::Website(i, "domain_holder"), &w.domain_holder)
                && !normalize::is_blank(&app.subject.name)
                && !normalize::same_text(&w.domain_holder, &app.subject.name)
            {
                self.out.push(Finding::warning(Code::DomainHolderMismatch).at(At::Website(i, "domain_holder")));
            }
            if let Some(expires) = w.domain_expires {
                for rule in self.active {
                    if let Effect::DomainValidity { months } = rule.effect {
                        let limit = self.date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX);
                        if expires <= limit {
                            self.out.push(
                                Finding::error(Code::DomainExpiresSoon)
                                    .with("months", months)
                                    .with("until", expires)
                                    .by_rule(rule.id)
                                    .at(At::Website(i, "domain_expires")),
                            );
                        }
                    }
                }
            }
            for rule in self.active {
                if let Effect::IndividualForbiddenContent { categories } = &rule.effect
                    && w.content.iter().any(|c| categories.contains(c))
                {
                    self.out.push(Finding::error(Code::IndividualCommercialContent).by_rule(rule.id).at(At::Website(i, "content")));
                }
            }
            let pre: &[ContentCategory] = self.req.map(|r| r.pre_approval.as_slice()).unwrap_or(&[]);
            let needing: Vec<ContentCategory> = w.content.iter().filter(|c| pre.contains(c)).copied().collect();
            for category in needing {
                self.out.push(
                    Finding::warning(Code::PreApprovalRequired)
                        .with("category", crate::wire::name(&category))
                        .at(At::Website(i, "content")),
                );
            }
        }
    }

    /// The numbers a filed subject and filed websites carry: the subject's on every path but
    /// a first filing; each website's on a path that keeps them (a transfer, a claim, a change,
    /// a cancellation), under the subject's; none on a website being added.
    fn numbers(&mut self) {
        let app = self.app;
        let Some(path) = app.path else { return };
        if !crate::record::has_subject_number(path) || !path.has_order() {
            return;
        }
        let subject = if self.required(At::Field("subject.icp_number"), &app.subject.icp_number) {
            let found = ids::icp_number::validate(&app.subject.icp_number, self.province);
            let parsed = ids::icp_number::parse(&app.subject.icp_number).ok();
            if found.is_empty() && parsed.as_ref().is_some_and(|n| n.site.is_some()) {
                // A website's number where the subject's is asked.
                self.out.push(Finding::error(Code::IcpNumberFormat).at("subject.icp_number"));
            }
            self.push_all(At::Field("subject.icp_number"), found);
            parsed.filter(|n| n.site.is_none())
        } else {
            None
        };
        let keeps = crate::record::keeps_numbers(path);
        for (i, w) in app.websites.iter().enumerate() {
            let number = w.icp_number.trim();
            match (keeps, number.is_empty()) {
                (true, true) => self.out.push(Finding::error(Code::RecordWebsiteNumberMissing).at(At::Website(i, "icp_number"))),
                (false, false) => self.out.push(Finding::error(Code::RecordNewWebsiteHasNumber).at(At::Website(i, "icp_number"))),
                (false, true) => {}
                (true, false) => match ids::icp_number::parse(number) {
                    Ok(n) if n.site.is_some() => {
                        let under = subject.as_ref().is_none_or(|s| s.province == n.province && s.serial == n.serial);
                        if !under {
                            self.out.push(Finding::error(Code::RecordWebsiteNumber).at(At::Website(i, "icp_number")));
                        }
                    }
                    Ok(_) => self.out.push(Finding::error(Code::RecordWebsiteNumber).at(At::Website(i, "icp_number"))),
                    Err(f) => self.out.push(f.at(At::Website(i, "icp_number"))),
                },
            }
        }
    }

    /// What a cancellation (or a transfer out) needs: what it cancels, one website at a time
    /// for a website, and the consequences confirmed.
    fn cancellation(&mut self) {
        let app = self.app;
        match app.path {
            Some(FilingPath::CancelWebsite) if app.websites.len() > 1 => self.out.push(Finding::error(Code::CancelOneWebsite).at("websites")),
            Some(FilingPath::CancelWebsite | FilingPath::CancelTransfer) if app.websites.is_empty() => {
                self.out.push(Finding::error(Code::CancelNothingChosen).at("websites"));
            }
            _ => {}
        }
        if !app.consequences_confirmed {
            self.out.push(Finding::error(Code::CancelNotConfirmed).at("consequences_confirmed"));
        }
    }

    /// Each website that needs a code has one in the right format, and no code serves two.
    fn service_codes(&mut self) {
        let app = self.app;
        let mut seen: Vec<String> = Vec::new();
        for (i, site) in app.websites_needing_codes() {
            self.field(At::Website(i, "service_code"), FieldKind::ServiceCode, &site.service_code);
            let code = ids::service_code::compact(&site.service_code);
            if code.is_empty() {
                continue;
            }
            if seen.contains(&code) {
                self.out.push(Finding::error(Code::ServiceCodeDuplicate).at(At::Website(i, "service_code")));
            }
            seen.push(code);
        }
    }

    fn condition_holds(&self, condition: Condition, threshold: Option<u32>) -> bool {
        let app = self.app;
        let organization = self.subject_type.is_some_and(SubjectType::is_organization);
        match condition {
            Condition::SubjectPrincipalNotLegalRepresentative => organization && !app.subject_principal.is_legal_representative,
            Condition::WebsitePrincipalNotLegalRepresentative => {
                organization && app.websites.iter().any(|w| w.principal.as_ref().is_some_and(|p| !p.is_legal_representative))
            }
            Condition::DomainHolderNotSubject => app
                .websites
                .iter()
                .any(|w| !normalize::is_blank(&w.domain_holder) && !normalize::same_text(&w.domain_holder, &app.subject.name)),
            Condition::NonLocalIndividual => self.out.iter().any(|f| f.code == Code::PersonNeedsResidencePermit),
            Condition::DomainsInOrderAtLeast => app.websites.len() as u32 >= threshold.unwrap_or(u32::MAX),
            Condition::Minor => self.out.iter().any(|f| f.code == Code::PersonMinorNeedsProof),
            Condition::PreApprovalContent => self.out.iter().any(|f| f.code == Code::PreApprovalRequired),
        }
    }

    fn documents(&mut self) {
        let Some(req) = self.req else { return };
        let mut missing = Vec::new();
        // "Never ask twice": where every website's principal is the subject principal, the
        // subject principal's ID (or an individual's certificate) already covers it.
        let own_website_principal = self.app.websites.iter().any(|w| w.principal.is_some());
        for doc in &req.documents {
            if doc.document == DocumentKind::WebsitePrincipalId && !own_website_principal {
                continue;
            }
            let uploaded = self.app.documents.iter().any(|d| d.kind == doc.document);
            if uploaded || !doc.condition.is_none_or(|c| self.condition_holds(c, doc.threshold)) {
                continue;
            }
            let kind = crate::wire::name(&doc.document);
            if !missing.iter().any(|f: &Finding| f.params.get("document") == Some(&kind)) {
                missing.push(Finding::error(Code::DocumentMissing).with("document", kind).by_rule(&doc.rule).at("documents"));
            }
        }
        self.out.extend(missing);
    }
}

/// What the pack says about an application's scope on a day: the rules in force and, once
/// province, subject type and path are known, the requirements.
struct Prepared {
    active: Vec<&'static pack::Rule>,
    req: Option<Requirements>,
}

/// How many scopes a thread keeps prepared (a province × subject type × path × day each).
const PREPARED_KEPT: usize = 64;

/// The scopes a thread keeps, with what the pack says about each.
type Kept = Vec<((NaiveDate, Scope), Rc<Prepared>)>;

thread_local! {
    /// The same few scopes are validated again and again (every change in the app, every
    /// request on the server), and the pack never changes while the program runs, so each
    /// thread keeps the scopes it has prepared, forgetting them all when it has too many.
    static PREPARED: RefCell<Kept> = const { RefCell::new(Vec::new()) };
}

fn prepared(date: NaiveDate, scope: Scope) -> Rc<Prepared> {
    let key = (date, scope);
    let kept = PREPARED.with(|kept| kept.try_borrow().ok()?.iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone()));
    if let Some(prepared) = kept {
        return prepared;
    }
    let active: Vec<&'static pack::Rule> = pack::active(date, scope).collect();
    // The same scope as `requirements` looks up, once the three are known.
    let req = match (scope.province, scope.subject, scope.path) {
        (Some(p), Some(s), Some(path)) => Some(requirements::from_rules(p, s, path, date, &active)),
        _ => None,
    };
    let prepared = Rc::new(Prepared { active, req });
    PREPARED.with(|kept| {
        if let Ok(mut kept) = kept.try_borrow_mut() {
            if kept.len() >= PREPARED_KEPT {
                kept.clear();
            }
            kept.push((key, prepared.clone()));
        }
    });
    prepared
}

/// Every problem of `app` as of `date`, each with its field path.
pub fn validate_application(app: &Application, date: NaiveDate) -> Vec<Finding> {
    let scope = Scope { province: app.province, subject: app.subject.subject_type, path: app.path };
    let prepared = prepared(date, scope);
    let mut c = Checker {
        app,
        date,
        province: app.province,
        subject_type: app.subject.subject_type,
        req: prepared.req.as_ref(),
        active: &prepared.active,
        out: Vec::new(),
    };
    if let Some(before) = pack::before_sources(pack::Check::ValidateApplication, date) {
        c.out.push(before);
    }
    match app.province {
        None => c.out.push(Finding::error(Code::Required).at("province")),
        Some(p) if !p.is_mainland() => c.out.push(Finding::error(Code::PathNotRequired).at("province")),
        Some(_) => {}
    }
    if app.path.is_none() {
        c.out.push(Finding::error(Code::Required).at("path"));
    }
    c.numbers();
    // A cancellation asks only what it cancels: the rest is the record's, filed already and
    // not filed again (a rule that came in since must not stop a cancellation).
    if app.path.is_some_and(crate::record::is_cancellation) {
        c.cancellation();
        return c.out;
    }
    c.subject();
    c.principals();
    c.websites();
    c.service_codes();
    c.documents();
    c.out
}

/// The most websites an application may hold where the rule pack gives no cap for its
/// province, subject type and path: above the largest cap known (5) and an instance's five
/// service codes, so no real filing meets it; a request over it asks for no work.
pub const MAX_WEBSITES: usize = 50;

/// The most documents an application may name (each kind once per website at most, and a
/// margin).
pub const MAX_DOCUMENTS: usize = 64;

/// The most findings one answer carries; the count of the rest is answered beside them.
pub const MAX_FINDINGS: usize = 200;

/// Whether a request may ask for work on `app`: at most the websites the rule pack allows
/// in one order for its scope on `date` (or [`MAX_WEBSITES`] where no cap is known) and at
/// most [`MAX_DOCUMENTS`] documents. The bound passed, as the finding that says so.
pub fn within_bounds(app: &Application, date: NaiveDate) -> Result<(), Finding> {
    let scope = Scope { province: app.province, subject: app.subject.subject_type, path: app.path };
    let known = match (scope.province, scope.subject, scope.path) {
        (Some(_), Some(_), Some(_)) => prepared(date, scope).req.as_ref().and_then(|r| r.max_websites_per_order),
        _ => None,
    };
    let max = known.map_or(MAX_WEBSITES, |m| m as usize).min(MAX_WEBSITES);
    if app.websites.len() > max {
        return Err(Finding::error(Code::TooManyWebsites).with("max", max).at("websites"));
    }
    if app.documents.len() > MAX_DOCUMENTS {
        return Err(Finding::error(Code::TooManyDocuments).with("max", MAX_DOCUMENTS).at("documents"));
    }
    Ok(())
}

/// True when an application may be submitted (no errors).
pub fn is_submittable(app: &Application, date: NaiveDate) -> bool {
    crate::problem::passes(&validate_application(app, date))
}

/// Which documents are required for this application now (conditions evaluated).
pub fn required_documents(app: &Application, date: NaiveDate) -> Vec<DocumentKind> {
    validate_application(&Application { documents: Vec::new(), ..app.clone() }, date)
        .into_iter()
        .filter(|f| f.code == Code::DocumentMissing)
        .filter_map(|f| f.params.get("document").and_then(|d| crate::wire::parse(d)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{At, Who};

    #[test]
    fn a_path_written_by_hand_is_the_formatted_one() {
        for at in [
            At::Field("subject.name"),
            At::Person(Who::SubjectPrincipal, "mobile"),
            At::Person(Who::WebsitePrincipal(0), "email"),
            At::Person(Who::WebsitePrincipal(49), "email"),
            At::Website(7, "domain"),
            At::Website(10, "name"),
            At::Website(123, "service_code"),
        ] {
            assert_eq!(String::from(at), at.to_string());
        }
        assert_eq!(String::from(At::Website(49, "principal")), "websites[49].principal");
    }
}
