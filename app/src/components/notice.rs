//! The notice at the top of every page for a failed call to the server that belongs to no
//! field: nothing fails silently.

use leptos::prelude::*;

use crate::i18n::*;
use crate::messages::error_text;
use crate::state::AppState;

#[component]
pub fn Notice(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        state.notice.get().map(|e| {
            view! {
                <div class="notice notice--error" role="alert" data-testid="notice">
                    <p>{error_text(i18n, e.code)}</p>
                    <button type="button" class="link-button" on:click=move |_| state.notice.set(None)>{t!(i18n, form.dismiss)}</button>
                </div>
            }
        })
    }
}
