//! The error summary: "There is a problem" at the top of a page, focused when it appears,
//! with a link to each field that moves focus there.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::field::dom_id;
use crate::i18n::*;

/// A problem in the summary: the field it links to and its words.
pub type Problem = (String, String);

/// Moves focus to the element with `id`.
pub fn focus(id: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id))
        && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = el.focus();
    }
}

#[component]
pub fn ErrorSummary(#[prop(into)] errors: Signal<Vec<Problem>>) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<leptos::html::Div>::new();
    // Focus the summary each time it appears with problems.
    Effect::new(move |_| {
        if !errors.get().is_empty()
            && let Some(el) = node.get()
        {
            let _ = el.focus();
        }
    });
    // The page title says there is an error.
    Effect::new(move |_| {
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let title = doc.title();
            let prefix = t_string!(i18n, form.error_prefix).to_string();
            let base = title.trim_start_matches("Error: ").trim_start_matches("错误：").to_owned();
            doc.set_title(&if errors.get().is_empty() { base } else { format!("{prefix}{base}") });
        }
    });
    view! {
        <div
            class="error-summary"
            node_ref=node
            tabindex="-1"
            role="alert"
            aria-labelledby="error-summary-title"
            hidden=move || errors.get().is_empty()
        >
            <h2 id="error-summary-title">{t!(i18n, form.summary_title)}</h2>
            <ul>
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(field, text)| {
                            let id = dom_id(&field);
                            let href = format!("#{id}");
                            view! {
                                <li>
                                    <a href=href on:click=move |ev| {
                                        ev.prevent_default();
                                        focus(&id);
                                    }>{text}</a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
