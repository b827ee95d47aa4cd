//! The path finder: which filing path applies, decided from facts (the applicant never picks
//! a type — facts §1.1, "验证备案类型"), plus the rules that block an order.

use serde::{Deserialize, Serialize};

use crate::eligibility::Hosting;
use crate::pack::{self, Blocker, Check, Effect, Scope};
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
    /// How the site is hosted, when the need-a-filing check asked (object storage only with a
    /// filing elsewhere needs no transfer, seed 003).
    #[serde(default)]
    pub hosting: Option<Hosting>,
    /// The subject's filing is on the old HiChina (万网) filing platform, not yet imported into
    /// an account of this provider (seed 000).
    #[serde(default)]
    pub hichina_platform_filing: bool,
    /// The subject is filed with this provider from another account than the one applying
    /// (seed 000: apply from the account it filed with).
    #[serde(default)]
    pub subject_in_other_account: bool,
}

/// The path finder's answer: a path, why, and what blocks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathAnswer {
    pub path: FilingPath,
    /// The reason for the path (a `path.*` code).
    pub reason: Finding,
    /// What must happen first; empty when the order can start.
    pub blockers: Vec<Finding>,
    /// About the answer itself: the date is before the sources reach (`rules.before_sources`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Finding>,
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

/// Decides the path as of `date` (facts §1.2 decision table; seeds 000, 001, 003). Each
/// blocker holds only while its entry in `data/paths.toml` does, and names it.
pub fn determine_path(q: PathQuestions, date: chrono::NaiveDate) -> PathAnswer {
    use FiledWith::*;
    // Object storage only, the domain filed with another provider: nothing to transfer.
    let oss_filed_elsewhere = q.hosting == Some(Hosting::ObjectStorageOnly)
        && q.domain_filed == OtherProvider
        && matches!(q.intent, Intent::HostWebsite | Intent::MoveBetweenOwnServers);
    let path = if !q.server_location.is_mainland() && matches!(q.intent, Intent::HostWebsite | Intent::MoveBetweenOwnServers) {
        FilingPath::NotRequired
    } else if q.hichina_before_june_2010 && q.domain_filed == ThisProvider {
        FilingPath::ClaimLegacy
    } else if oss_filed_elsewhere {
        FilingPath::DnsChangeOnly
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
        let scope = Scope { province: None, subject: None, path: Some(path) };
        let mut block = |when: bool, blocker: Blocker, code: Code| {
            if when && let Some(rule) = pack::blocker_rule(blocker, date, scope) {
                blockers.push(Finding::error(code).by_rule(rule.id));
            }
        };
        block(q.open_order, Blocker::OpenOrder, Code::PathOpenOrder);
        block(q.also_change && path.adds_websites(), Blocker::ChangeWithAdd, Code::PathChangeWithAdd);
        block(
            q.subject_filed != ThisProvider && q.domain_filed != ThisProvider,
            Blocker::NothingFiledHere,
            Code::PathNothingFiledHere,
        );
        block(q.subject_first_filing_pending_elsewhere, Blocker::SubjectFirstFilingPending, Code::PathSubjectFirstFilingPending);
        block(q.domain_filed_by_other_subject && path.adds_websites(), Blocker::DomainFiledByOtherSubject, Code::PathDomainFiledByOtherSubject);
        block(q.also_new_websites, Blocker::TransferBeforeAdd, Code::PathTransferBeforeAdd);
        // An empty-shell subject may add services directly only where the province allows it.
        let shell_allowed = q.subject_province.is_some_and(|p| {
            pack::active(date, Scope { province: Some(p), subject: None, path: None }).any(|r| matches!(r.effect, Effect::EmptyShellMayAddServices))
        });
        block(
            q.subject_empty_shell && path.adds_websites() && q.subject_filed != FiledWith::Nowhere && !shell_allowed,
            Blocker::EmptyShell,
            Code::PathEmptyShell,
        );
        block(q.hichina_platform_filing && q.subject_filed == ThisProvider, Blocker::HichinaImportFirst, Code::PathHichinaImportFirst);
        block(q.subject_in_other_account && q.subject_filed == ThisProvider, Blocker::SubjectInOtherAccount, Code::PathSubjectInOtherAccount);
    }
    let reason = if oss_filed_elsewhere && path == FilingPath::DnsChangeOnly {
        Code::PathOssFiledElsewhere
    } else {
        reason_for(path)
    };
    let notes = pack::before_sources(Check::DeterminePath, date).into_iter().collect();
    PathAnswer { path, reason: Finding::warning(reason), blockers, notes }
}
