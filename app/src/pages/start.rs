//! The start page: what an ICP filing is, who needs one, what to prepare, how long it takes.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::set_title;
use crate::i18n::*;

#[component]
pub fn Start() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, start.title).to_string()));
    let status = LocalResource::new(beian_api::status);
    view! {
        <h1>{t!(i18n, start.title)}</h1>
        <p class="lead">{t!(i18n, start.intro)}</p>
        <h2>{t!(i18n, start.who_title)}</h2>
        <p>{t!(i18n, start.who)}</p>
        <h2>{t!(i18n, start.need_title)}</h2>
        <p>{t!(i18n, start.need)}</p>
        <h2>{t!(i18n, start.time_title)}</h2>
        <p>{t!(i18n, start.time)}</p>
        <p class="actions">
            <A href="/check/location" attr:class="button">{t!(i18n, start.check_button)}</A>
            " "
            <A href="/apply" attr:class="button button--secondary">{t!(i18n, start.apply_button)}</A>
        </p>
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
