//! The app's state: the draft application and the check answers, kept in browser storage on
//! every change (so a reload or a closed tab loses nothing) and, when logged in, saved as
//! a draft order on the server.
//!
//! The pages get the state as a property (it is `Copy`); only the shell creates it.

use std::collections::BTreeSet;

use beian_api::{AccountView, ApiError, OrderView};
use beian_rules::eligibility::Hosting;
use beian_rules::path::{FiledWith, Intent};
use beian_rules::fields::FieldValue;
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

/// Everything the pages share.
#[derive(Clone, Copy)]
pub struct AppState {
    pub draft: RwSignal<Application>,
    pub check: RwSignal<CheckAnswers>,
    pub uploads: RwSignal<Vec<UploadInfo>>,
    pub account: RwSignal<Option<AccountView>>,
    pub order: RwSignal<Option<OrderView>>,
    /// Findings the server sent (a refused submission, a refusal on a field); the browser
    /// computes the same findings as the server for every save, so saves need not bring
    /// theirs back.
    pub server_findings: RwSignal<Vec<Finding>>,
    /// Fields whose messages are shown (left once, or Continue pressed).
    pub shown: RwSignal<BTreeSet<String>>,
    /// Every finding for the draft: the rules crate's, as of today, and the server's.
    pub findings: Memo<Vec<Finding>>,
    /// The last failed call to the server that belongs to no field, shown at the top of the page.
    pub notice: RwSignal<Option<ApiError>>,
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
            notice: RwSignal::new(None),
        }
    }

    /// The draft's value at a field path (none where there is no such field).
    pub fn value(&self, path: &str) -> Option<FieldValue> {
        self.draft.with(|d| d.field(path))
    }

    /// Sets the field at `path`, then runs `then` on the draft. A value the field cannot
    /// hold changes nothing. The server's findings for the field are dropped, as the rules in
    /// the browser re-check it at once.
    pub fn set(&self, path: &str, value: FieldValue, then: Option<fn(&mut Application)>) {
        let mut changed = self.draft.get_untracked();
        if !changed.set_field(path, value) {
            return;
        }
        if let Some(then) = then {
            then(&mut changed);
        }
        self.edit(path, |d| *d = changed);
    }

    /// Changes the draft through `change`; the server's findings for `field` are dropped.
    pub fn edit(&self, field: &str, change: impl FnOnce(&mut Application)) {
        self.draft.update(change);
        self.server_findings.update(|all| all.retain(|f| f.field != field));
    }

    /// The first finding of a field (errors before warnings), if its message is shown.
    pub fn finding_for(&self, field: &str) -> Option<Finding> {
        if !self.shown.with(|s| s.contains(field)) {
            return None;
        }
        self.findings.with(|all| all.iter().filter(|f| f.field == field).min_by_key(|f| f.severity).cloned())
    }

    /// Shows the messages of these fields from now on.
    pub fn show(&self, fields: &[String]) {
        self.shown.update(|s| s.extend(fields.iter().cloned()));
    }

    /// The errors among `fields` (for a page's error summary).
    pub fn errors_in(&self, fields: &[String]) -> Vec<Finding> {
        self.findings.with(|all| fields.iter().filter_map(|field| all.iter().find(|f| &f.field == field && f.is_error()).cloned()).collect())
    }

    /// Shows a failed call: on its field when it belongs to one the rules know, else at the
    /// top of the page. Nothing fails silently.
    pub fn report(&self, error: ApiError) {
        match error.finding() {
            Some(finding) => {
                let field = finding.field.clone();
                self.server_findings.update(|all| {
                    all.retain(|f| f.field != field);
                    all.push(finding);
                });
                self.show(&[field]);
            }
            None => self.notice.set(Some(error)),
        }
    }

    /// Saves the draft on the server when logged in and an order is open.
    pub fn save_to_server(&self) {
        let Some(order) = self.order.get_untracked() else { return };
        if order.status != beian_rules::OrderStatus::Draft {
            return;
        }
        let application = self.draft.get_untracked();
        let state = *self;
        leptos::task::spawn_local(async move {
            match beian_api::save_draft(order.id.clone(), application).await {
                Ok(saved) => state.order.set(Some(saved)),
                Err(e) => state.report(e),
            }
        });
    }

    /// Loads the logged-in account's open order into the state (or pushes the browser's
    /// draft into it).
    pub async fn load_orders(&self) {
        let orders = match beian_api::my_orders().await {
            Ok(orders) => orders,
            Err(e) => return self.report(e),
        };
        let open = orders.into_iter().find(|o| o.status.is_open());
        if let Some(order) = open {
            let server_has_answers = order.version > 1;
            if server_has_answers {
                self.draft.set(order.application.clone());
            }
            self.order.set(Some(order));
            if !server_has_answers {
                self.save_to_server();
            }
        }
    }
}
