//! The account's filing records after approval: each with its history, the orders that can
//! start from it (a change, a cancellation, a website added or transferred in, a transfer out),
//! and what the records say about the path finder's questions, so that a logged-in applicant
//! is not asked what Beian knows.

use beian_rules::FilingPath;
use beian_rules::path::FiledWith;
use beian_rules::record::{Difference, FilingRecord};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::orders::OrderView;

/// A filing record as the app shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordView {
    pub id: String,
    pub approved_on: String,
    pub record: FilingRecord,
    /// Every approved order that made or changed it, oldest first.
    pub history: Vec<RecordEvent>,
}

/// One entry of a record's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordEvent {
    pub order_id: String,
    pub path: FilingPath,
    pub at: String,
    /// What a change changed.
    #[serde(default)]
    pub differences: Vec<Difference>,
    /// The websites it concerned, by number.
    #[serde(default)]
    pub websites: Vec<String>,
}

/// What the account's records answer of the path finder's questions about a domain: where
/// the subject is filed (here, when the account holds a record) and where the domain is
/// (here, when a record of the account has it). None: not known from the records; asked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFacts {
    pub subject_filed: Option<FiledWith>,
    pub domain_filed: Option<FiledWith>,
    /// The subject's number, when the subject is filed here.
    pub subject_icp_number: Option<String>,
    /// The subject is filed here but every website under it was cancelled (空壳主体).
    pub subject_empty_shell: bool,
}

#[cfg(feature = "ssr")]
async fn record_view(store: &beian_store::Store, filing: beian_store::lifecycle::Filing) -> Result<RecordView, ApiError> {
    let history = store.filing_history(&filing.id).await?;
    Ok(RecordView {
        id: filing.id.clone(),
        approved_on: filing.approved_on.clone(),
        record: filing.record(),
        history: history
            .into_iter()
            .map(|e| RecordEvent { order_id: e.order_id, path: e.path, at: e.at, differences: e.detail.differences, websites: e.detail.websites })
            .collect(),
    })
}

/// The account's filing records (cancelled ones too, with their history).
#[server(prefix = "/api", endpoint = "my_filings")]
pub async fn my_filings() -> Result<Vec<RecordView>, ApiError> {
    let account = crate::session::current_account().await?;
    let store = crate::session::store();
    let mut out = Vec::new();
    for filing in store.filings_of(&account.id).await? {
        out.push(record_view(&store, filing).await?);
    }
    Ok(out)
}

/// Starts an order on `path` from the account's record `filing_id`, its answers filled from
/// the record; `website` (a website's number) for a cancellation of that website or of its
/// transfer. One open order per account, as for every order.
#[server(prefix = "/api", endpoint = "start_from_filing", input = crate::codec::Json)]
pub async fn start_from_filing(filing_id: String, path: FilingPath, website: Option<String>) -> Result<OrderView, ApiError> {
    let account = crate::session::current_account().await?;
    let order = crate::session::store().create_order_from(&account.id, path, Some(&filing_id), website.as_deref()).await?;
    crate::lifecycle::detailed(order, true).await
}

/// What the account's records say about `domain` (may be empty): see [`RecordFacts`].
#[server(prefix = "/api", endpoint = "filing_facts", input = crate::codec::Json)]
pub async fn filing_facts(domain: String) -> Result<RecordFacts, ApiError> {
    let account = crate::session::current_account().await?;
    let filings = crate::session::store().filings_of(&account.id).await?;
    Ok(facts(filings.iter().map(beian_store::lifecycle::Filing::record).collect(), &domain))
}

/// The facts the records `records` give about `domain`.
#[cfg(feature = "ssr")]
pub fn facts(records: Vec<FilingRecord>, domain: &str) -> RecordFacts {
    let domain = beian_rules::ids::domain::compact(domain);
    let domain = domain.strip_prefix("www.").unwrap_or(&domain).to_owned();
    let Some(record) = records.iter().find(|r| !r.cancelled) else { return RecordFacts::default() };
    let hosted_here = !domain.is_empty() && record.hosted_websites().any(|w| beian_rules::ids::domain::compact(&w.website.domain) == domain);
    RecordFacts {
        subject_filed: Some(FiledWith::ThisProvider),
        domain_filed: hosted_here.then_some(FiledWith::ThisProvider),
        subject_icp_number: Some(record.icp_number.clone()),
        subject_empty_shell: record.filed_websites().next().is_none(),
    }
}
