//! Form fields: a label, an optional hint, the message of the rules for this field (shown once
//! the applicant has left a hard-format field or pressed Continue, then re-checked as they
//! type), `aria-invalid` and `aria-describedby` tying message and hint to the input.

use leptos::prelude::*;

use crate::i18n::*;
use crate::messages::finding_text;
use crate::state::{AppState, Answer};

/// The DOM id of a field path (`websites[0].domain` → `f-websites-0-domain`).
pub fn dom_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' });
    }
    id.replace("--", "-").trim_end_matches('-').to_owned()
}

pub fn message_view(path: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i18n = use_i18n();
    let id = format!("{}-error", dom_id(&path));
    move || {
        state.finding_for(&path).map(|f| {
            let class = if f.is_error() { "field-error" } else { "field-warning" };
            let prefix = if f.is_error() { t_string!(i18n, form.error_prefix).to_string() } else { String::new() };
            view! { <p class=class id=id.clone()><span class="visually-hidden">{prefix}</span>{finding_text(i18n, &f)}</p> }
        })
    }
}

fn described_by(path: &str, has_hint: bool) -> impl Fn() -> String + use<> {
    let state = expect_context::<AppState>();
    let id = dom_id(path);
    let path = path.to_owned();
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if state.finding_for(&path).is_some() {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    }
}

fn invalid(path: &str) -> impl Fn() -> &'static str + use<> {
    let state = expect_context::<AppState>();
    let path = path.to_owned();
    move || if state.finding_for(&path).is_some_and(|f| f.is_error()) { "true" } else { "false" }
}

/// A text input bound to a field path of the draft.
#[component]
pub fn TextField(
    /// The field path, as the rules crate names it.
    #[prop(into)]
    path: String,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    /// Checked as the applicant leaves the field (ID numbers, phones, domains…).
    #[prop(optional)]
    hard_format: bool,
    #[prop(optional)] optional: bool,
    #[prop(optional, into)] input_type: Option<&'static str>,
    #[prop(optional, into)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i18n = use_i18n();
    state.label(&path, label, Answer::Text);
    let id = dom_id(&path);
    let has_hint = hint.is_some();
    let blur_path = path.clone();
    let has_error = invalid(&path);
    view! {
        <div class="field" class:field--error=move || has_error() == "true">
            <label for=id.clone()>
                {move || label.get()}
                {optional.then(|| view! { " " <span class="optional">{t!(i18n, form.optional)}</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{move || h.get()}</p> })}
            {message_view(path.clone())}
            <input
                id=id.clone()
                name=id.clone()
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete.unwrap_or("off")
                spellcheck="false"
                aria-invalid=invalid(&path)
                aria-describedby=described_by(&path, has_hint)
                prop:value=move || value.get()
                on:input=move |ev| on_change.run(event_target_value(&ev))
                on:blur=move |_| {
                    if hard_format && !value.get_untracked().trim().is_empty() {
                        state.show(&[blur_path.clone()]);
                    }
                }
            />
        </div>
    }
}

/// A select bound to a field path; `options` are (value, words).
#[component]
pub fn SelectField(
    #[prop(into)] path: String,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
) -> impl IntoView {
    expect_context::<AppState>().label(&path, label, Answer::Choice);
    let id = dom_id(&path);
    let has_hint = hint.is_some();
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{move || h.get()}</p> })}
            {message_view(path.clone())}
            <select
                id=id.clone()
                name=id.clone()
                aria-invalid=invalid(&path)
                aria-describedby=described_by(&path, has_hint)
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                <option value="" selected=move || value.get().is_empty()>"—"</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, words)| {
                            let selected = v == value.get();
                            view! { <option value=v selected=selected>{words}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// A checkbox.
#[component]
pub fn CheckboxField(#[prop(into)] path: String, #[prop(into)] label: Signal<String>, #[prop(into)] checked: Signal<bool>, on_change: Callback<bool>) -> impl IntoView {
    let id = dom_id(&path);
    view! {
        <div class="field field--checkbox">
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))
            />
            <label for=id>{move || label.get()}</label>
        </div>
    }
}
