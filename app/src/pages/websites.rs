//! The websites section: several websites in one order where the province allows it, added
//! and removed in place, each with its own principal or "the same as the subject principal".

use beian_rules::Person;
use leptos::prelude::*;

use crate::components::Checkbox;
use crate::i18n::*;
use crate::state::AppState;
use crate::pages::step::group_view;
use crate::wizard::{Group, PERSON, WEBSITE, new_website};

#[component]
fn WebsiteFields(state: AppState, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let own_principal = Memo::new(move |_| state.draft.with(|d| d.websites.get(index).is_some_and(|w| w.principal.is_some())));
    let n = index + 1;
    view! {
        <fieldset class="website" data-testid="website">
            <legend>{t!(i18n, fields.website_n, n = move || n)}</legend>
            {group_view(state, Group::Website(index), WEBSITE)}
            <Checkbox id=format!("f-websites-{index}-same_principal") label=Signal::derive(move || t_string!(i18n, fields.same_principal).to_string())
                checked=Signal::derive(move || !own_principal.get())
                on_change=Callback::new(move |same: bool| state.edit(&format!("websites[{index}].principal"), |d| {
                    if let Some(w) = d.websites.get_mut(index) {
                        w.principal = if same { None } else { Some(Person::default()) };
                    }
                }))/>
            {move || own_principal.get().then(|| group_view(state, Group::WebsitePrincipal(index), PERSON))}
            // A change keeps the filed websites (one is cancelled on its own path).
            {move || (!changes(state)).then(|| view! {
                <button type="button" class="link-button" on:click=move |_| state.edit("websites", |d| {
                    if index < d.websites.len() { d.websites.remove(index); }
                })>{t!(i18n, fields.remove_website)} " " {n}</button>
            })}
        </fieldset>
    }
}

#[component]
pub fn WebsitesSection(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| state.draft.with(|d| d.websites.len()));
    view! {
        {move || (0..count.get()).map(|i| view! { <WebsiteFields state=state index=i/> }).collect_view()}
        // A change adds no website (it is added after the change, on its own path).
        {move || (!changes(state)).then(|| view! {
            <p>
                <button type="button" class="button button--secondary" on:click=move |_| {
                    state.edit("websites", |d| {
                        let site = new_website(d);
                        d.websites.push(site);
                    });
                }>{t!(i18n, fields.add_website)}</button>
            </p>
        })}
    }
}

fn changes(state: AppState) -> bool {
    state.draft.with(|d| d.path == Some(beian_rules::FilingPath::Change))
}
