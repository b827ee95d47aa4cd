//! The filing record and the paths that work on it after approval: what the administration
//! approved (the subject with its ICP number, each website with its own `-N`, the principals,
//! whether this provider hosts each website), the application each path starts from, the
//! checks of an application against the record, the differences a change makes, and what an
//! approval does to the record.
//!
//! Sources (facts §1.2, "After approval"): a change may not touch the province, the subject's
//! certificate number or a filed website's domain, and adds no website (Alibaba Cloud "Change
//! ICP Filing information", 2018-10-15; Huawei Cloud 备案变更咨询, 2026-05-27; one domain per
//! website since 2019-04-22); an individual does not become an organisation by a change (Huawei
//! Cloud filing-rules, 2025/26: cancel and file again; the conflicting 2019 provincial rules
//! of Alibaba Cloud are older); a website is cancelled one at a time, a subject with every
//! website under it (Alibaba Cloud "Cancel an ICP Filing", 2019-02-19); cancelling a transfer
//! removes only this provider and the number stays valid (seed 001; "Transfer … and cancel a
//! transfer", 2018-06-15); a transfer changes nothing and keeps its numbers (Alibaba Cloud
//! "Transfer ICP Filings", 2018-12-04); new websites of a subject filed here are added to it
//! with the subject shown for confirmation, a change of the subject coming first (2018-10-19).

use serde::{Deserialize, Serialize};

use crate::application::{Application, Person, Subject, Website};
use crate::fields::FieldValue;
use crate::ids::{icp_number, normalize};
use crate::problem::{Code, Finding};
use crate::types::{FilingPath, Province};

/// What became of a website of a record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebsiteState {
    /// Filed, and hosted by this provider.
    #[default]
    Active,
    /// Its filing was cancelled: the number is no longer valid.
    Cancelled,
    /// This provider was removed from its filing (取消接入): the number stays valid.
    TransferredOut,
}

/// A website of a filing record: its answers (with its own number in `icp_number`) and state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordWebsite {
    #[serde(flatten)]
    pub website: Website,
    #[serde(default)]
    pub state: WebsiteState,
}

/// A filing record: what the administration approved, as it stands after every approved order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingRecord {
    pub province: Province,
    /// The subject's number (`京ICP备2026000001号`).
    pub icp_number: String,
    pub subject: Subject,
    #[serde(default)]
    pub subject_principal: Person,
    pub websites: Vec<RecordWebsite>,
    /// The subject's filing was cancelled (every website with it).
    #[serde(default)]
    pub cancelled: bool,
}

impl FilingRecord {
    /// The website with number `number`, if the record has it.
    pub fn website(&self, number: &str) -> Option<&RecordWebsite> {
        let number = normalize::identifier(number).to_ascii_uppercase();
        self.websites.iter().find(|w| normalize::identifier(&w.website.icp_number).to_ascii_uppercase() == number)
    }

    /// The websites still filed (cancelled ones left out), hosted here or not.
    pub fn filed_websites(&self) -> impl Iterator<Item = &RecordWebsite> {
        self.websites.iter().filter(|w| w.state != WebsiteState::Cancelled)
    }

    /// The websites this provider hosts.
    pub fn hosted_websites(&self) -> impl Iterator<Item = &RecordWebsite> {
        self.websites.iter().filter(|w| w.state == WebsiteState::Active)
    }

    /// The next website number's `N` (one past the highest ever given, cancelled included:
    /// a number is never given twice).
    pub fn next_site(&self) -> u32 {
        self.websites.iter().filter_map(|w| icp_number::parse(&w.website.icp_number).ok()?.site).max().unwrap_or(0).saturating_add(1)
    }
}

/// True for the paths that start from a filing record of the account (the subject is filed
/// here): adding to it, changing it, cancelling it or a transfer out of it.
pub fn needs_record(path: FilingPath) -> bool {
    matches!(
        path,
        FilingPath::AddWebsite
            | FilingPath::TransferInExistingSubject
            | FilingPath::Change
            | FilingPath::CancelWebsite
            | FilingPath::CancelSubject
            | FilingPath::CancelTransfer
    )
}

/// True for the paths whose websites keep the numbers they already have (nothing new is
/// issued): transfers, changes, cancellations and claims.
pub fn keeps_numbers(path: FilingPath) -> bool {
    !matches!(path, FilingPath::FirstFiling | FilingPath::AddWebsite | FilingPath::AddWebsiteSubjectElsewhere)
}

/// True for the paths whose subject is filed already, so its number is part of the answers.
pub fn has_subject_number(path: FilingPath) -> bool {
    path != FilingPath::FirstFiling
}

/// True for the cancellations (and a transfer out), which ask only what they cancel.
pub fn is_cancellation(path: FilingPath) -> bool {
    matches!(path, FilingPath::CancelWebsite | FilingPath::CancelSubject | FilingPath::CancelTransfer)
}

/// The answers an order on `path` starts with, from `record`: the subject and its principal
/// (shown for confirmation, or to change); the websites a change or a cancellation of the
/// subject concerns. A cancellation of one website, or of a transfer, starts with `website`
/// when given (its number), else with none chosen.
pub fn prefill(record: &FilingRecord, path: FilingPath, website: Option<&str>) -> Application {
    let mut subject = record.subject.clone();
    subject.icp_number = record.icp_number.clone();
    let hosted = || record.hosted_websites().map(|w| w.website.clone()).collect::<Vec<_>>();
    let websites = match path {
        FilingPath::Change | FilingPath::CancelSubject => hosted(),
        FilingPath::CancelWebsite | FilingPath::CancelTransfer => {
            website.and_then(|n| record.website(n)).filter(|w| w.state == WebsiteState::Active).map(|w| w.website.clone()).into_iter().collect()
        }
        _ => Vec::new(),
    };
    Application {
        province: Some(record.province),
        path: Some(path),
        subject,
        subject_principal: record.subject_principal.clone(),
        websites,
        documents: Vec::new(),
        consequences_confirmed: false,
    }
}

/// The leaves of a subject, a person and a website that a change may show as different.
const SUBJECT_LEAVES: &[&str] = &["subject_type", "name", "certificate_type", "certificate_number", "certificate_address", "mailing_address", "investor"];
const PERSON_LEAVES: &[&str] = &[
    "name",
    "certificate_type",
    "certificate_number",
    "certificate_valid_until",
    "long_term",
    "mobile",
    "emergency_mobile",
    "office_phone",
    "email",
    "is_legal_representative",
];
const WEBSITE_LEAVES: &[&str] = &["name", "domain", "domain_holder", "domain_expires", "content"];

/// One difference of a change against the record: the field's path in the application, the
/// recorded value and the new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn shown(value: Option<FieldValue>) -> String {
    match value {
        Some(FieldValue::Text(t)) => t,
        Some(FieldValue::Flag(b)) => if b { "true" } else { "false" }.to_owned(),
        Some(FieldValue::List(items)) => items.join(", "),
        None => String::new(),
    }
}

/// The differences of `app` against `record`, by field path: the subject, its principal, and
/// each website the record has (matched by its number), with its own principal. A website the
/// record does not have is not a difference (a change adds none: [`check_against_record`]).
pub fn differences(app: &Application, record: &FilingRecord) -> Vec<Difference> {
    let before = prefill(record, FilingPath::Change, None);
    let mut out = Vec::new();
    let mut compare = |path: String| {
        let (b, a) = (shown(before.field(&path)), shown(app.field(&path)));
        if b != a {
            out.push(Difference { field: path, before: b, after: a });
        }
    };
    for leaf in SUBJECT_LEAVES {
        compare(format!("subject.{leaf}"));
    }
    for leaf in PERSON_LEAVES {
        compare(format!("subject_principal.{leaf}"));
    }
    for (i, site) in app.websites.iter().enumerate() {
        let Some(j) = before.websites.iter().position(|w| !w.icp_number.is_empty() && same_number(&w.icp_number, &site.icp_number)) else { continue };
        for leaf in WEBSITE_LEAVES {
            let (b, a) = (shown(before.field(&format!("websites[{j}].{leaf}"))), shown(app.field(&format!("websites[{i}].{leaf}"))));
            if b != a {
                out.push(Difference { field: format!("websites[{i}].{leaf}"), before: b, after: a });
            }
        }
        let had = before.websites.get(j).and_then(|w| w.principal.as_ref());
        if had.is_some() || site.principal.is_some() {
            for leaf in PERSON_LEAVES {
                let (b, a) = (shown(before.field(&format!("websites[{j}].principal.{leaf}"))), shown(app.field(&format!("websites[{i}].principal.{leaf}"))));
                if b != a {
                    out.push(Difference { field: format!("websites[{i}].principal.{leaf}"), before: b, after: a });
                }
            }
        }
    }
    out
}

fn same_number(a: &str, b: &str) -> bool {
    normalize::identifier(a).eq_ignore_ascii_case(&normalize::identifier(b))
}

/// The problems of `app` on its path against the account's filing `record` (None: the
/// account has none for this path): only the server can answer them, as it holds the record.
pub fn check_against_record(app: &Application, record: Option<&FilingRecord>) -> Vec<Finding> {
    let Some(path) = app.path else { return Vec::new() };
    let mut out = Vec::new();
    if !needs_record(path) {
        return out;
    }
    let Some(record) = record.filter(|r| !r.cancelled) else {
        out.push(Finding::error(Code::RecordNotFiledHere).at("subject.icp_number"));
        return out;
    };
    if !same_number(&app.subject.icp_number, &record.icp_number) {
        out.push(Finding::error(Code::RecordSubjectNumber).with("number", &record.icp_number).at("subject.icp_number"));
    }
    if app.province.is_some_and(|p| p != record.province) {
        out.push(Finding::error(Code::ChangeFixedField).at("province"));
    }
    match path {
        FilingPath::Change => {
            let fixed = [
                ("subject.subject_type", app.subject.subject_type != record.subject.subject_type),
                ("subject.certificate_number", !normalize::same_text(&app.subject.certificate_number, &record.subject.certificate_number)),
            ];
            out.extend(fixed.into_iter().filter(|(_, changed)| *changed).map(|(field, _)| Finding::error(Code::ChangeFixedField).at(field)));
            for (i, site) in app.websites.iter().enumerate() {
                match record.website(&site.icp_number).filter(|_| !site.icp_number.trim().is_empty()) {
                    None => out.push(Finding::error(Code::ChangeAddsWebsite).at(format!("websites[{i}]"))),
                    Some(filed) if filed.state != WebsiteState::Active => out.push(Finding::error(Code::RecordWebsiteUnknown).at(format!("websites[{i}].icp_number"))),
                    Some(filed) if crate::ids::domain::compact(&filed.website.domain) != crate::ids::domain::compact(&site.domain) => {
                        out.push(Finding::error(Code::ChangeFixedField).at(format!("websites[{i}].domain")));
                    }
                    Some(_) => {}
                }
            }
            if out.is_empty() && differences(app, record).is_empty() {
                out.push(Finding::error(Code::ChangeNothingChanged));
            }
        }
        FilingPath::CancelWebsite | FilingPath::CancelTransfer => {
            for (i, site) in app.websites.iter().enumerate() {
                if record.website(&site.icp_number).is_none_or(|w| w.state != WebsiteState::Active) {
                    out.push(Finding::error(Code::RecordWebsiteUnknown).at(format!("websites[{i}].icp_number")));
                }
            }
        }
        FilingPath::AddWebsite | FilingPath::TransferInExistingSubject => {
            // The subject is shown for confirmation: a change of it comes first, in its own order.
            if !same_subject(&app.subject, &record.subject) || app.subject_principal != record.subject_principal {
                out.push(Finding::error(Code::RecordSubjectChanged).at("subject"));
            }
            for (i, site) in app.websites.iter().enumerate() {
                let domain = crate::ids::domain::compact(&site.domain);
                let filed = record.filed_websites().any(|w| {
                    (!domain.is_empty() && crate::ids::domain::compact(&w.website.domain) == domain)
                        || (!site.icp_number.trim().is_empty() && same_number(&w.website.icp_number, &site.icp_number))
                });
                if filed {
                    out.push(Finding::error(Code::RecordWebsiteAlreadyFiled).at(format!("websites[{i}].domain")));
                }
            }
        }
        _ => {}
    }
    out
}

fn same_subject(a: &Subject, b: &Subject) -> bool {
    SUBJECT_LEAVES.iter().all(|leaf| {
        let (x, y) = (shown(a.field(leaf)), shown(b.field(leaf)));
        normalize::same_text(&x, &y)
    })
}

/// The numbers an approval of `app` carries when its path keeps the numbers it has: the
/// subject's and each website's. None for a path whose websites get new numbers.
pub fn kept_numbers(app: &Application) -> Option<(String, Vec<String>)> {
    let path = app.path?;
    keeps_numbers(path).then(|| (app.subject.icp_number.trim().to_owned(), app.websites.iter().map(|w| w.icp_number.trim().to_owned()).collect()))
}

/// What an approval of `app` (its path) does to `record` (the account's record it works on,
/// None for a path that makes one), with `numbers` the subject's number and one per website
/// of the application (new ones for the websites added, the kept ones otherwise). The record
/// as it stands after the approval, or the code of why it cannot be applied.
pub fn apply_approval(record: Option<FilingRecord>, app: &Application, subject_number: &str, website_numbers: &[String]) -> Result<FilingRecord, Code> {
    let path = app.path.ok_or(Code::RecordNotFiledHere)?;
    if website_numbers.len() != app.websites.len() {
        return Err(Code::RecordWebsiteUnknown);
    }
    let numbered = || {
        app.websites
            .iter()
            .zip(website_numbers)
            .map(|(w, n)| RecordWebsite { website: Website { icp_number: n.clone(), service_code: String::new(), ..w.clone() }, state: WebsiteState::Active })
    };
    let mut subject = app.subject.clone();
    subject.icp_number = String::new();
    match path {
        FilingPath::FirstFiling | FilingPath::TransferIn | FilingPath::AddWebsiteSubjectElsewhere | FilingPath::ClaimLegacy => Ok(FilingRecord {
            province: app.province.ok_or(Code::RecordNotFiledHere)?,
            icp_number: subject_number.to_owned(),
            subject,
            subject_principal: app.subject_principal.clone(),
            websites: numbered().collect(),
            cancelled: false,
        }),
        FilingPath::DnsChangeOnly | FilingPath::NotRequired => Err(Code::RecordNotFiledHere),
        _ => {
            let mut record = record.filter(|r| !r.cancelled).ok_or(Code::RecordNotFiledHere)?;
            match path {
                FilingPath::AddWebsite | FilingPath::TransferInExistingSubject => record.websites.extend(numbered()),
                FilingPath::Change => {
                    record.subject = subject;
                    record.subject_principal = app.subject_principal.clone();
                    for site in &app.websites {
                        let index = record.websites.iter().position(|w| same_number(&w.website.icp_number, &site.icp_number)).ok_or(Code::RecordWebsiteUnknown)?;
                        if let Some(slot) = record.websites.get_mut(index) {
                            let kept = std::mem::take(&mut slot.website.icp_number);
                            slot.website = Website { icp_number: kept, service_code: String::new(), ..site.clone() };
                        }
                    }
                }
                FilingPath::CancelWebsite | FilingPath::CancelTransfer => {
                    let state = if path == FilingPath::CancelWebsite { WebsiteState::Cancelled } else { WebsiteState::TransferredOut };
                    for site in &app.websites {
                        let slot = record.websites.iter_mut().find(|w| same_number(&w.website.icp_number, &site.icp_number)).ok_or(Code::RecordWebsiteUnknown)?;
                        slot.state = state;
                    }
                }
                FilingPath::CancelSubject => {
                    record.cancelled = true;
                    for w in &mut record.websites {
                        w.state = WebsiteState::Cancelled;
                    }
                }
                _ => {}
            }
            Ok(record)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SubjectType;

    fn record() -> FilingRecord {
        let site = |n: u32, domain: &str| RecordWebsite {
            website: Website { name: format!("站点{n}"), domain: domain.into(), icp_number: format!("京ICP备2026000001号-{n}"), ..Website::default() },
            state: WebsiteState::Active,
        };
        FilingRecord {
            province: Province::Beijing,
            icp_number: "京ICP备2026000001号".into(),
            subject: Subject { subject_type: Some(SubjectType::Individual), name: "张三".into(), certificate_number: "110105199003071239".into(), ..Subject::default() },
            subject_principal: Person { name: "张三".into(), mobile: "13800138000".into(), ..Person::default() },
            websites: vec![site(1, "a.cn"), site(2, "b.cn")],
            cancelled: false,
        }
    }

    #[test]
    fn a_change_shows_its_differences_and_keeps_the_numbers() {
        let r = record();
        let mut app = prefill(&r, FilingPath::Change, None);
        assert_eq!(check_against_record(&app, Some(&r)).iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::ChangeNothingChanged]);
        app.subject_principal.mobile = "13900139000".into();
        if let Some(w) = app.websites.get_mut(1) {
            w.name = "新名字".into();
        }
        assert!(check_against_record(&app, Some(&r)).is_empty());
        let diff = differences(&app, &r);
        assert_eq!(diff.iter().map(|d| d.field.as_str()).collect::<Vec<_>>(), vec!["subject_principal.mobile", "websites[1].name"]);
        let (subject, sites) = kept_numbers(&app).unwrap_or_default();
        let after = apply_approval(Some(r.clone()), &app, &subject, &sites);
        let after = after.as_ref().map(|a| (a.subject_principal.mobile.as_str(), a.websites.get(1).map(|w| (w.website.name.as_str(), w.website.icp_number.as_str()))));
        assert_eq!(after, Ok(("13900139000", Some(("新名字", "京ICP备2026000001号-2")))));
    }

    #[test]
    fn a_change_cannot_touch_what_is_fixed_or_add_a_website() {
        let r = record();
        let mut app = prefill(&r, FilingPath::Change, None);
        app.subject.certificate_number = "110105199003071247".into();
        app.subject.subject_type = Some(SubjectType::Enterprise);
        if let Some(w) = app.websites.get_mut(0) {
            w.domain = "c.cn".into();
        }
        app.websites.push(Website { name: "新站".into(), domain: "d.cn".into(), ..Website::default() });
        let found: Vec<(Code, String)> = check_against_record(&app, Some(&r)).into_iter().map(|f| (f.code, f.field)).collect();
        assert_eq!(
            found,
            vec![
                (Code::ChangeFixedField, "subject.subject_type".into()),
                (Code::ChangeFixedField, "subject.certificate_number".into()),
                (Code::ChangeFixedField, "websites[0].domain".into()),
                (Code::ChangeAddsWebsite, "websites[2]".into()),
            ]
        );
    }

    #[test]
    fn cancellations_and_transfers_out_change_the_states() {
        let r = record();
        let app = prefill(&r, FilingPath::CancelWebsite, Some("京ICP备2026000001号-2"));
        assert_eq!(app.websites.len(), 1);
        let (s, w) = kept_numbers(&app).unwrap_or_default();
        let after = apply_approval(Some(r.clone()), &app, &s, &w).map(|a| a.websites.iter().map(|w| w.state).collect::<Vec<_>>());
        assert_eq!(after, Ok(vec![WebsiteState::Active, WebsiteState::Cancelled]));
        // A cancelled website is no longer there to cancel or to transfer out.
        let cancelled = apply_approval(Some(r.clone()), &app, &s, &w).ok();
        assert_eq!(check_against_record(&app, cancelled.as_ref()).first().map(|f| f.code), Some(Code::RecordWebsiteUnknown));
        let out = prefill(&r, FilingPath::CancelTransfer, Some("京ICP备2026000001号-1"));
        let (s, w) = kept_numbers(&out).unwrap_or_default();
        let after = apply_approval(Some(r.clone()), &out, &s, &w).map(|a| a.websites.first().map(|w| w.state));
        assert_eq!(after, Ok(Some(WebsiteState::TransferredOut)));
        let all = prefill(&r, FilingPath::CancelSubject, None);
        let (s, w) = kept_numbers(&all).unwrap_or_default();
        let gone = apply_approval(Some(r.clone()), &all, &s, &w);
        assert!(gone.as_ref().is_ok_and(|g| g.cancelled && g.filed_websites().next().is_none()));
        // Nothing is filed here any more: no path that needs the record can start.
        assert_eq!(check_against_record(&all, gone.as_ref().ok()).first().map(|f| f.code), Some(Code::RecordNotFiledHere));
    }

    #[test]
    fn an_added_website_gets_the_next_number_and_a_filed_domain_is_refused() {
        let r = record();
        assert_eq!(r.next_site(), 3);
        let mut app = prefill(&r, FilingPath::AddWebsite, None);
        app.websites.push(Website { name: "第三个".into(), domain: "c.cn".into(), ..Website::default() });
        assert!(check_against_record(&app, Some(&r)).is_empty());
        app.websites.push(Website { name: "重复".into(), domain: "A.CN".into(), ..Website::default() });
        assert_eq!(check_against_record(&app, Some(&r)).first().map(|f| f.code), Some(Code::RecordWebsiteAlreadyFiled));
        app.websites.pop();
        app.subject.mailing_address = "别处".into();
        assert_eq!(check_against_record(&app, Some(&r)).first().map(|f| f.code), Some(Code::RecordSubjectChanged));
        app.subject.mailing_address = String::new();
        let after = apply_approval(Some(r), &app, "京ICP备2026000001号", &["京ICP备2026000001号-3".to_owned()]);
        assert_eq!(after.map(|a| a.websites.len()), Ok(3));
    }

    #[test]
    fn a_path_that_needs_a_record_without_one_is_refused() {
        let app = Application { path: Some(FilingPath::Change), ..Application::default() };
        assert_eq!(check_against_record(&app, None).first().map(|f| f.code), Some(Code::RecordNotFiledHere));
        assert_eq!(apply_approval(None, &app, "", &[]), Err(Code::RecordNotFiledHere));
    }
}
