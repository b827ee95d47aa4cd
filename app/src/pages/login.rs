//! Log in or create an account. After logging in, the open order's answers come back from the
//! server; a draft filled before logging in is carried into a new order.

use beian_api::ApiError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::field::dom_id;
use crate::components::{ErrorSummary, set_title};
use crate::i18n::*;
use crate::messages::error_words;
use crate::state::AppState;

#[component]
pub fn Login(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, login.title).to_string()));
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let submit = move |register: bool| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let (u, p) = (username.get_untracked(), password.get_untracked());
            let result = if register { beian_api::register(u, p).await } else { beian_api::login(u, p).await };
            match result {
                Ok(account) => {
                    failure.set(None);
                    // Provider staff start at their queue; applicants at their filing.
                    let home = if account.role == "reviewer" { "/review" } else { "/apply" };
                    state.logged_in(account).await;
                    navigate(home, Default::default());
                }
                // A refusal (wrong password, too many attempts) is the form's; a failure of the
                // system is shown at the top.
                Err(e) if (400..500).contains(&e.status) => failure.set(Some(e)),
                Err(e) => {
                    failure.set(None);
                    state.report(e);
                }
            }
        });
    };
    let submit_login = submit.clone();
    let problems = Signal::derive(move || {
        failure.get().map(|e| (e.field.clone().unwrap_or_else(|| "username".into()), error_words(i18n, &e))).into_iter().collect::<Vec<_>>()
    });
    // The message next to the field it belongs to.
    let message = move |field: &'static str| {
        move || {
            failure.get().filter(|e| e.field.as_deref() == Some(field)).map(|e| {
                view! { <p class="field-error" id=format!("{}-error", dom_id(field))>{error_words(i18n, &e)}</p> }
            })
        }
    };
    view! {
        <ErrorSummary errors=problems/>
        <h1>{t!(i18n, login.title)}</h1>
        <p class="hint">{t!(i18n, login.demo)}</p>
        <form on:submit=move |ev| { ev.prevent_default(); submit_login(false); }>
            <div class="field">
                <label for=dom_id("username")>{t!(i18n, login.username)}</label>
                {message("username")}
                <input id=dom_id("username") type="email" autocomplete="username" prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=dom_id("password")>{t!(i18n, login.password)}</label>
                <p class="hint" id="password-hint">{t!(i18n, login.password_hint)}</p>
                {message("password")}
                <input id=dom_id("password") type="password" autocomplete="current-password" aria-describedby="password-hint"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            </div>
            <div class="step-nav">
                <button type="submit" class="button">{t!(i18n, login.login_button)}</button>
                <button type="button" class="button button--secondary" on:click=move |_| submit(true)>{t!(i18n, login.register_button)}</button>
            </div>
        </form>
    }
}
