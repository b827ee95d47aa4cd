//! The app shell: language switch, navigation, the notice of a failed call, routes (every
//! step has its own URL). The shell makes the state and gives it to each page.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::Notice;
use crate::i18n::*;
use crate::pages;
use crate::later;
use crate::state::AppState;
use crate::wizard::StepId;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    // Who is logged in, and their open order.
    leptos::task::spawn_local(async move {
        match beian_api::me().await {
            Ok(Some(account)) => state.logged_in(account).await,
            Ok(None) => state.logged_out_elsewhere(),
            Err(e) => state.report(e),
        }
    });
    // Every page but the start page and the check is drawn by `later` (loaded when first
    // shown, in the split build).
    let step = move |id: StepId| move || later::step(state, id);
    view! {
        <I18nContextProvider>
            <Router>
                <a class="skip-link" href="#main">{move || t_string!(use_i18n(), skip).to_string()}</a>
                <Header state=state/>
                <main id="main" class="page" tabindex="-1">
                    <Notice state=state/>
                    {move || state.conflict.with(Option::is_some).then(|| later::conflict(state))}
                    {move || state.offered.with(Option::is_some).then(|| later::offer(state))}
                    <Routes fallback=|| view! { <h1>{t!(use_i18n(), not_found)}</h1> }>
                        <Route path=path!("/") view=pages::start::Start/>
                        <Route path=path!("/check/:step") view=move || view! { <pages::check::Check state=state/> }/>
                        <Route path=path!("/check") view=move || view! { <pages::check::Check state=state/> }/>
                        <Route path=path!("/login") view=move || later::login(state)/>
                        <Route path=path!("/lookup") view=move || later::lookup(state)/>
                        <Route path=path!("/instances") view=move || later::instances(state)/>
                        <Route path=path!("/apply") view=move || later::apply_home(state)/>
                        <Route path=path!("/apply/instance") view=step(StepId::Instance)/>
                        <Route path=path!("/apply/subject") view=step(StepId::Subject)/>
                        <Route path=path!("/apply/principal") view=step(StepId::Principal)/>
                        <Route path=path!("/apply/websites") view=step(StepId::Websites)/>
                        <Route path=path!("/apply/documents") view=step(StepId::Documents)/>
                        <Route path=path!("/apply/cancel") view=step(StepId::Cancel)/>
                        <Route path=path!("/apply/review") view=move || later::review(state)/>
                        <Route path=path!("/order") view=move || later::order(state)/>
                        <Route path=path!("/filings") view=move || later::records(state)/>
                        <Route path=path!("/review") view=move || later::queue(state)/>
                        <Route path=path!("/review/:id") view=move || later::review_order(state)/>
                    </Routes>
                </main>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn Header(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    remember_language(i18n);
    // A notice belongs to the page it was shown on.
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        state.notice.set(None);
    });
    let logout = move |_| {
        leptos::task::spawn_local(async move {
            match beian_api::logout().await {
                Ok(()) => state.logged_out(),
                Err(e) => state.report(e),
            }
        });
    };
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">{t!(i18n, app_name)}</A>
            <nav class="site-nav" aria-label=move || t_string!(i18n, app_name).to_string()>
                <A href="/check/location">{t!(i18n, nav.check)}</A>
                <A href="/apply">{t!(i18n, nav.apply)}</A>
                <A href="/instances">{t!(i18n, nav.instances)}</A>
                <A href="/lookup">{t!(i18n, nav.lookup)}</A>
                {move || state.account.with(|a| a.as_ref().is_some_and(|a| a.role == "applicant")).then(|| view! { <A href="/filings">{t!(i18n, nav.records)}</A> })}
                {move || state.account.with(|a| a.as_ref().is_some_and(|a| a.role == "reviewer")).then(|| view! { <A href="/review">{t!(i18n, nav.review)}</A> })}
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
