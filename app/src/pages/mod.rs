//! One file per page or wizard step.

pub mod apply;
pub mod check;
pub mod documents;
pub mod instance_step;
pub mod instances;
pub mod login;
pub mod order;
pub mod principal;
pub mod review;
pub mod start;
pub mod subject;
pub mod websites;

use leptos::prelude::*;

use crate::components::ErrorSummary;
use crate::i18n::*;
use crate::state::AppState;

/// The bottom of a wizard step: Back and Continue. Continue shows every message of the
/// page's fields; with errors it shows the summary, else it saves and goes to `next`.
#[component]
pub fn StepNav(fields: Signal<Vec<String>>, #[prop(into)] back: String, #[prop(into)] next: String, attempted: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    let navigate = leptos_router::hooks::use_navigate();
    let on_continue = move |_| {
        let fields = fields.get_untracked();
        state.show(&fields);
        attempted.set(true);
        state.save_to_server();
        if state.errors_in(&fields).is_empty() {
            navigate(&next, Default::default());
        }
    };
    view! {
        <div class="step-nav">
            <button type="button" class="button" on:click=on_continue>{t!(i18n, form.continue_button)}</button>
            <a class="back" href=back>{t!(i18n, form.back)}</a>
        </div>
    }
}

/// The error summary of a step: the errors of its fields once Continue was pressed.
#[component]
pub fn StepSummary(fields: Signal<Vec<String>>, attempted: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let errors = Signal::derive(move || if attempted.get() { state.errors_in(&fields.get()) } else { Vec::new() });
    view! { <ErrorSummary errors=errors/> }
}
