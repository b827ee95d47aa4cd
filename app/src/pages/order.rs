//! The order's status in words, the next step, deadlines, the working-day estimate, and
//! withdrawing where it is allowed.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::set_title;
use crate::i18n::*;
use crate::messages::{next_step, path_name, province_name, status_name, step_name};
use crate::state::AppState;

#[component]
pub fn OrderStatus(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, order.title).to_string()));
    let message = RwSignal::new(false);
    let withdraw = move |_| {
        let Some(order) = state.order.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match beian_api::withdraw_order(order.id.clone()).await {
                Ok(o) => {
                    state.order.set(Some(o));
                    message.set(true);
                }
                Err(e) => state.report(e),
            }
        });
    };
    view! {
        <h1>{t!(i18n, order.title)}</h1>
        {move || message.get().then(|| view! { <p class="notice" role="status">{t!(i18n, order.withdrawn)}</p> })}
        {move || match state.order.get() {
            None => view! { <p><A href="/apply">{t!(i18n, apply.title)}</A></p> }.into_any(),
            Some(o) => {
                let req = o.requirements.clone();
                let steps: Vec<(String, Option<u32>)> =
                    req.as_ref().map(|r| r.verification.iter().map(|v| (step_name(i18n, v.step), v.deadline_hours)).collect()).unwrap_or_default();
                let review = req.as_ref().and_then(|r| r.review.clone());
                let place = req.as_ref().map(|r| province_name(i18n, r.province)).unwrap_or_default();
                view! {
                    <dl class="summary-list">
                        <div class="summary-row"><dt>{t!(i18n, check.path_label)}</dt><dd>{path_name(i18n, o.path)} " · " {place}</dd></div>
                        <div class="summary-row"><dt>{t!(i18n, order.status_label)}</dt><dd data-testid="order-status">{status_name(i18n, o.status)}</dd></div>
                        <div class="summary-row"><dt>{t!(i18n, order.next_label)}</dt><dd>{next_step(i18n, o.status)}</dd></div>
                    </dl>
                    <h2>{t!(i18n, check.verification_title)}</h2>
                    <ul>
                        {steps.into_iter().map(|(s, hours)| view! {
                            <li>{s} {hours.map(|h| view! { " (" {t!(i18n, check.sms_deadline, hours = move || h)} ")" })}</li>
                        }).collect_view()}
                    </ul>
                    {review.map(|r| {
                        let (min, max, earliest, latest) = (r.authority_min_working_days, r.authority_max_working_days, r.earliest_decision.to_string(), r.latest_decision.to_string());
                        view! {
                            <h2>{t!(i18n, check.review_title)}</h2>
                            <p>{t!(i18n, check.review_estimate, min = move || min, max = move || max, earliest = move || earliest.clone(), latest = move || latest.clone())}</p>
                        }
                    })}
                    {o.can_withdraw.then(|| view! {
                        <button type="button" class="button button--secondary" on:click=withdraw>{t!(i18n, order.withdraw)}</button>
                    })}
                }.into_any()
            }
        }}
    }
}
