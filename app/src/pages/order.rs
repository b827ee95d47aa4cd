//! The order page: where the order is on its timeline, who acts next and by when, what the
//! applicant must do now — one primary action at a time (fix and resubmit after the reasons,
//! verify identity, verify the MIIT's text message) — and, once approved, the ICP numbers
//! with the footer snippet and the public-security filing reminder.

use beian_api::{ApiError, OrderView};
use beian_rules::{FilingPath, OrderStatus};
use beian_rules::lifecycle::{Action, Actor};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::field::dom_id;
use crate::components::set_title;
use crate::i18n::*;
use crate::messages::{I18n, action_name, actor_name, next_step, path_name, province_name, status_name, step_name};
use crate::state::AppState;
use crate::components::requirements::why;
use crate::state::today;
use crate::wizard::{field_message, step_of};

/// A time or a day as shown: the day, or the day and the time in China Standard Time, in the
/// language's form.
pub fn when(i18n: I18n, at: &str) -> String {
    crate::messages::when_text(i18n.get_locale(), at)
}

/// Runs `call` on the order and puts its answer in the state; failures are shown.
fn act<F>(state: AppState, call: impl FnOnce(String) -> F + 'static)
where
    F: std::future::Future<Output = Result<OrderView, ApiError>> + 'static,
{
    let Some(order) = state.order.get_untracked() else { return };
    leptos::task::spawn_local(async move {
        match call(order.id.clone()).await {
            Ok(o) => state.read_order(o),
            Err(e) => state.report(e),
        }
    });
}

#[component]
fn Timeline(order: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let created = order.created_at.clone();
    view! {
        <h2>{t!(i18n, order.timeline_title)}</h2>
        <ol class="timeline" data-testid="timeline">
            <li><span class="timeline-when">{when(i18n, &created)}</span> " " {t!(i18n, order.created)}</li>
            {order.timeline.into_iter().map(|e| {
                let reasons: Vec<String> = e.reasons.iter().map(|f| field_message(i18n, f)).collect();
                view! {
                    <li>
                        <span class="timeline-when">{when(i18n, &e.at)}</span> " "
                        {action_name(i18n, e.action)} " · " {actor_name(i18n, e.actor)}
                        {(!reasons.is_empty()).then(|| view! { <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The reasons of a rejection, each linking to its field's step.
#[component]
fn Reasons(state: AppState, order: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let open = order.actions.contains(&Action::Revise);
    view! {
        <section class="panel panel--problem" aria-labelledby="reasons-title" data-testid="reasons">
            <h2 id="reasons-title">{t!(i18n, order.reasons_title)}</h2>
            <ul>
                {order.reasons.into_iter().map(|f| {
                    let text = field_message(i18n, &f);
                    let href = format!("{}#{}", step_of(&f.field).route, dom_id(&f.field));
                    if f.field.is_empty() { view! { <li>{text}</li> }.into_any() } else { view! { <li><A href=href>{text}</A></li> }.into_any() }
                }).collect_view()}
            </ul>
            {open.then(|| view! {
                <p><button type="button" class="button" data-testid="revise" on:click=move |_| act(state, beian_api::revise_order)>{t!(i18n, order.revise)}</button></p>
            })}
        </section>
    }
}

/// Identity verification: a face verification done in the provider's app, recorded here.
#[component]
fn Identity(state: AppState, order: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let steps: Vec<String> = order.requirements.as_ref().map(|r| r.verification.iter().map(|v| step_name(i18n, v.step)).collect()).unwrap_or_default();
    view! {
        <section class="panel" aria-labelledby="identity-title" data-testid="identity">
            <h2 id="identity-title">{t!(i18n, order.identity_title)}</h2>
            <ul>{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            {if order.identity_provided {
                view! { <p role="status">{t!(i18n, order.identity_done)}</p> }.into_any()
            } else {
                view! {
                    <p>{t!(i18n, order.identity_intro)}</p>
                    <p><button type="button" class="button" on:click=move |_| act(state, |id| beian_api::provide_identity(id, "face".into(), None))>{t!(i18n, order.identity_face)}</button></p>
                }.into_any()
            }}
        </section>
    }
}

/// The MIIT's text message: what to do on the MIIT's filing system, by when; with the
/// simulated administration, its code and a form that stands for the MIIT's page.
#[component]
fn Sms(state: AppState, order: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let Some(sms) = order.sms.clone() else { return ().into_any() };
    let code = RwSignal::new(String::new());
    let by = sms.deadline.map(|d| when(i18n, &d)).unwrap_or_default();
    let rule = order
        .requirements
        .as_ref()
        .and_then(|r| r.verification.iter().find(|v| v.step == beian_rules::types::VerificationStep::SmsVerification).map(|v| v.rule.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = code.get_untracked();
        act(state, move |id| beian_api::confirm_sms(id, value));
    };
    view! {
        <section class="panel" aria-labelledby="sms-title" data-testid="sms">
            <h2 id="sms-title">{t!(i18n, order.sms_title)}</h2>
            <p>{t!(i18n, order.sms_instructions)}</p>
            <dl class="summary-list">
                <div class="summary-row"><dt>{t!(i18n, order.deadline_label)}</dt><dd data-testid="sms-deadline">{by}</dd></div>
            </dl>
            {rule.map(|r| why(i18n, &r))}
            {sms.code.map(|c| {
                let simulated = t_string!(i18n, order.sms_simulated).to_string().replace("{code}", &c);
                view! {
                    <p class="notice" data-testid="sms-code">{simulated}</p>
                    <form on:submit=submit>
                        <div class="field">
                            <label for=dom_id("sms_code")>{t!(i18n, order.sms_code)}</label>
                            <input id=dom_id("sms_code") inputmode="numeric" autocomplete="one-time-code" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                        </div>
                        <button type="submit" class="button">{t!(i18n, order.sms_send)}</button>
                    </form>
                }
            })}
        </section>
    }
    .into_any()
}

/// The ICP numbers, the footer snippet of each website, the public-security filing.
#[component]
fn Approved(order: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let Some(filing) = order.filing else { return ().into_any() };
    if beian_rules::record::is_cancellation(order.path) {
        // Nothing to put in a footer: what was cancelled, and the record as it stands.
        let done: Vec<String> = order.application.websites.iter().map(|w| format!("{} · {} · {}", w.name, w.domain, w.icp_number)).collect();
        let words = if order.path == FilingPath::CancelTransfer { t_string!(i18n, order.cancel_transfer_done) } else { t_string!(i18n, order.cancel_done) };
        return view! {
            <section class="panel panel--ok" data-testid="approved">
                <h2>{words.to_string()}</h2>
                <ul>{done.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                <p><A href="/filings">{t!(i18n, nav.records)}</A></p>
            </section>
        }
        .into_any();
    }
    let scope = beian_rules::pack::Scope { province: None, subject: None, path: Some(order.path) };
    let footer_rule = beian_rules::pack::active(today(), scope).find(|r| matches!(r.effect, beian_rules::pack::Effect::FooterNumber)).map(|r| r.id);
    let police_rule = beian_rules::requirements::public_security_deadline(order.path, today()).map(|d| d.rule);
    let snippets: Vec<(String, String, String)> = filing
        .websites
        .iter()
        .map(|(name, domain, number)| (format!("{name} · {domain}"), number.clone(), format!("<a href=\"https://beian.miit.gov.cn/\" target=\"_blank\" rel=\"noopener\">{number}</a>")))
        .collect();
    view! {
        <section class="panel panel--ok" aria-labelledby="numbers-title" data-testid="approved">
            <h2 id="numbers-title">{t!(i18n, order.approved_title)}</h2>
            <dl class="summary-list">
                <div class="summary-row"><dt>{t!(i18n, order.subject_number)}</dt><dd><strong data-testid="icp-number">{filing.icp_number.clone()}</strong></dd></div>
            </dl>
            <h3>{t!(i18n, order.footer_title)}</h3>
            <p>{t!(i18n, order.footer_hint)}</p>
            {footer_rule.map(|r| why(i18n, r))}
            {snippets.into_iter().map(|(site, number, snippet)| view! {
                <p><strong>{site}</strong> " " <span data-testid="website-number">{number}</span></p>
                <pre class="snippet"><code>{snippet}</code></pre>
            }).collect_view()}
            <h3>{t!(i18n, order.police_title)}</h3>
            <p>{t!(i18n, order.police_text)}</p>
            {police_rule.map(|r| why(i18n, &r))}
            <p><A href="/filings">{t!(i18n, nav.records)}</A></p>
        </section>
    }
    .into_any()
}

#[component]
pub fn OrderStatus(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, order.title).to_string()));
    // Without an open order, the account's newest closed one (approved, withdrawn…): read
    // only, never the wizard's.
    let closed = RwSignal::new(None::<OrderView>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match state.order.get_untracked() {
                Some(order) => match beian_api::get_order(order.id.clone()).await {
                    Ok(o) => state.read_order(o),
                    Err(e) => state.report(e),
                },
                None => {
                    let newest = match beian_api::my_orders().await {
                        Ok(orders) => orders.into_iter().find(|o| !o.status.is_open()),
                        Err(e) => return state.report(e),
                    };
                    // With its details: the timeline, the numbers.
                    if let Some(order) = newest {
                        match beian_api::get_order(order.id).await {
                            Ok(o) => closed.set(Some(o)),
                            Err(e) => state.report(e),
                        }
                    }
                }
            }
            let _ = beian_api::mark_notifications_read().await;
        });
    };
    // The newest state now, and again every half minute while someone else has the order
    // (the reviewer, the administration): the page follows it without a reload.
    refresh();
    let waiting = move || state.order.with_untracked(|o| o.as_ref().is_some_and(|o| o.next.as_ref().is_some_and(|n| n.actor != Actor::Applicant)));
    if let Ok(handle) = set_interval_with_handle(move || if waiting() { refresh() }, std::time::Duration::from_secs(30)) {
        on_cleanup(move || handle.clear());
    }
    view! {
        <h1>{t!(i18n, order.title)}</h1>
        {move || match state.order.get().or_else(|| closed.get()) {
            None => view! { <p><A href="/apply">{t!(i18n, apply.title)}</A></p> }.into_any(),
            Some(o) => {
                // Drawn again when the language changes (dates and sources are words too).
                i18n.get_locale();
                let req = o.requirements.clone();
                let review = req.as_ref().and_then(|r| r.review.clone());
                let place = req.as_ref().map(|r| province_name(i18n, r.province)).unwrap_or_default();
                let next_by = o.next.as_ref().and_then(|n| n.by.clone()).map(|b| when(i18n, &b));
                let next_who = o.next.as_ref().map(|n| actor_name(i18n, n.actor));
                let withdraw = o.actions.contains(&Action::Withdraw);
                let abandon = o.actions.contains(&Action::Abandon);
                let has_reasons = !o.reasons.is_empty();
                let identity = o.status == OrderStatus::IdentityVerification;
                let sms = o.status == OrderStatus::SmsVerification;
                let approved = o.status == OrderStatus::Approved;
                let (o1, o2, o3, o4, o5) = (o.clone(), o.clone(), o.clone(), o.clone(), o.clone());
                view! {
                    <dl class="summary-list">
                        <div class="summary-row"><dt>{t!(i18n, check.path_label)}</dt><dd>{path_name(i18n, o.path)} " · " {place}</dd></div>
                        <div class="summary-row"><dt>{t!(i18n, order.status_label)}</dt><dd data-testid="order-status">{status_name(i18n, o.status)}</dd></div>
                        <div class="summary-row"><dt>{t!(i18n, order.next_label)}</dt><dd>{next_step(i18n, o.status)}</dd></div>
                        {next_who.map(|who| view! { <div class="summary-row"><dt>{t!(i18n, order.who_label)}</dt><dd>{who}</dd></div> })}
                        {next_by.map(|by| view! { <div class="summary-row"><dt>{t!(i18n, order.deadline_label)}</dt><dd data-testid="order-deadline">{by}</dd></div> })}
                    </dl>
                    {has_reasons.then(|| view! { <Reasons state=state order=o1/> })}
                    {identity.then(|| view! { <Identity state=state order=o2/> })}
                    {sms.then(|| view! { <Sms state=state order=o3/> })}
                    {approved.then(|| view! { <Approved order=o4/> })}
                    {review.filter(|_| !approved).map(|r| view! {
                        <h2>{t!(i18n, check.review_title)}</h2>
                        {crate::components::requirements::estimate_view(i18n, &r)}
                    })}
                    <Timeline order=o5/>
                    <p class="actions">
                        {withdraw.then(|| view! {
                            <button type="button" class="button button--secondary" on:click=move |_| act(state, beian_api::withdraw_order)>{t!(i18n, order.withdraw)}</button> " "
                        })}
                        {abandon.then(|| view! {
                            <button type="button" class="button button--secondary" on:click=move |_| {
                                // It cannot be undone: asked once.
                                let question = t_string!(i18n, order.abandon_confirm).to_string();
                                if web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false) {
                                    act(state, beian_api::abandon_order);
                                }
                            }>{t!(i18n, order.abandon)}</button>
                        })}
                    </p>
                }.into_any()
            }
        }}
    }
}
