//! Websites: several in one order where the province allows it, added and removed in place.

use beian_rules::{Application, ContentCategory, Person, Website};
use leptos::prelude::*;

use crate::app::set_title;
use crate::components::field::{dom_id, message_view};
use crate::components::{CheckboxField, TextField};
use crate::messages::content_name;
use crate::i18n::*;
use crate::pages::apply::{Task, task_fields};
use crate::pages::principal::PersonFields;
use crate::pages::{StepNav, StepSummary};
use crate::state::{AppState, enum_value};

/// What the website offers: the categories that need a pre-approval (or, for selling, an ICP
/// Commercial License after the filing). None ticked is an answer too.
#[component]
fn ContentFields(index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    let path = format!("websites[{index}].content");
    let first_id = dom_id(&path);
    let hint_id = format!("{first_id}-hint");
    let boxes = ContentCategory::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let c = *c;
            let id = if i == 0 { first_id.clone() } else { format!("{first_id}-{}", enum_value(&c)) };
            let path = path.clone();
            view! {
                <div class="checkbox">
                    <input type="checkbox" id=id.clone() name=first_id.clone() value=enum_value(&c)
                        prop:checked=move || state.draft.with(|d| d.websites.get(index).is_some_and(|w| w.content.contains(&c)))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            state.edit(&path, |d| {
                                if let Some(w) = d.websites.get_mut(index) {
                                    w.content.retain(|x| *x != c);
                                    if on {
                                        w.content.push(c);
                                        w.content.sort();
                                    }
                                }
                            })
                        }/>
                    <label for=id>{move || content_name(i18n, c)}</label>
                </div>
            }
        })
        .collect_view();
    let described_by = hint_id.clone();
    view! {
        <fieldset class="field" aria-describedby=described_by>
            <legend>{t!(i18n, fields.content)} " " <span class="optional">{t!(i18n, form.optional)}</span></legend>
            <p class="hint" id=hint_id>{t!(i18n, fields.content_hint)}</p>
            {message_view(path.clone())}
            <div class="checkboxes">{boxes}</div>
        </fieldset>
    }
}

#[component]
fn WebsiteFields(index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    let draft = state.draft;
    let site = Memo::new(move |_| draft.get().websites.get(index).cloned().unwrap_or_default());
    let edit = move |field: &'static str, change: fn(&mut Website, String)| {
        Callback::new(move |v: String| {
            state.edit(&format!("websites[{index}].{field}"), |d| {
                if let Some(w) = d.websites.get_mut(index) {
                    change(w, v);
                }
            })
        })
    };
    let own_principal = move || site.get().principal.is_some();
    let n = index + 1;
    view! {
        <fieldset class="website" data-testid="website">
            <legend>{t!(i18n, fields.website_n, n = move || n)}</legend>
            <TextField path=format!("websites[{index}].name") label=Signal::derive(move || t_string!(i18n, fields.website_name).to_string())
                hint=Signal::derive(move || t_string!(i18n, fields.website_name_hint).to_string())
                value=Signal::derive(move || site.get().name) on_change=edit("name", |w, v| w.name = v)/>
            <TextField path=format!("websites[{index}].domain") label=Signal::derive(move || t_string!(i18n, fields.domain).to_string())
                hint=Signal::derive(move || t_string!(i18n, fields.domain_hint).to_string())
                value=Signal::derive(move || site.get().domain) on_change=edit("domain", |w, v| w.domain = v) hard_format=true/>
            <TextField path=format!("websites[{index}].domain_holder") label=Signal::derive(move || t_string!(i18n, fields.domain_holder).to_string())
                hint=Signal::derive(move || t_string!(i18n, fields.domain_holder_hint).to_string())
                value=Signal::derive(move || site.get().domain_holder) on_change=edit("domain_holder", |w, v| w.domain_holder = v)/>
            <ContentFields index=index/>
            <CheckboxField path=format!("websites[{index}].same_principal") label=Signal::derive(move || t_string!(i18n, fields.same_principal).to_string())
                checked=Signal::derive(move || !own_principal())
                on_change=Callback::new(move |same: bool| state.edit(&format!("websites[{index}].principal"), |d| {
                    if let Some(w) = d.websites.get_mut(index) {
                        w.principal = if same { None } else { Some(Person::default()) };
                    }
                }))/>
            {move || own_principal().then(|| view! {
                <PersonFields prefix=format!("websites[{index}].principal")
                    get=Callback::new(move |a: Application| a.websites.get(index).and_then(|w| w.principal.clone()))
                    set=Callback::new(move |(mut a, p): (Application, Person)| {
                        if let Some(w) = a.websites.get_mut(index) { w.principal = Some(p); }
                        a
                    })/>
            })}
            <button type="button" class="link-button" on:click=move |_| state.edit("websites", |d| {
                if index < d.websites.len() { d.websites.remove(index); }
            })>{t!(i18n, fields.remove_website)} " " {n}</button>
        </fieldset>
    }
}

#[component]
pub fn WebsitesStep() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    Effect::new(move |_| set_title(t_string!(i18n, apply.task_websites).to_string()));
    // The service code step may have opened the first website with its code alone: it gets
    // the holder a new website gets.
    let untouched = |w: &Website| w.name.is_empty() && w.domain.is_empty() && w.domain_holder.is_empty();
    let draft = state.draft.get_untracked();
    if draft.websites.is_empty() || draft.websites.iter().any(untouched) {
        let holder = draft.subject.name;
        state.draft.update(|d| {
            if d.websites.is_empty() {
                d.websites.push(Website::default());
            }
            for w in d.websites.iter_mut().filter(|w| untouched(w)) {
                w.domain_holder = holder.clone();
            }
        });
    }
    let attempted = RwSignal::new(false);
    let fields = Signal::derive(move || task_fields(Task::Websites, &state.draft.get()));
    let count = Memo::new(move |_| state.draft.get().websites.len());
    view! {
        <StepSummary fields=fields attempted=attempted/>
        <h1>{t!(i18n, apply.task_websites)}</h1>
        {move || (0..count.get()).map(|i| view! { <WebsiteFields index=i/> }).collect_view()}
        <p>
            <button type="button" class="button button--secondary" on:click=move |_| {
                let holder = state.draft.get_untracked().subject.name;
                state.edit("websites", |d| d.websites.push(Website { domain_holder: holder, ..Default::default() }));
            }>{t!(i18n, fields.add_website)}</button>
        </p>
        <StepNav fields=fields back="/apply/principal" next="/apply/documents" attempted=attempted/>
    }
}
