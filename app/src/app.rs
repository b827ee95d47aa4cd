use leptos::prelude::*;

use crate::i18n::*;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Header/>
            <main id="main" class="page">
                <Start/>
            </main>
        </I18nContextProvider>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <span class="brand">{t!(i18n, app_name)}</span>
            <nav aria-label=move || t_string!(i18n, language_switch_label)>
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
            </nav>
        </header>
    }
}

#[component]
fn Start() -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(beian_api::status);
    view! {
        <h1>{t!(i18n, start.title)}</h1>
        <p class="lead">{t!(i18n, start.intro)}</p>
        <p class="server-status" data-testid="server-status">
            {move || match status.get() {
                None => t!(i18n, status.checking).into_any(),
                Some(Ok(s)) => {
                    let (version, rules, count) = (s.version.clone(), s.rules, s.instances);
                    t!(i18n, status.ok, version = move || version.clone(), rules = move || rules, count = move || count).into_any()
                }
                Some(Err(_)) => t!(i18n, status.error).into_any(),
            }}
        </p>
    }
}
