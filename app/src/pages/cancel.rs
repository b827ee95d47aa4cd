//! A cancellation's own step: what it cancels, chosen from the filing record (one website, a
//! website's transfer, or the entity with every website), the consequences in words, and the
//! applicant's confirmation. Nothing else is asked: the rest is the record's.

use beian_rules::FilingPath;
use beian_rules::record::FilingRecord;
use leptos::prelude::*;

use crate::components::Checkbox;
use crate::components::field::{dom_id, message_view};
use crate::i18n::*;
use crate::state::AppState;

#[component]
pub fn CancelSection(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    let record = Memo::new(move |_| state.order.with(|o| o.as_ref().and_then(|o| o.record.clone())));
    let path = Memo::new(move |_| state.draft.with(|d| d.path));
    let chosen = move |number: &str| state.draft.with(|d| d.websites.iter().any(|w| w.icp_number == number));
    let choose = move |record: &FilingRecord, number: String, on: bool, only_one: bool| {
        let site = record.hosted_websites().find(|w| w.website.icp_number == number).map(|w| w.website.clone());
        state.edit("websites", move |d| {
            if only_one {
                d.websites.clear();
            }
            d.websites.retain(|w| w.icp_number != number);
            if on && let Some(site) = site {
                d.websites.push(site);
            }
        });
    };
    let chooser = move || {
        let record = record.get()?;
        let path = path.get()?;
        let sites: Vec<_> = record.hosted_websites().map(|w| w.website.clone()).collect();
        Some(match path {
            FilingPath::CancelSubject => view! {
                <p>{t!(i18n, cancel.subject_all)}</p>
                <ul data-testid="cancel-websites">
                    {sites.into_iter().map(|w| view! { <li>{format!("{} · {} · {}", w.name, w.domain, w.icp_number)}</li> }).collect_view()}
                </ul>
            }
            .into_any(),
            _ => {
                let only_one = path == FilingPath::CancelWebsite;
                let kind = if only_one { "radio" } else { "checkbox" };
                view! {
                    <fieldset class="field" id=dom_id("websites") aria-describedby=format!("{}-error", dom_id("websites"))>
                        <legend>{t!(i18n, cancel.choose_website)}</legend>
                        {message_view(state, "websites".to_owned())}
                        {sites
                            .into_iter()
                            .enumerate()
                            .map(|(i, w)| {
                                let id = format!("cancel-site-{i}");
                                let number = w.icp_number.clone();
                                let record = record.clone();
                                let checked = {
                                    let number = number.clone();
                                    move || chosen(&number)
                                };
                                view! {
                                    <div class="field field--checkbox">
                                        <input type=kind name="cancel-site" id=id.clone() prop:checked=checked
                                            on:change=move |ev| choose(&record, number.clone(), event_target_checked(&ev), only_one)/>
                                        <label for=id>{format!("{} · {} · {}", w.name, w.domain, w.icp_number)}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                }
                .into_any()
            }
        })
    };
    let consequences = move || match path.get() {
        Some(FilingPath::CancelSubject) => t_string!(i18n, cancel.consequence_cancel_subject).to_string(),
        Some(FilingPath::CancelTransfer) => t_string!(i18n, cancel.consequence_cancel_transfer).to_string(),
        _ => t_string!(i18n, cancel.consequence_cancel_website).to_string(),
    };
    view! {
        {chooser}
        <div class="panel panel--warning" data-testid="consequences">
            <p>{consequences}</p>
            <p>{t!(i18n, cancel.sms_note)}</p>
        </div>
        {message_view(state, "consequences_confirmed".to_owned())}
        <Checkbox id=dom_id("consequences_confirmed") label=Signal::derive(move || t_string!(i18n, cancel.confirm).to_string())
            checked=Signal::derive(move || state.draft.with(|d| d.consequences_confirmed))
            on_change=Callback::new(move |on: bool| state.edit("consequences_confirmed", |d| d.consequences_confirmed = on))/>
    }
}
