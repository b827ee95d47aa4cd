//! The path finder: which filing path applies, decided from facts (the applicant never picks
//! a type — facts §1.1, "验证备案类型"), plus the rules that block an order.

use serde::{Deserialize, Serialize};

use crate::problem::{Code, Finding};
use crate::types::{FilingPath, Province};

/// Where something is filed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiledWith {
    /// Not filed at the MIIT.
    Nowhere,
    /// Filed through this provider.
    ThisProvider,
    /// Filed through another provider.
    OtherProvider,
}

/// What the applicant wants to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Host a website on this provider's servers (new site, or one moving here).
    HostWebsite,
    /// Move a site between this provider's own servers.
    MoveBetweenOwnServers,
    /// Change filed information.
    ChangeInformation,
    /// Cancel one website's filing.
    CancelWebsite,
    /// Cancel the subject and every website under it.
    CancelSubject,
    /// Stop using this provider for a filed site (the ICP number stays valid).
    CancelTransfer,
}

/// The facts the path finder needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathQuestions {
    /// Where the server is.
    pub server_location: Province,
    pub subject_filed: FiledWith,
    pub domain_filed: FiledWith,
    pub intent: Intent,
    /// The domain was filed through HiChina (万网) before June 2010 and never moved.
    #[serde(default)]
    pub hichina_before_june_2010: bool,
    /// The subject has an order open with this provider.
    #[serde(default)]
    pub open_order: bool,
    /// The applicant also wants to change filed information in the same order.
    #[serde(default)]
    pub also_change: bool,
    /// The subject's own first filing is still pending at another provider.
    #[serde(default)]
    pub subject_first_filing_pending_elsewhere: bool,
    /// The domain is filed under a different subject.
    #[serde(default)]
    pub domain_filed_by_other_subject: bool,
    /// New websites should go in the same order as a transfer.
    #[serde(default)]
    pub also_new_websites: bool,
    /// The subject is still filed but every service under it was cancelled (空壳主体).
    #[serde(default)]
    pub subject_empty_shell: bool,
    /// Where the subject is filed (for the province rules on empty shells).
    #[serde(default)]
    pub subject_province: Option<Province>,
}

/// The path finder's answer: a path, why, and what blocks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathAnswer {
    pub path: FilingPath,
    /// The reason for the path (a `path.*` code).
    pub reason: Finding,
    /// What must happen first; empty when the order can start.
    pub blockers: Vec<Finding>,
}

fn reason_for(path: FilingPath) -> Code {
    match path {
        FilingPath::FirstFiling => Code::PathFirstFiling,
        FilingPath::AddWebsite => Code::PathAddWebsite,
        FilingPath::AddWebsiteSubjectElsewhere => Code::PathAddWebsiteSubjectElsewhere,
        FilingPath::TransferIn => Code::PathTransferIn,
        FilingPath::TransferInExistingSubject => Code::PathTransferInExistingSubject,
        FilingPath::Change => Code::PathChange,
        FilingPath::CancelWebsite => Code::PathCancelWebsite,
        FilingPath::CancelSubject => Code::PathCancelSubject,
        FilingPath::CancelTransfer => Code::PathCancelTransfer,
        FilingPath::ClaimLegacy => Code::PathClaimLegacy,
        FilingPath::DnsChangeOnly => Code::PathDnsChangeOnly,
        FilingPath::NotRequired => Code::PathNotRequired,
    }
}

/// Decides the path as of `date` (facts §1.2 decision table; seeds 000, 001, 003).
pub fn determine_path(q: PathQuestions, date: chrono::NaiveDate) -> PathAnswer {
    use FiledWith::*;
    let path = if !q.server_location.is_mainland() && matches!(q.intent, Intent::HostWebsite | Intent::MoveBetweenOwnServers) {
        FilingPath::NotRequired
    } else if q.hichina_before_june_2010 && q.domain_filed == ThisProvider {
        FilingPath::ClaimLegacy
    } else {
        match q.intent {
            Intent::ChangeInformation => FilingPath::Change,
            Intent::CancelWebsite => FilingPath::CancelWebsite,
            Intent::CancelSubject => FilingPath::CancelSubject,
            Intent::CancelTransfer => FilingPath::CancelTransfer,
            Intent::MoveBetweenOwnServers if q.domain_filed == ThisProvider => FilingPath::DnsChangeOnly,
            Intent::HostWebsite | Intent::MoveBetweenOwnServers => match (q.subject_filed, q.domain_filed) {
                (_, ThisProvider) => FilingPath::DnsChangeOnly,
                (ThisProvider, OtherProvider) => FilingPath::TransferInExistingSubject,
                (_, OtherProvider) => FilingPath::TransferIn,
                (Nowhere, Nowhere) => FilingPath::FirstFiling,
                (ThisProvider, Nowhere) => FilingPath::AddWebsite,
                (OtherProvider, Nowhere) => FilingPath::AddWebsiteSubjectElsewhere,
            },
        }
    };

    let mut blockers = Vec::new();
    if path.has_order() {
        // One open order per subject: finish or withdraw it first (seeds 000; facts §1.1).
        if q.open_order {
            blockers.push(Finding::error(Code::PathOpenOrder));
        }
        // A change cannot ride along with adding a website or a transfer (facts §1.3).
        if q.also_change && path.adds_websites() {
            blockers.push(Finding::error(Code::PathChangeWithAdd));
        }
        // Change and cancel need something filed here; cancel-transfer needs the site here.
        let needs_here = matches!(path, FilingPath::Change | FilingPath::CancelWebsite | FilingPath::CancelSubject | FilingPath::CancelTransfer);
        if needs_here && q.subject_filed != ThisProvider && q.domain_filed != ThisProvider {
            blockers.push(Finding::error(Code::PathNothingFiledHere));
        }
        if path == FilingPath::AddWebsiteSubjectElsewhere && q.subject_first_filing_pending_elsewhere {
            blockers.push(Finding::error(Code::PathSubjectFirstFilingPending));
        }
        if q.domain_filed_by_other_subject && path.adds_websites() {
            blockers.push(Finding::error(Code::PathDomainFiledByOtherSubject));
        }
        // A transfer goes first; new websites follow in their own order (facts §1.3).
        if q.also_new_websites && matches!(path, FilingPath::TransferIn | FilingPath::TransferInExistingSubject) {
            blockers.push(Finding::error(Code::PathTransferBeforeAdd));
        }
        // An empty-shell subject may add services directly only where the province allows it.
        if q.subject_empty_shell && path.adds_websites() && q.subject_filed != FiledWith::Nowhere {
            let allowed = q.subject_province.is_some_and(|p| {
                crate::pack::active(date, crate::pack::Scope { province: Some(p), subject: None, path: None })
                    .any(|r| matches!(r.effect, crate::pack::Effect::EmptyShellMayAddServices))
            });
            if !allowed {
                let rule = crate::pack::rules()
                    .iter()
                    .find(|r| matches!(r.effect, crate::pack::Effect::EmptyShellMayAddServices) && r.holds_on(date));
                let mut f = Finding::error(Code::PathEmptyShell);
                if let Some(r) = rule {
                    f = f.by_rule(&r.id);
                }
                blockers.push(f);
            }
        }
    }
    PathAnswer { path, reason: Finding::warning(reason_for(path)), blockers }
}
