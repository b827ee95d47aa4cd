//! Check your answers, with a change link per answer, then submit. The server's verdict
//! comes back as findings on the same fields as the browser's.

use beian_rules::Finding;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::app::set_title;
use crate::components::ErrorSummary;
use crate::i18n::*;
use crate::messages::{cert_type_name, document_name, path_name, province_name, subject_type_name};
use crate::state::AppState;

fn page_of(field: &str) -> &'static str {
    if field.starts_with("service_code") {
        "/apply/instance"
    } else if field.starts_with("subject_principal") {
        "/apply/principal"
    } else if field.starts_with("subject") || field.starts_with("province") {
        "/apply/subject"
    } else if field.starts_with("websites") {
        "/apply/websites"
    } else {
        "/apply/documents"
    }
}

#[component]
pub fn Review() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    let draft = state.draft;
    Effect::new(move |_| set_title(t_string!(i18n, review.title).to_string()));
    let attempted = RwSignal::new(false);
    let refused = RwSignal::new(false);
    let errors = Signal::derive(move || {
        if !attempted.get() {
            return Vec::new();
        }
        state.findings.get().into_iter().filter(Finding::is_error).collect::<Vec<_>>()
    });
    let navigate = use_navigate();
    let submit = move |_| {
        attempted.set(true);
        let all: Vec<String> = state.findings.get_untracked().iter().map(|f| f.field.clone()).collect();
        state.show(&all);
        if !errors.get_untracked().is_empty() {
            return;
        }
        let Some(order) = state.order.get_untracked() else {
            navigate("/login", Default::default());
            return;
        };
        let application = draft.get_untracked();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let Ok(saved) = beian_api::save_draft(order.id.clone(), application).await else { return };
            match beian_api::submit_order(order.id.clone(), saved.version).await {
                Ok(result) if result.accepted => {
                    state.server_findings.set(Vec::new());
                    state.order.set(Some(result.order));
                    navigate("/order", Default::default());
                }
                Ok(result) => {
                    refused.set(true);
                    state.server_findings.set(result.order.findings.clone());
                    state.order.set(Some(result.order));
                }
                Err(e) => {
                    // A refusal with a code (a used or foreign service code, a subject other
                    // than the account's) lands on its field.
                    if let Some(code) = beian_api::error::code_of(&e).and_then(|c| beian_rules::Code::parse(&c)) {
                        refused.set(true);
                        let field = if code == beian_rules::Code::SubjectOfAnotherFiling { "subject.certificate_number" } else { "service_code" };
                        state.server_findings.set(vec![Finding::error(code).at(field)]);
                        state.show(&[field.to_owned()]);
                    }
                }
            }
        });
    };
    let row = move |label: String, value: String, href: &'static str| {
        view! {
            <div class="summary-row">
                <dt>{label}</dt>
                <dd>{value}</dd>
                <dd><A href=href>{t!(i18n, form.change)}<span class="visually-hidden">" " </span></A></dd>
            </div>
        }
    };
    let d = move || draft.get();
    view! {
        <ErrorSummary errors=errors/>
        <h1>{t!(i18n, review.title)}</h1>
        {move || refused.get().then(|| view! { <p class="notice" role="status">{t!(i18n, review.refused)}</p> })}
        {move || {
            let a = d();
            let subject_type = a.subject.subject_type.map(|s| subject_type_name(i18n, s)).unwrap_or_default();
            let cert = a.subject.certificate_type.map(|c| cert_type_name(i18n, c)).unwrap_or_default();
            view! {
                <dl class="summary-list">
                    {row(t_string!(i18n, check.path_label).to_string(), a.path.map(|p| path_name(i18n, p)).unwrap_or_default(), "/check/location")}
                    {row(t_string!(i18n, fields.service_code).to_string(), a.service_code(0).to_owned(), "/apply/instance")}
                    {row(t_string!(i18n, fields.province).to_string(), a.province.map(|p| province_name(i18n, p)).unwrap_or_default(), "/apply/subject")}
                    {row(t_string!(i18n, fields.subject_type).to_string(), subject_type, "/apply/subject")}
                    {row(t_string!(i18n, fields.subject_name).to_string(), a.subject.name.clone(), "/apply/subject")}
                    {row(t_string!(i18n, fields.certificate_type).to_string(), cert, "/apply/subject")}
                    {row(t_string!(i18n, fields.certificate_number).to_string(), a.subject.certificate_number.clone(), "/apply/subject")}
                    {row(t_string!(i18n, fields.certificate_address).to_string(), a.subject.certificate_address.clone(), "/apply/subject")}
                    {row(t_string!(i18n, fields.mailing_address).to_string(), a.subject.mailing_address.clone(), "/apply/subject")}
                    {row(t_string!(i18n, apply.task_principal).to_string(), format!("{} · {} · {}", a.subject_principal.name, a.subject_principal.mobile, a.subject_principal.email), "/apply/principal")}
                    {a.websites.iter().map(|w| row(t_string!(i18n, fields.website_name).to_string(), format!("{} · {}", w.name, w.domain), "/apply/websites")).collect_view()}
                    {a.documents.iter().map(|doc| row(t_string!(i18n, apply.task_documents).to_string(), document_name(i18n, doc.kind), "/apply/documents")).collect_view()}
                </dl>
            }
        }}
        <ul class="review-problems">
            {move || errors.get().into_iter().map(|f| {
                let href = page_of(&f.field);
                view! { <li><A href=href>{crate::messages::finding_text(i18n, &f)}</A></li> }
            }).collect_view()}
        </ul>
        <p class="declaration">{t!(i18n, review.declaration)}</p>
        <div class="step-nav">
            <button type="button" class="button" on:click=submit data-testid="submit">{t!(i18n, review.submit)}</button>
            <a class="back" href="/apply/documents">{t!(i18n, form.back)}</a>
        </div>
    }
}
