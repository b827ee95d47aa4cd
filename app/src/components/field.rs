//! One field of the wizard, drawn from its description ([`crate::wizard::FieldSpec`]) and bound
//! to the draft by its path: a label, an optional hint, the message of the rules for this
//! field (shown once the applicant has left a hard-format field or pressed Continue, then
//! re-checked as they type), `aria-invalid` and `aria-describedby` tying message and hint to
//! the input.

use leptos::prelude::*;
use beian_rules::fields::FieldValue;

use crate::i18n::*;
use crate::state::AppState;
use crate::wizard::{Placed, Widget, field_message};

/// The DOM id of a field path (`websites[0].domain` → `f-websites-0-domain`).
pub fn dom_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' });
    }
    id.replace("--", "-").trim_end_matches('-').to_owned()
}

/// The message of the rules for the field at `path`, once shown.
pub fn message_view(state: AppState, path: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{}-error", dom_id(&path));
    move || {
        state.finding_for(&path).map(|f| {
            let class = if f.is_error() { "field-error" } else { "field-warning" };
            let prefix = if f.is_error() { t_string!(i18n, form.error_prefix).to_string() } else { String::new() };
            view! { <p class=class id=id.clone()><span class="visually-hidden">{prefix}</span>{field_message(i18n, &f)}</p> }
        })
    }
}

fn text_of(value: &Option<FieldValue>) -> String {
    value.as_ref().map(|v| v.text().to_owned()).unwrap_or_default()
}

/// A field of the wizard.
#[component]
pub fn Field(state: AppState, placed: Placed) -> impl IntoView {
    let i18n = use_i18n();
    let spec = placed.spec;
    let path = placed.path();
    let id = dom_id(&path);
    let has_hint = spec.hint.is_some();
    let label = move || (spec.label)(i18n.get_locale());
    let shown = {
        let path = path.clone();
        move || state.finding_for(&path)
    };
    let invalid = {
        let shown = shown.clone();
        move || if shown().is_some_and(|f| f.is_error()) { "true" } else { "false" }
    };
    let described_by = {
        let (id, shown) = (id.clone(), shown.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(format!("{id}-hint"));
            }
            if shown().is_some() {
                ids.push(format!("{id}-error"));
            }
            ids.join(" ")
        }
    };
    let value = {
        let path = path.clone();
        Signal::derive(move || state.value(&path))
    };
    let set = {
        let path = path.clone();
        move |v: FieldValue| state.set(&path, v, spec.then)
    };
    let hint = spec.hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{move || h(i18n.get_locale())}</p> });
    let optional = spec.optional.then(|| view! { " " <span class="optional">{t!(i18n, form.optional)}</span> });
    let input_type = match spec.widget {
        Widget::Text(kind) => Some(kind),
        Widget::Date => Some("date"),
        _ => None,
    };
    if let Some(kind) = input_type {
            let blur_path = path.clone();
            let invalid_class = invalid.clone();
            return view! {
                <div class="field" class:field--error=move || invalid_class() == "true">
                    <label for=id.clone()>{label}{optional}</label>
                    {hint}
                    {message_view(state, path.clone())}
                    <input
                        id=id.clone()
                        name=id.clone()
                        type=kind
                        autocomplete="off"
                        spellcheck="false"
                        aria-invalid=invalid
                        aria-describedby=described_by
                        prop:value=move || text_of(&value.get())
                        on:input=move |ev| set(FieldValue::Text(event_target_value(&ev)))
                        on:blur=move |_| {
                            if spec.hard_format && !text_of(&value.get_untracked()).trim().is_empty() {
                                state.show(std::slice::from_ref(&blur_path));
                            }
                        }
                    />
                </div>
            }
            .into_any();
    }
    match spec.widget {
        Widget::Select(choices) => {
            let options = move || choices.options(&state.draft.get());
            view! {
                <div class="field">
                    <label for=id.clone()>{label}{optional}</label>
                    {hint}
                    {message_view(state, path.clone())}
                    <select
                        id=id.clone()
                        name=id.clone()
                        aria-invalid=invalid
                        aria-describedby=described_by
                        on:change=move |ev| set(FieldValue::Text(event_target_value(&ev)))
                    >
                        <option value="" selected=move || text_of(&value.get()).is_empty()>"—"</option>
                        {move || {
                            let current = text_of(&value.get());
                            options()
                                .into_iter()
                                .map(|v| {
                                    let selected = v == current;
                                    let words = choices.name(i18n, &v);
                                    view! { <option value=v selected=selected>{words}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
            }
            .into_any()
        }
        Widget::Checkboxes(choices) => {
            let hint_id = format!("{id}-hint");
            let boxes = choices
                .options(&Default::default())
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    let box_id = if i == 0 { id.clone() } else { format!("{id}-{v}") };
                    let words = choices.name(i18n, &v);
                    let (on, v2) = (v.clone(), v.clone());
                    let set = set.clone();
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=box_id.clone() name=id.clone() value=v.clone()
                                prop:checked=move || value.with(|v| matches!(v, Some(FieldValue::List(l)) if l.contains(&on)))
                                on:change=move |ev| {
                                    let checked = event_target_checked(&ev);
                                    let mut list: Vec<String> = match value.get_untracked() {
                                        Some(FieldValue::List(l)) => l,
                                        _ => Vec::new(),
                                    };
                                    list.retain(|x| *x != v2);
                                    if checked {
                                        list.push(v2.clone());
                                    }
                                    // In the order of the list of choices.
                                    let order = choices.options(&Default::default());
                                    list.sort_by_key(|x| order.iter().position(|o| o == x));
                                    set(FieldValue::List(list));
                                }/>
                            <label for=box_id>{words}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="field" aria-describedby=hint_id>
                    <legend>{label}{optional}</legend>
                    {hint}
                    {message_view(state, path.clone())}
                    <div class="checkboxes">{boxes}</div>
                </fieldset>
            }
            .into_any()
        }
        _ => view! {
            <div class="field field--checkbox">
                <input
                    type="checkbox"
                    id=id.clone()
                    prop:checked=move || matches!(value.get(), Some(FieldValue::Flag(true)))
                    on:change=move |ev| set(FieldValue::Flag(event_target_checked(&ev)))
                />
                <label for=id.clone()>{label}</label>
            </div>
        }
        .into_any(),
    }
}

/// A checkbox that is not a field of the application (a website's "same as the subject
/// principal").
#[component]
pub fn Checkbox(#[prop(into)] id: String, #[prop(into)] label: Signal<String>, #[prop(into)] checked: Signal<bool>, on_change: Callback<bool>) -> impl IntoView {
    view! {
        <div class="field field--checkbox">
            <input type="checkbox" id=id.clone() prop:checked=move || checked.get() on:change=move |ev| on_change.run(event_target_checked(&ev))/>
            <label for=id>{move || label.get()}</label>
        </div>
    }
}
