//! The account's filing records (`/filings`): each approved filing as it stands — the
//! entity's number, every website with its own number and state — with its history and the
//! orders that start from it: a change, a website added or transferred in, a cancellation of
//! a website, of its transfer or of the entity. Starting one fills its answers from the record.

use beian_api::RecordView;
use beian_rules::FilingPath;
use beian_rules::record::WebsiteState;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::set_title;
use crate::i18n::*;
use crate::messages::{I18n, path_name, province_name, when_text};
use crate::state::AppState;

fn state_words(i18n: I18n, state: WebsiteState) -> String {
    match state {
        WebsiteState::Active => t_string!(i18n, records.state_active),
        WebsiteState::Cancelled => t_string!(i18n, records.state_cancelled),
        WebsiteState::TransferredOut => t_string!(i18n, records.state_transferred_out),
    }
    .to_string()
}

#[component]
pub fn Records(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, records.title).to_string()));
    let records = RwSignal::new(None::<Vec<RecordView>>);
    Effect::new(move |_| {
        if state.account.get().is_none() {
            return;
        }
        leptos::task::spawn_local(async move {
            match beian_api::my_filings().await {
                Ok(found) => records.set(Some(found)),
                Err(e) => state.report(e),
            }
        });
    });
    let navigate = use_navigate();
    let start = move |filing_id: String, path: FilingPath, website: Option<String>| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match beian_api::start_from_filing(filing_id, path, website).await {
                Ok(order) => {
                    state.started(order);
                    navigate("/apply", Default::default());
                }
                Err(e) => state.report(e),
            }
        });
    };
    let open_order = Memo::new(move |_| state.order.with(|o| o.as_ref().is_some_and(|o| o.status.is_open())));
    let record_view = move |view: RecordView| {
        let RecordView { id, approved_on, record, history } = view;
        let live = !record.cancelled && !open_order.get();
        let button = {
            let id = id.clone();
            let start = start.clone();
            move |path: FilingPath, website: Option<String>, words: String, testid: String| {
                let id = id.clone();
                let start = start.clone();
                view! {
                    <button type="button" class="button button--secondary" data-testid=testid
                        on:click=move |_| start(id.clone(), path, website.clone())>{words}</button>
                }
            }
        };
        let rows = record
            .websites
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let hosted = w.state == WebsiteState::Active;
                let number = w.website.icp_number.clone();
                let actions = (live && hosted).then(|| {
                    view! {
                        {button(FilingPath::CancelWebsite, Some(number.clone()), t_string!(i18n, records.start_cancel_website).to_string(), format!("cancel-website-{i}"))}
                        " "
                        {button(FilingPath::CancelTransfer, Some(number.clone()), t_string!(i18n, records.start_cancel_transfer).to_string(), format!("cancel-transfer-{i}"))}
                    }
                });
                view! {
                    <tr data-testid="record-website">
                        <td>{w.website.name.clone()}</td>
                        <td>{w.website.domain.clone()}</td>
                        <td>{w.website.icp_number.clone()}</td>
                        <td>{state_words(i18n, w.state)}</td>
                        <td>{actions}</td>
                    </tr>
                }
            })
            .collect_view();
        let events = history
            .into_iter()
            .map(|e| {
                let changed = (!e.differences.is_empty()).then(|| {
                    let count = e.differences.len();
                    view! { " · " {t!(i18n, records.history_changed, count = move || count)} }
                });
                view! { <li>{when_text(i18n.get_locale(), &e.at)} " · " {path_name(i18n, e.path)} {changed}</li> }
            })
            .collect_view();
        let subject_actions = live.then(|| {
            view! {
                <h3>{t!(i18n, records.actions)}</h3>
                <p class="actions">
                    {button(FilingPath::Change, None, t_string!(i18n, records.start_change).to_string(), "start-change".to_owned())}
                    " "
                    {button(FilingPath::AddWebsite, None, t_string!(i18n, records.start_add_website).to_string(), "start-add-website".to_owned())}
                    " "
                    {button(FilingPath::TransferInExistingSubject, None, t_string!(i18n, records.start_transfer_in).to_string(), "start-transfer-in".to_owned())}
                    " "
                    {button(FilingPath::CancelSubject, None, t_string!(i18n, records.start_cancel_subject).to_string(), "start-cancel-subject".to_owned())}
                </p>
            }
        });
        view! {
            <section class="record" data-testid="record">
                <h2>{record.subject.name.clone()} {record.cancelled.then(|| view! { " · " {t!(i18n, records.cancelled)} })}</h2>
                <dl class="summary">
                    <div><dt>{t!(i18n, records.subject_number)}</dt><dd data-testid="record-number">{record.icp_number.clone()}</dd></div>
                    <div><dt>{t!(i18n, lookup.province)}</dt><dd>{province_name(i18n, record.province)}</dd></div>
                    <div><dt>{t!(i18n, records.approved_on)}</dt><dd>{when_text(i18n.get_locale(), &approved_on)}</dd></div>
                </dl>
                <table>
                    <caption>{t!(i18n, lookup.websites)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, lookup.website_name)}</th>
                        <th scope="col">{t!(i18n, lookup.domain)}</th>
                        <th scope="col">{t!(i18n, records.website_number)}</th>
                        <th scope="col">{t!(i18n, records.state)}</th>
                        <th scope="col">{t!(i18n, records.actions)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {subject_actions}
                <h3>{t!(i18n, records.history)}</h3>
                <ul class="history">{events}</ul>
            </section>
        }
    };
    view! {
        <h1>{t!(i18n, records.title)}</h1>
        <p class="lead">{t!(i18n, records.intro)}</p>
        {move || open_order.get().then(|| view! {
            <p class="notice" role="status">{t!(i18n, records.open_order)} " " <A href="/order">{t!(i18n, records.go_order)}</A></p>
        })}
        {move || match (state.account.get(), records.get()) {
            (None, _) => view! { <p class="notice"><A href="/login">{t!(i18n, apply.login_needed)}</A></p> }.into_any(),
            (Some(_), None) => ().into_any(),
            (Some(_), Some(list)) if list.is_empty() => view! { <p>{t!(i18n, records.none)}</p> }.into_any(),
            (Some(_), Some(list)) => list.into_iter().map(record_view.clone()).collect_view().into_any(),
        }}
    }
}
