//! The public lookup: is a domain, an ICP number or a filing entity filed, and under which
//! number. No login; an individual's name is shown as the surname only, as the MIIT shows it.

use beian_api::{ApiError, LookupAnswer};
use leptos::prelude::*;

use crate::components::field::dom_id;
use crate::components::{ErrorSummary, set_title};
use crate::i18n::*;
use crate::messages::{error_words, province_name, subject_type_name};
use crate::state::AppState;

#[component]
pub fn Lookup(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, lookup.title).to_string()));
    let query = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiError>);
    let answer = RwSignal::new(None::<(String, LookupAnswer)>);
    let search = move || {
        let asked = query.get_untracked().trim().to_owned();
        leptos::task::spawn_local(async move {
            match beian_api::lookup(asked.clone()).await {
                Ok(found) => {
                    failure.set(None);
                    answer.set(Some((asked, found)));
                }
                Err(e) if (400..500).contains(&e.status) => failure.set(Some(e)),
                Err(e) => {
                    failure.set(None);
                    state.report(e);
                }
            }
        });
    };
    let problems = Signal::derive(move || failure.get().map(|e| ("query".to_owned(), error_words(i18n, &e))).into_iter().collect::<Vec<_>>());
    let results = move || {
        answer.get().map(|(asked, found)| {
            if found.records.is_empty() {
                return view! { <p class="lookup-none" role="status">{t!(i18n, lookup.none, query = move || asked.clone())}</p> }.into_any();
            }
            view! {
                <div role="status">
                    {found.records.into_iter().map(|r| view! {
                        <section class="lookup-record">
                            <h2>{r.subject_name.clone()}</h2>
                            <dl class="summary">
                                <div><dt>{t!(i18n, lookup.icp_number)}</dt><dd>{r.icp_number.clone()}</dd></div>
                                <div><dt>{t!(i18n, lookup.subject_type)}</dt><dd>{r.subject_type.map(|t| subject_type_name(i18n, t))}</dd></div>
                                <div><dt>{t!(i18n, lookup.province)}</dt><dd>{province_name(i18n, r.province)}</dd></div>
                                <div><dt>{t!(i18n, lookup.approved_on)}</dt><dd>{beian_rules::fields::iso_date(&r.approved_on).map_or_else(|| r.approved_on.clone(), |d| crate::messages::date_text(i18n.get_locale(), d))}</dd></div>
                            </dl>
                            <table>
                                <caption>{t!(i18n, lookup.websites)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, lookup.website_name)}</th>
                                    <th scope="col">{t!(i18n, lookup.domain)}</th>
                                    <th scope="col">{t!(i18n, lookup.website_number)}</th>
                                </tr></thead>
                                <tbody>
                                    {r.websites.into_iter().map(|w| view! {
                                        <tr><td>{w.name}</td><td>{w.domain}</td><td>{w.icp_number}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }).collect_view()}
                </div>
            }
            .into_any()
        })
    };
    view! {
        <ErrorSummary errors=problems/>
        <h1>{t!(i18n, lookup.title)}</h1>
        <p class="lead">{t!(i18n, lookup.intro)}</p>
        <form on:submit=move |ev| { ev.prevent_default(); search(); }>
            <div class="field">
                <label for=dom_id("query")>{t!(i18n, lookup.query)}</label>
                <p class="hint" id="query-hint">{t!(i18n, lookup.hint)}</p>
                {move || failure.get().map(|e| view! { <p class="field-error" id=format!("{}-error", dom_id("query"))>{error_words(i18n, &e)}</p> })}
                <input id=dom_id("query") type="search" aria-describedby="query-hint" prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="button">{t!(i18n, lookup.button)}</button>
        </form>
        {results}
    }
}
