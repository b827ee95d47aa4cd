//! The applicant's instances with their eligibility today, applying for service codes, and the
//! codes with their state.

use beian_rules::types::Billing;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::set_title;
use crate::i18n::*;
use crate::messages::{finding_text, product_name, province_name};
use crate::state::AppState;

#[component]
pub fn Instances(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, instances.title).to_string()));
    let refresh = RwSignal::new(0u32);
    // Without a login the page says so itself; any other failure is shown.
    let reported = move |e: beian_api::ApiError| {
        if e.code != beian_api::ErrorCode::AuthRequired {
            state.report(e);
        }
    };
    let instances = LocalResource::new(move || {
        refresh.track();
        async move { beian_api::my_instances().await.map_err(reported).ok() }
    });
    let codes = LocalResource::new(move || {
        refresh.track();
        async move { beian_api::my_service_codes().await.map_err(reported).ok() }
    });
    let apply = move |id: String| {
        leptos::task::spawn_local(async move {
            if let Err(e) = beian_api::apply_service_code(id).await {
                state.report(e);
            }
            refresh.update(|n| *n += 1);
        });
    };
    view! {
        <h1>{t!(i18n, instances.title)}</h1>
        <p>{t!(i18n, instances.intro)}</p>
        {move || state.account.get().is_none().then(|| view! { <p class="notice"><A href="/login">{t!(i18n, instances.login_needed)}</A></p> })}
        <ul class="cards">
            {move || instances.get().flatten().map(|list| {
                if list.is_empty() {
                    return view! { <li>{t!(i18n, instances.none)}</li> }.into_any();
                }
                list.into_iter().map(|i| {
                    let eligible = i.eligibility.eligible;
                    let left = i.eligibility.service_codes_left;
                    let where_ = i.eligibility.location.map(|p| province_name(i18n, p)).unwrap_or_else(|| i.instance.region.clone());
                    let reasons: Vec<String> = i.eligibility.findings.iter().map(|f| finding_text(i18n, f)).collect();
                    let id = i.id.clone();
                    view! {
                        <li class="card" data-testid="instance">
                            <h2>{i.id.clone()}</h2>
                            <p>{product_name(i18n, i.instance.product)} " · " {where_}</p>
                            <p>{match (i.instance.billing, i.instance.subscription_end) {
                                (Billing::Subscription, Some(end)) => {
                                    let end = crate::messages::date_text(i18n.get_locale(), end);
                                    t!(i18n, instances.subscription_until, date = move || end.clone()).into_any()
                                }
                                _ => t!(i18n, instances.pay_as_you_go).into_any(),
                            }}</p>
                            <p class=if eligible { "tag tag--ok" } else { "tag tag--no" }>
                                {if eligible { t_string!(i18n, instances.eligible).to_string() } else { t_string!(i18n, instances.not_eligible).to_string() }}
                            </p>
                            <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                            <p>{t!(i18n, instances.codes_left, count = move || left)}</p>
                            {eligible.then(|| view! {
                                <button type="button" class="button" on:click=move |_| apply(id.clone())>{t!(i18n, instances.apply_code)}</button>
                            })}
                        </li>
                    }
                }).collect_view().into_any()
            })}
        </ul>
        <h2>{t!(i18n, instances.codes_title)}</h2>
        <ul>
            {move || codes.get().flatten().map(|list| list.into_iter().map(|c| {
                let used = c.used_by_order.is_some();
                view! {
                    <li><code data-testid="service-code">{c.code.clone()}</code> " — " {c.instance_id.clone()} " — "
                        {if used { t_string!(i18n, instances.code_used).to_string() } else { t_string!(i18n, instances.code_unused).to_string() }}
                    </li>
                }
            }).collect_view())}
        </ul>
    }
}
