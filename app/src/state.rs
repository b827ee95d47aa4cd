//! The app's state: the draft application and the check answers, kept in browser storage on
//! every change (so a reload or a closed tab loses nothing) and, when logged in, saved as
//! a draft order on the server.
//!
//! Browser storage holds one draft per person: the logged-in account's under its own keys
//! (removed at logout), an anonymous one under the plain keys. The anonymous draft is offered
//! to the account that logs in next, never pushed into its order. On load, what was typed and
//! not yet saved wins over the server's copy when it was made from the server's current
//! version; when the server's copy is newer, both are kept and the applicant chooses.
//!
//! The pages get the state as a property (it is `Copy`); only the shell creates it.

use std::collections::BTreeSet;

use beian_api::{AccountView, ApiError, ErrorCode, OrderView};
use beian_rules::eligibility::Hosting;
use beian_rules::fields::FieldValue;
use beian_rules::path::{FiledWith, Intent};
use beian_rules::{Application, Finding, Province, SubjectType};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const DRAFT_KEY: &str = "beian.draft";
const LOCAL_KEY: &str = "beian.local";
const UPLOADS_KEY: &str = "beian.uploads";
const CHECK_KEY: &str = "beian.check";
/// The account whose draft the browser shows (until its session is found gone).
const ACCOUNT_KEY: &str = "beian.account";

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
    /// The domain asked about (optional: the account's records may answer for it).
    pub domain: String,
    /// What the account's filing records answered (not asked then).
    pub known: Option<beian_api::RecordFacts>,
}

/// An uploaded document as the app remembers it (name for display).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadInfo {
    pub kind: beian_rules::DocumentKind,
    pub id: String,
    pub name: String,
}

/// What the browser knows of its draft beside the answers: the server order and version it
/// was made from, and whether it holds typing the server has not acknowledged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Local {
    pub order_id: Option<String>,
    pub base_version: i64,
    pub unsaved: bool,
}

/// The server's answers when they changed meanwhile (another tab, another device), kept
/// beside this tab's until the applicant chooses.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub server: OrderView,
}

/// Everything the pages share.
#[derive(Clone, Copy)]
pub struct AppState {
    pub draft: RwSignal<Application>,
    pub local: RwSignal<Local>,
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
    /// The rules that find the draft's problems, once a page that shows findings is drawn
    /// (`use_rules`): in the split build their code loads with those pages, not with the
    /// start page.
    rules: RwSignal<Option<Rules>>,
    /// The last failed call to the server that belongs to no field, shown at the top of the page.
    pub notice: RwSignal<Option<ApiError>>,
    /// The server's newer answers, when this tab's were made from an older version.
    pub conflict: RwSignal<Option<Conflict>>,
    /// The answers given before logging in, offered to the account that logged in.
    pub offered: RwSignal<Option<Application>>,
    /// A save is on its way; another change is saved after it.
    saving: StoredValue<(bool, bool)>,
    /// The order and answers of the last save that failed without an answer from the server
    /// (the network, a gateway): the server may hold them all the same.
    unanswered: StoredValue<Option<(String, Application)>>,
    /// Whose keys browser storage writes to (None: the anonymous ones). Set before the draft
    /// changes hands, so nothing of one person is written under another's keys.
    owner: StoredValue<Option<String>>,
}

/// The draft's findings as of a day, against the filing record its order works on, if any.
type Rules = fn(&Application, Option<&beian_rules::record::FilingRecord>, NaiveDate) -> Vec<Finding>;

fn rules(app: &Application, record: Option<&beian_rules::record::FilingRecord>, today: NaiveDate) -> Vec<Finding> {
    let mut all = beian_rules::validate_application(app, today);
    if record.is_some() {
        all.extend(beian_rules::record::check_against_record(app, record));
    }
    all
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

fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The storage key of `base` for `account` (`beian.draft@name@example.com`), or the
/// anonymous one.
fn key(base: &str, account: Option<&str>) -> String {
    match account {
        Some(name) => format!("{base}@{name}"),
        None => base.to_owned(),
    }
}

pub use beian_rules::wire::{name as enum_value, parse as parse_enum};

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Today in the browser's calendar.
pub fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

impl AppState {
    /// Loads what the browser kept (the draft of the account it last showed, if any) and
    /// keeps every change under that account's keys.
    pub fn new() -> AppState {
        let last: Option<String> = storage().and_then(|s| s.get_item(ACCOUNT_KEY).ok().flatten());
        let shown_account = last.as_deref();
        let draft = RwSignal::new(load::<Application>(&key(DRAFT_KEY, shown_account)));
        let local = RwSignal::new(load::<Local>(&key(LOCAL_KEY, shown_account)));
        let uploads = RwSignal::new(load::<Vec<UploadInfo>>(&key(UPLOADS_KEY, shown_account)));
        let check = RwSignal::new(load::<CheckAnswers>(CHECK_KEY));
        let owner = StoredValue::new(last);
        Effect::new(move |_| {
            let d = draft.get();
            keep(&key(DRAFT_KEY, owner.get_value().as_deref()), &d);
        });
        Effect::new(move |_| {
            let l = local.get();
            keep(&key(LOCAL_KEY, owner.get_value().as_deref()), &l);
        });
        Effect::new(move |_| {
            let u = uploads.get();
            keep(&key(UPLOADS_KEY, owner.get_value().as_deref()), &u);
        });
        Effect::new(move |_| keep(CHECK_KEY, &check.get()));
        let server_findings = RwSignal::new(Vec::<Finding>::new());
        let order = RwSignal::new(None::<OrderView>);
        let rules = RwSignal::new(None::<Rules>);
        let findings = Memo::new(move |_| {
            let mut all = match rules.get() {
                // Against the filing record the order works on, once it is known here.
                Some(rules) => draft.with(|app| order.with(|o: &Option<OrderView>| rules(app, o.as_ref().and_then(|o| o.record.as_ref()), today()))),
                None => Vec::new(),
            };
            for f in server_findings.get() {
                if !all.iter().any(|a| a.code == f.code && a.field == f.field) {
                    all.push(f);
                }
            }
            all
        });
        let shown = RwSignal::new(BTreeSet::new());
        // A rejection's reasons land on their fields (in the wizard, the error summary and the
        // task list) until the applicant changes the field or submits again. The server sends
        // only the reasons whose field still holds the value returned; one changed here and
        // not yet saved (or a view read before the change arrives late) is not put back.
        Effect::new(move |_| {
            let reasons: Vec<Finding> = order.with(|o: &Option<OrderView>| {
                let Some(o) = o.as_ref() else { return Vec::new() };
                draft.with_untracked(|d| o.reasons.iter().filter(|r| !r.field.is_empty() && d.field(&r.field) == o.application.field(&r.field)).cloned().collect())
            });
            if reasons.is_empty() {
                return;
            }
            let fields: Vec<String> = reasons.iter().map(|f| f.field.clone()).collect();
            server_findings.update(|all| {
                for r in reasons {
                    if !all.iter().any(|a| a.code == r.code && a.field == r.field) {
                        all.push(r);
                    }
                }
            });
            shown.update(|s| s.extend(fields));
        });
        AppState {
            draft,
            local,
            check,
            uploads,
            account: RwSignal::new(None),
            order,
            server_findings,
            shown,
            findings,
            rules,
            notice: RwSignal::new(None),
            conflict: RwSignal::new(None),
            offered: RwSignal::new(None),
            saving: StoredValue::new((false, false)),
            unanswered: StoredValue::new(None),
            owner,
        }
    }

    /// Makes `findings` hold the rules' findings from now on. Every page that shows findings
    /// calls it; only they reach the rules' code (see `rules`).
    pub fn use_rules(&self) {
        if self.rules.with_untracked(Option::is_none) {
            self.rules.set(Some(rules));
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

    /// Changes the draft through `change` (the applicant's typing: not yet on the server);
    /// the server's findings for `field` are dropped.
    pub fn edit(&self, field: &str, change: impl FnOnce(&mut Application)) {
        self.draft.update(change);
        self.local.update(|l| l.unsaved = true);
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

    /// An order as read from the server, unless the one shown is newer: a read that crossed a
    /// save or an action on its way back does not undo them.
    pub fn read_order(&self, view: OrderView) {
        let newer_shown = self.order.with_untracked(|o| {
            o.as_ref().is_some_and(|o| o.id == view.id && (o.version, o.updated_at.as_str()) > (view.version, view.updated_at.as_str()))
        });
        if !newer_shown {
            self.order.set(Some(view));
        }
    }

    /// The order the server acknowledged: the browser's draft is now made from its version.
    pub fn acknowledged(&self, order: OrderView, sent: &Application) {
        let unchanged = self.draft.with_untracked(|d| d == sent);
        self.local.update(|l| {
            l.order_id = Some(order.id.clone());
            l.base_version = order.version;
            l.unsaved = !unchanged;
        });
        self.order.set(Some(order));
    }

    /// A new order of this account: one that starts from a filing record comes with its
    /// answers (they replace the browser's); any other takes the answers typed here.
    pub fn started(&self, order: OrderView) {
        if beian_rules::record::needs_record(order.path) {
            self.draft.set(order.application.clone());
            self.uploads.set(Vec::new());
            self.server_findings.set(Vec::new());
            self.shown.set(BTreeSet::new());
            self.local.set(Local { order_id: Some(order.id.clone()), base_version: order.version, unsaved: false });
            self.order.set(Some(order));
        } else {
            self.order.set(Some(order));
            self.save_to_server();
        }
    }

    /// Saves the draft on the server when logged in and a draft order is open: one save at a
    /// time, each from the version the last one acknowledged; a change made meanwhile is
    /// saved after it.
    pub fn save_to_server(&self) {
        let Some(order) = self.order.get_untracked() else { return };
        if order.status != beian_rules::OrderStatus::Draft || self.conflict.with_untracked(Option::is_some) {
            return;
        }
        let (busy, _) = self.saving.get_value();
        if busy {
            self.saving.set_value((true, true));
            return;
        }
        self.saving.set_value((true, false));
        let application = self.draft.get_untracked();
        let state = *self;
        leptos::task::spawn_local(async move {
            let result = beian_api::save_draft(order.id.clone(), order.version, application.clone()).await;
            let (_, again) = state.saving.get_value();
            state.saving.set_value((false, false));
            match result {
                Ok(saved) => {
                    state.unanswered.set_value(None);
                    // A failure to reach the server, shown before, is over: the answers are saved.
                    if state.notice.with_untracked(|n| n.as_ref().is_some_and(ApiError::outcome_unknown)) {
                        state.notice.set(None);
                    }
                    state.acknowledged(saved, &application);
                    if again {
                        state.save_to_server();
                    }
                }
                Err(e) if e.code == ErrorCode::OrderChangedMeanwhile => state.changed_meanwhile(&order.id).await,
                Err(e) => {
                    if e.outcome_unknown() {
                        state.unanswered.set_value(Some((order.id.clone(), application)));
                    }
                    state.report(e);
                }
            }
        });
    }

    /// True while a save is on its way.
    pub fn is_saving(&self) -> bool {
        self.saving.get_value().0
    }

    /// Waits for the saves on their way (a submission is made from the last acknowledged
    /// version).
    pub async fn saved(&self) {
        while self.is_saving() {
            sleep(50).await;
        }
    }

    /// Another tab or device saved meanwhile: both versions are kept until the applicant
    /// chooses.
    pub async fn changed_meanwhile(&self, order_id: &str) {
        match beian_api::get_order(order_id.to_owned()).await {
            // What the server holds is this tab's own (a save whose answer was lost on the
            // way): nothing to choose; what was typed since is saved from it.
            Ok(server)
                if self.unanswered.with_value(|u| u.as_ref().is_some_and(|(id, sent)| *id == server.id && *sent == server.application))
                    || self.draft.with_untracked(|d| *d == server.application) =>
            {
                self.unanswered.set_value(None);
                let sent = server.application.clone();
                self.acknowledged(server, &sent);
                if self.local.with_untracked(|l| l.unsaved) {
                    self.save_to_server();
                }
            }
            Ok(server) => self.conflict.set(Some(Conflict { server })),
            Err(e) => self.report(e),
        }
    }

    /// Keeps this tab's answers: saved again from the server's current version.
    pub fn keep_mine(&self) {
        let Some(conflict) = self.conflict.get_untracked() else { return };
        self.conflict.set(None);
        self.order.set(Some(conflict.server));
        self.save_to_server();
    }

    /// Takes the server's answers (this tab's are replaced).
    pub fn take_theirs(&self) {
        let Some(conflict) = self.conflict.get_untracked() else { return };
        self.conflict.set(None);
        self.draft.set(conflict.server.application.clone());
        self.local.set(Local { order_id: Some(conflict.server.id.clone()), base_version: conflict.server.version, unsaved: false });
        self.order.set(Some(conflict.server));
    }

    /// Logged in as `account`: the browser shows that account's own draft (its answers
    /// typed before, still unsaved, stay), and offers the answers given before logging in.
    pub async fn logged_in(&self, account: AccountView) {
        let name = account.username.clone();
        if let Some(s) = storage() {
            let _ = s.set_item(ACCOUNT_KEY, &name);
        }
        let anonymous: Application = load(DRAFT_KEY);
        if self.owner.get_value().as_deref() != Some(name.as_str()) {
            self.owner.set_value(Some(name.clone()));
            self.unanswered.set_value(None);
            self.draft.set(load(&key(DRAFT_KEY, Some(&name))));
            self.local.set(load(&key(LOCAL_KEY, Some(&name))));
            self.uploads.set(load(&key(UPLOADS_KEY, Some(&name))));
        }
        let applicant = account.role == "applicant";
        self.account.set(Some(account));
        if anonymous != Application::default() && anonymous != self.draft.get_untracked() {
            self.offered.set(Some(anonymous));
        }
        // A reviewer has no orders of their own (nor the applicant's pages to load).
        if applicant {
            crate::later::load_orders(*self).await;
        }
    }

    /// The session is gone (never was, or expired): the screen shows no account's draft; that
    /// account's answers stay in its own keys for its next login.
    pub fn logged_out_elsewhere(&self) {
        if self.account.get_untracked().is_none() && storage().and_then(|s| s.get_item(ACCOUNT_KEY).ok().flatten()).is_some() {
            forget(ACCOUNT_KEY);
            self.show_anonymous();
        }
    }

    fn show_anonymous(&self) {
        self.owner.set_value(None);
        self.unanswered.set_value(None);
        self.account.set(None);
        self.order.set(None);
        self.conflict.set(None);
        self.offered.set(None);
        self.draft.set(load(DRAFT_KEY));
        self.local.set(load(LOCAL_KEY));
        self.uploads.set(load(UPLOADS_KEY));
        self.server_findings.set(Vec::new());
        self.shown.set(BTreeSet::new());
    }

    /// Logged out: this person's answers leave the browser (they stay saved on the server).
    pub fn logged_out(&self) {
        if let Some(name) = self.account.get_untracked().map(|a| a.username) {
            for base in [DRAFT_KEY, LOCAL_KEY, UPLOADS_KEY] {
                forget(&key(base, Some(&name)));
            }
        }
        forget(ACCOUNT_KEY);
        self.show_anonymous();
    }

    /// Uses the answers given before logging in for this account's filing.
    pub fn use_offered(&self) {
        let Some(offered) = self.offered.get_untracked() else { return };
        self.offered.set(None);
        forget(DRAFT_KEY);
        self.edit("", |d| {
            // The filing path is the order's.
            let path = d.path;
            *d = offered;
            d.path = path.or(d.path);
        });
        self.save_to_server();
    }

    /// Discards the answers given before logging in.
    pub fn discard_offered(&self) {
        self.offered.set(None);
        forget(DRAFT_KEY);
    }

    /// Loads the logged-in account's open order: typing the server has not seen, made from
    /// its current version, is kept and saved; a newer server copy with typing here asks the
    /// applicant; otherwise the server's answers come in (or, on a new order, the browser's
    /// answers go out). Called through `later::load_orders`.
    pub async fn load_orders(&self) {
        let orders = match beian_api::my_orders().await {
            Ok(orders) => orders,
            Err(e) => return self.report(e),
        };
        let Some(order) = orders.into_iter().find(|o| o.status.is_open()) else { return };
        let local = self.local.get_untracked();
        let made_from_it = local.order_id.as_deref() == Some(order.id.as_str()) && local.base_version == order.version;
        // An order filled from a record has answers from its first version.
        let first_has_answers = order.version == 1 && beian_rules::record::needs_record(order.path);
        if first_has_answers && !made_from_it {
            self.draft.set(order.application.clone());
            self.local.set(Local { order_id: Some(order.id.clone()), base_version: order.version, unsaved: false });
            self.order.set(Some(order));
        } else if order.version > 1 && (!local.unsaved || self.draft.with_untracked(|d| *d == order.application)) {
            // Nothing typed here that the server lacks (or the last save arrived but its answer
            // did not: the page was left on the way): its answers are the newest.
            self.draft.set(order.application.clone());
            self.local.set(Local { order_id: Some(order.id.clone()), base_version: order.version, unsaved: false });
            self.order.set(Some(order));
        } else if !local.unsaved || made_from_it || order.version == 1 {
            // What was typed here is newer (or the order has no answers yet): it is saved.
            self.order.set(Some(order));
            self.save_to_server();
        } else {
            // Typed here from an older version, and saved elsewhere since: the applicant chooses.
            self.conflict.set(Some(Conflict { server: order }));
        }
    }
}
