//! The app's state: the draft application and the check answers, kept in browser storage on
//! every change (so a reload or a closed tab loses nothing) and, when logged in, saved as
//! a draft order on the server.

use std::collections::{BTreeSet, HashMap};

use beian_api::{AccountView, OrderView};
use beian_rules::eligibility::Hosting;
use beian_rules::path::{FiledWith, Intent};
use beian_rules::{Application, Finding, Province, SubjectType};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const DRAFT_KEY: &str = "beian.draft";
const CHECK_KEY: &str = "beian.check";
const UPLOADS_KEY: &str = "beian.uploads";

/// The answers of the eligibility and path check.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckAnswers {
    pub location: Option<Province>,
    pub hosting: Option<Hosting>,
    pub e_commerce: Option<bool>,
    pub subject_filed: Option<FiledWith>,
    pub domain_filed: Option<FiledWith>,
    pub intent: Option<Intent>,
    pub hichina: Option<bool>,
    pub province: Option<Province>,
    pub subject_type: Option<SubjectType>,
}

/// An uploaded document as the app remembers it (name for display).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadInfo {
    pub kind: beian_rules::DocumentKind,
    pub id: String,
    pub name: String,
}

/// What kind of answer a field takes, for the words of "this is missing".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Typed: "Enter {label}".
    Text,
    /// Chosen from a list: "Select {label}".
    Choice,
    /// A question with radio buttons: "Choose an answer".
    Question,
}

/// Everything the pages share.
#[derive(Clone, Copy)]
pub struct AppState {
    pub draft: RwSignal<Application>,
    pub check: RwSignal<CheckAnswers>,
    pub uploads: RwSignal<Vec<UploadInfo>>,
    pub account: RwSignal<Option<AccountView>>,
    pub order: RwSignal<Option<OrderView>>,
    /// Findings the server sent when it refused a submission (the browser computes the same
    /// findings as the server for every save, so saves need not bring theirs back).
    pub server_findings: RwSignal<Vec<Finding>>,
    /// Fields whose messages are shown (left once, or Continue pressed).
    pub shown: RwSignal<BTreeSet<String>>,
    /// Every finding for the draft: the rules crate's, as of today, and the server's.
    pub findings: Memo<Vec<Finding>>,
    /// The label of each field drawn so far, so that messages reuse the label's words.
    pub labels: StoredValue<HashMap<String, (Signal<String>, Answer)>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn load<T: for<'de> Deserialize<'de> + Default>(key: &str) -> T {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn keep<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(value)) {
        let _ = s.set_item(key, &text);
    }
}

pub use beian_rules::wire::{name as enum_value, parse as parse_enum};

/// Today in the browser's calendar.
pub fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

impl AppState {
    /// Loads what the browser kept and keeps every change.
    pub fn new() -> AppState {
        let draft = RwSignal::new(load::<Application>(DRAFT_KEY));
        let check = RwSignal::new(load::<CheckAnswers>(CHECK_KEY));
        let uploads = RwSignal::new(load::<Vec<UploadInfo>>(UPLOADS_KEY));
        Effect::new(move |_| keep(DRAFT_KEY, &draft.get()));
        Effect::new(move |_| keep(CHECK_KEY, &check.get()));
        Effect::new(move |_| keep(UPLOADS_KEY, &uploads.get()));
        let server_findings = RwSignal::new(Vec::<Finding>::new());
        let findings = Memo::new(move |_| {
            let mut all = beian_rules::validate_application(&draft.get(), today());
            for f in server_findings.get() {
                if !all.iter().any(|a| a.code == f.code && a.field == f.field) {
                    all.push(f);
                }
            }
            all
        });
        AppState {
            draft,
            check,
            uploads,
            account: RwSignal::new(None),
            order: RwSignal::new(None),
            server_findings,
            shown: RwSignal::new(BTreeSet::new()),
            findings,
            labels: StoredValue::new(HashMap::new()),
        }
    }

    /// Remembers the label of the field at `path`.
    pub fn label(&self, path: &str, label: Signal<String>, answer: Answer) {
        self.labels.update_value(|m| {
            m.insert(path.to_owned(), (label, answer));
        });
    }

    /// The label of the field at `path` and its kind, while that field is on the page.
    pub fn label_of(&self, path: &str) -> Option<(String, Answer)> {
        let (label, answer) = self.labels.try_with_value(|m| m.get(path).copied()).flatten()?;
        Some((label.try_get()?, answer))
    }

    /// The first finding of a field (errors before warnings), if its message is shown.
    pub fn finding_for(&self, field: &str) -> Option<Finding> {
        if !self.shown.with(|s| s.contains(field)) {
            return None;
        }
        self.findings.with(|all| {
            all.iter()
                .filter(|f| f.field == field)
                .min_by_key(|f| f.severity)
                .cloned()
        })
    }

    /// Shows the messages of these fields from now on.
    pub fn show(&self, fields: &[String]) {
        self.shown.update(|s| s.extend(fields.iter().cloned()));
    }

    /// The errors among `fields` (for a page's error summary).
    pub fn errors_in(&self, fields: &[String]) -> Vec<Finding> {
        self.findings.with(|all| {
            fields
                .iter()
                .filter_map(|field| all.iter().find(|f| &f.field == field && f.is_error()).cloned())
                .collect()
        })
    }

    /// Changes the draft through `change`; the server's findings for `field` are dropped, as
    /// the rules in the browser re-check it at once.
    pub fn edit(&self, field: &str, change: impl FnOnce(&mut Application)) {
        self.draft.update(change);
        self.server_findings.update(|all| all.retain(|f| f.field != field));
    }

    /// Saves the draft on the server when logged in and an order is open.
    pub fn save_to_server(&self) {
        let Some(order) = self.order.get_untracked() else { return };
        if order.status != beian_rules::OrderStatus::Draft {
            return;
        }
        let application = self.draft.get_untracked();
        let order_signal = self.order;
        leptos::task::spawn_local(async move {
            if let Ok(saved) = beian_api::save_draft(order.id.clone(), application).await {
                order_signal.set(Some(saved));
            }
        });
    }
}
