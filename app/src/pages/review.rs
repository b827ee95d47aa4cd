//! Check your answers: every answer of every step, read from the wizard's description, with a
//! change link per answer; then submit. The server's verdict comes back as findings on the
//! same fields as the browser's.

use beian_rules::Finding;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::field::dom_id;
use crate::components::{ErrorSummary, Problem, set_title};
use crate::i18n::*;
use crate::messages::{I18n, document_name, path_name};
use crate::state::AppState;
use crate::wizard::{self, Group, Placed, Section, StepId, answer_text, field_message};

/// One answer: its label, its value in words, and a link to change it on its step.
fn row(i18n: I18n, label: String, value: String, href: String) -> impl IntoView {
    view! {
        <div class="summary-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
            <dd><A href=href>{t!(i18n, form.change)}<span class="visually-hidden">" " </span></A></dd>
        </div>
    }
}

fn field_row(state: AppState, i18n: I18n, placed: Placed, route: &'static str) -> impl IntoView {
    let path = placed.path();
    let value = answer_text(i18n, placed.spec.widget, state.value(&path));
    row(i18n, wizard::placed_label(i18n.get_locale(), &placed), value, format!("{route}#{}", dom_id(&path)))
}

/// The answers of one step.
fn step_answers(state: AppState, i18n: I18n, id: StepId) -> impl IntoView {
    let step = wizard::step(id);
    let app = state.draft.get();
    let mut rows = Vec::new();
    for section in step.sections {
        match section {
            Section::Websites => {
                for (i, w) in app.websites.iter().enumerate() {
                    let n = i + 1;
                    rows.push(view! { <h3 class="summary-group">{t!(i18n, fields.website_n, n = move || n)}</h3> }.into_any());
                    let mut placed = wizard::group_fields(Group::Website(i), wizard::WEBSITE, &app);
                    if w.principal.is_some() {
                        placed.extend(wizard::group_fields(Group::WebsitePrincipal(i), wizard::PERSON, &app));
                    }
                    let list = placed.into_iter().map(|p| field_row(state, i18n, p, step.route)).collect_view();
                    rows.push(view! { <dl class="summary-list">{list}</dl> }.into_any());
                }
            }
            Section::Cancel => {
                let list = app
                    .websites
                    .iter()
                    .map(|w| row(i18n, format!("{} · {}", w.name, w.domain), w.icp_number.clone(), step.route.to_owned()))
                    .collect_view();
                let confirmed = if app.consequences_confirmed { t_string!(i18n, form.yes) } else { t_string!(i18n, form.no) }.to_string();
                rows.push(view! { <dl class="summary-list">{list}{row(i18n, t_string!(i18n, cancel.confirm).to_string(), confirmed, step.route.to_owned())}</dl> }.into_any());
            }
            Section::Documents => {
                let uploads = state.uploads.get();
                let list = app
                    .documents
                    .iter()
                    .map(|doc| {
                        let name = uploads.iter().find(|u| u.id == doc.id).map(|u| u.name.clone()).unwrap_or_default();
                        row(i18n, document_name(i18n, doc.kind), name, step.route.to_owned())
                    })
                    .collect_view();
                rows.push(view! { <dl class="summary-list">{list}</dl> }.into_any());
            }
            _ => {
                let list = wizard::placed(section, &app).into_iter().map(|p| field_row(state, i18n, p, step.route)).collect_view();
                rows.push(view! { <dl class="summary-list">{list}</dl> }.into_any());
            }
        }
    }
    view! {
        <h2>{(step.title)(i18n.get_locale())}</h2>
        {rows}
    }
}

#[component]
pub fn Review(state: AppState) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t_string!(i18n, review.title).to_string()));
    let attempted = RwSignal::new(false);
    let refused = RwSignal::new(false);
    let errors = Memo::new(move |_| if attempted.get() { state.findings.get().into_iter().filter(Finding::is_error).collect::<Vec<_>>() } else { Vec::new() });
    let problems = Signal::derive(move || errors.get().iter().map(|f| (f.field.clone(), field_message(i18n, f))).collect::<Vec<Problem>>());
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
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            state.saved().await;
            let order = state.order.get_untracked().unwrap_or(order);
            let sent = state.draft.get_untracked();
            let saved = match beian_api::save_draft(order.id.clone(), order.version, sent.clone()).await {
                Ok(saved) => {
                    state.acknowledged(saved.clone(), &sent);
                    saved
                }
                Err(e) if e.code == beian_api::ErrorCode::OrderChangedMeanwhile => return state.changed_meanwhile(&order.id).await,
                Err(e) => return state.report(e),
            };
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
                // A refusal on a field (a used or foreign service code, a subject other than
                // the account's) lands on its field; any other is shown at the top.
                Err(e) => {
                    if e.field.is_some() {
                        refused.set(true);
                    }
                    state.report(e);
                }
            }
        });
    };
    view! {
        <ErrorSummary errors=problems/>
        <h1>{t!(i18n, review.title)}</h1>
        {move || refused.get().then(|| view! { <p class="notice" role="status">{t!(i18n, review.refused)}</p> })}
        {move || {
            let path = state.draft.get().path;
            view! {
                <dl class="summary-list">
                    {row(i18n, t_string!(i18n, check.path_label).to_string(), path.map(|p| path_name(i18n, p)).unwrap_or_default(), "/check/location".to_owned())}
                </dl>
                {differences_view(state, i18n)}
                {wizard::steps_for(path).filter(|s| s.id != StepId::Review).map(|s| step_answers(state, i18n, s.id)).collect_view()}
            }
        }}
        <ul class="review-problems">
            {move || errors.get().into_iter().map(|f| {
                let href = wizard::step_on(&f.field, state.draft.with_untracked(|d| d.path)).route;
                // Worked out here, not inside the link: a component's children are drawn
                // untracked, and the words must follow the language.
                let text = field_message(i18n, &f);
                view! { <li><A href=href>{text}</A></li> }
            }).collect_view()}
        </ul>
        <p class="declaration">{t!(i18n, review.declaration)}</p>
        <div class="step-nav">
            <button type="button" class="button" on:click=submit data-testid="submit">{t!(i18n, review.submit)}</button>
            <a class="back" href=move || wizard::neighbours(StepId::Review, state.draft.get().path).0>{t!(i18n, form.back)}</a>
        </div>
    }
}

/// The draft's change against the filing record.
fn differences_view(state: AppState, i18n: I18n) -> Option<impl IntoView + use<>> {
    let app = state.draft.get();
    let record = state.order.with(|o| o.as_ref().and_then(|o| o.record.clone()))?;
    differences_table(i18n, &app, &record)
}

/// A change against the filing record: each difference, the filed value beside the new one
/// (None for an application that is not a change). The reviewer console shows it too.
pub fn differences_table(i18n: I18n, app: &beian_rules::Application, record: &beian_rules::record::FilingRecord) -> Option<impl IntoView + use<>> {
    if app.path != Some(beian_rules::FilingPath::Change) {
        return None;
    }
    let differences = beian_rules::record::differences(app, record);
    let rows = differences
        .iter()
        .map(|d| {
            let label = wizard::field_label(i18n.get_locale(), &d.field).unwrap_or_else(|| d.field.clone());
            let words = |text: &str| match wizard::spec_of(&d.field) {
                Some(spec) => answer_text(i18n, spec.widget, Some(difference_value(spec.widget, text))),
                None => text.to_owned(),
            };
            view! {
                <tr>
                    <th scope="row">{label}</th>
                    <td>{words(&d.before)}</td>
                    <td>{words(&d.after)}</td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <section class="panel" data-testid="differences">
            <h2>{t!(i18n, review.differences_title)}</h2>
            {if differences.is_empty() {
                view! { <p>{t!(i18n, review.no_differences)}</p> }.into_any()
            } else {
                view! {
                    <table class="differences">
                        <thead><tr><th scope="col"></th><th scope="col">{t!(i18n, review.before)}</th><th scope="col">{t!(i18n, review.after)}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    })
}

/// A difference's text as the value of a field answered with `widget`.
fn difference_value(widget: wizard::Widget, text: &str) -> beian_rules::fields::FieldValue {
    use beian_rules::fields::FieldValue;
    match widget {
        wizard::Widget::Checkbox => FieldValue::Flag(text == "true"),
        wizard::Widget::Checkboxes(_) => FieldValue::List(text.split(", ").filter(|t| !t.is_empty()).map(str::to_owned).collect()),
        _ => FieldValue::Text(text.to_owned()),
    }
}
