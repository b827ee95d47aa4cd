//! The app shell: language switch, navigation, routes (every step has its own URL).

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::i18n::*;
use crate::pages;
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    // Who is logged in, and their open order.
    leptos::task::spawn_local(async move {
        if let Ok(Some(account)) = beian_api::me().await {
            state.account.set(Some(account));
            pages::login::load_orders(state).await;
        }
    });
    view! {
        <I18nContextProvider>
            <Router>
                <a class="skip-link" href="#main">{move || t_string!(use_i18n(), skip).to_string()}</a>
                <Header/>
                <main id="main" class="page" tabindex="-1">
                    <Routes fallback=|| view! { <h1>{t!(use_i18n(), not_found)}</h1> }>
                        <Route path=path!("/") view=pages::start::Start/>
                        <Route path=path!("/check/:step") view=pages::check::Check/>
                        <Route path=path!("/check") view=pages::check::Check/>
                        <Route path=path!("/login") view=pages::login::Login/>
                        <Route path=path!("/instances") view=pages::instances::Instances/>
                        <Route path=path!("/apply") view=pages::apply::ApplyHome/>
                        <Route path=path!("/apply/instance") view=pages::instance_step::InstanceStep/>
                        <Route path=path!("/apply/subject") view=pages::subject::SubjectStep/>
                        <Route path=path!("/apply/principal") view=pages::principal::PrincipalStep/>
                        <Route path=path!("/apply/websites") view=pages::websites::WebsitesStep/>
                        <Route path=path!("/apply/documents") view=pages::documents::DocumentsStep/>
                        <Route path=path!("/apply/review") view=pages::review::Review/>
                        <Route path=path!("/order") view=pages::order::OrderStatus/>
                    </Routes>
                </main>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    remember_language(i18n);
    let state = expect_context::<AppState>();
    let logout = move |_| {
        leptos::task::spawn_local(async move {
            let _ = beian_api::logout().await;
            state.account.set(None);
            state.order.set(None);
        });
    };
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">{t!(i18n, app_name)}</A>
            <nav class="site-nav" aria-label=move || t_string!(i18n, app_name).to_string()>
                <A href="/check/location">{t!(i18n, nav.check)}</A>
                <A href="/apply">{t!(i18n, nav.apply)}</A>
                <A href="/instances">{t!(i18n, nav.instances)}</A>
                {move || match state.account.get() {
                    Some(_) => view! { <button type="button" class="link-button" on:click=logout>{t!(i18n, nav.logout)}</button> }.into_any(),
                    None => view! { <A href="/login">{t!(i18n, nav.login)}</A> }.into_any(),
                }}
            </nav>
            <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, language_switch_label).to_string()>
                <button
                    type="button"
                    class="lang"
                    lang="zh-CN"
                    aria-pressed=move || (i18n.get_locale() == Locale::zh_CN).to_string()
                    on:click=move |_| i18n.set_locale(Locale::zh_CN)
                >"简体中文"</button>
                <button
                    type="button"
                    class="lang"
                    lang="en"
                    aria-pressed=move || (i18n.get_locale() == Locale::en).to_string()
                    on:click=move |_| i18n.set_locale(Locale::en)
                >"English"</button>
            </div>
        </header>
    }
}

const LANGUAGE_KEY: &str = "beian.lang";

/// Keeps the chosen language in browser storage and brings it back on the next visit.
/// Without a choice, the browser's languages decide. (The i18n context sets its first locale
/// in an effect; this effect, created after it, runs after it and restores the choice.)
fn remember_language(i18n: leptos_i18n::I18nContext<Locale>) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let saved = storage
        .as_ref()
        .and_then(|s| s.get_item(LANGUAGE_KEY).ok().flatten())
        .and_then(|tag| Locale::get_all().iter().copied().find(|l| l.as_str() == tag));
    let restore = StoredValue::new(saved);
    Effect::new(move |_| {
        let current = i18n.get_locale();
        if let Some(saved) = restore.get_value() {
            restore.set_value(None);
            if saved != current {
                i18n.set_locale(saved);
                return;
            }
        }
        if let Some(s) = &storage {
            let _ = s.set_item(LANGUAGE_KEY, current.as_str());
        }
    });
}

/// Sets the document title (the error summary adds its prefix on top).
pub fn set_title(text: String) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{text} · Beian 备案助手"));
    }
}
