//! Log in or create an account. After logging in, the open order's answers come back from the
//! server; a draft filled before logging in is carried into a new order.

use beian_api::error::code_of;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::app::set_title;
use crate::components::field::dom_id;
use crate::i18n::*;
use crate::state::AppState;

/// Loads the account's open order into the state (or pushes the browser's draft into it).
pub async fn load_orders(state: AppState) {
    let Ok(orders) = beian_api::my_orders().await else { return };
    let open = orders.into_iter().find(|o| o.status.is_open());
    if let Some(order) = open {
        let server_has_answers = order.version > 1;
        if server_has_answers {
            state.draft.set(order.application.clone());
        }
        state.order.set(Some(order));
        if !server_has_answers {
            state.save_to_server();
        }
    }
}

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    Effect::new(move |_| set_title(t_string!(i18n, login.title).to_string()));
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let submit = move |register: bool| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let (u, p) = (username.get_untracked(), password.get_untracked());
            let result = if register { beian_api::register(u, p).await } else { beian_api::login(u, p).await };
            match result {
                Ok(account) => {
                    failure.set(None);
                    state.account.set(Some(account));
                    load_orders(state).await;
                    navigate("/apply", Default::default());
                }
                Err(e) => failure.set(Some(code_of(&e).unwrap_or_default())),
            }
        });
    };
    let submit_login = submit.clone();
    let message = move || {
        failure.get().map(|code| match code.as_str() {
            "account.username_taken" => t_string!(i18n, login.taken).to_string(),
            "account.password_too_short" => t_string!(i18n, login.password_hint).to_string(),
            "account.username_invalid" => crate::messages::code_text(i18n, beian_rules::Code::EmailFormat),
            _ => t_string!(i18n, login.failed).to_string(),
        })
    };
    view! {
        <h1>{t!(i18n, login.title)}</h1>
        {move || message().map(|m| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{t!(i18n, form.summary_title)}</h2>
                <ul><li><a href=format!("#{}", dom_id("username"))>{m}</a></li></ul>
            </div>
        })}
        <p class="hint">{t!(i18n, login.demo)}</p>
        <form on:submit=move |ev| { ev.prevent_default(); submit_login(false); }>
            <div class="field">
                <label for=dom_id("username")>{t!(i18n, login.username)}</label>
                <input id=dom_id("username") type="email" autocomplete="username" prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=dom_id("password")>{t!(i18n, login.password)}</label>
                <p class="hint" id="password-hint">{t!(i18n, login.password_hint)}</p>
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
